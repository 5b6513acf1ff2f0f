package dev.sonde.cli;

import dev.sonde.emulator.Emulator;
import dev.sonde.emulator.EmulatorConfig;
import dev.sonde.metrics.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sonde emulator}: the local Anthropic-compatible server, until interrupted. */
@Command(name = "emulator", mixinStandardHelpOptions = true,
        description = "Serve the deterministic Anthropic-compatible emulator on 127.0.0.1.",
        footer = {"", "Point an SDK at it: ANTHROPIC_BASE_URL=http://127.0.0.1:PORT (any non-empty key)."})
final class EmulatorCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "N", description = "TCP port (default: the config's, else ephemeral).")
    Integer port;

    @Option(names = "--config", paramLabel = "FILE", description = "Emulator config YAML (fixtures/emulator/README.md).")
    Path config;

    @Option(names = "--seed", paramLabel = "N", description = "Seed for generated answers and latency samples.")
    Long seed;

    @Option(names = "--rules", paramLabel = "FILE", arity = "1..*", description = "Rule files, tried in order.")
    List<Path> rules = new ArrayList<>();

    @Option(names = "--trace", paramLabel = "FILE", description = "Write each request's timings (headers in, body read, "
            + "first content delta and last byte written) as JSONL on the emulator's clock (fixtures/emulator/README.md).")
    Path trace;

    /**
     * {@code base} (the {@code --config} file's, or the defaults) with the options over it: {@code
     * --port}, {@code --seed}, {@code --trace} (checked by the caller) and {@code --rules} after the
     * file's own. Tests start an {@link Emulator} from it to hold a handle they can close.
     */
    EmulatorConfig.Builder configured(EmulatorConfig base) {
        EmulatorConfig.Builder b = base.toBuilder().clock(Clock.system());
        if (port != null) {
            b.port(port);
        }
        if (seed != null) {
            b.seed(seed);
        }
        if (trace != null) {
            b.trace(trace);
        }
        if (!rules.isEmpty()) {
            List<Path> all = new ArrayList<>(base.rules());
            all.addAll(rules);
            b.rules(all);
        }
        return b;
    }

    @Override
    public Integer call() throws InterruptedException {
        EmulatorConfig base;
        try {
            base = config != null ? EmulatorConfig.load(config) : EmulatorConfig.builder().build();
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println("sonde: " + e.getMessage());
            return Main.BAD_INPUT;
        }
        if (trace != null) {
            Path folder = trace.toAbsolutePath().getParent();
            if (folder == null || !Files.isDirectory(folder) || Files.isDirectory(trace)) {
                spec.commandLine().getErr().println("sonde: --trace " + trace + ": not a file in an existing folder");
                return Main.BAD_INPUT;
            }
        }
        EmulatorConfig.Builder b = configured(base);
        try (Emulator emulator = Emulator.start(b.build())) {
            // Ctrl-C or SIGTERM ends join() by ending the JVM: stop the server and flush the trace first
            Thread stop = new Thread(emulator::close, "sonde-emulator-stop");
            Runtime.getRuntime().addShutdownHook(stop);
            spec.commandLine().getOut().println("sonde emulator listening on " + emulator.baseUri() + " (seed "
                    + emulator.seed() + ")");
            spec.commandLine().getOut().flush();
            emulator.join();
            try {
                Runtime.getRuntime().removeShutdownHook(stop);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or about to: it closes the emulator
            }
            return Main.PASSED;
        } catch (java.io.IOException | RuntimeException e) {
            spec.commandLine().getErr().println("sonde: emulator could not start: " + e.getMessage());
            return Main.CANNOT_PROCEED;
        }
    }
}
