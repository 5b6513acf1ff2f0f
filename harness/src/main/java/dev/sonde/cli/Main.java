package dev.sonde.cli;

import dev.sonde.session.Secrets;
import dev.sonde.metrics.Version;

import dev.sonde.api.ApiKey;
import dev.sonde.history.HistoryStores;
import dev.sonde.api.SecretMask;
import dev.sonde.journal.JournalDamage;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code sonde}: the command line. Exit codes: 0 every trial passed and every baseline gate held;
 * 1 a check or a gate failed; 2 a bad suite or bad arguments, or a damaged journal (one line naming
 * the file, the line and {@code sonde journal repair}, whichever command read it); 3 the run could
 * not proceed (key rejected, endpoint unreachable at the start, budget spent).
 */
@Command(name = "sonde", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
        description = "Evaluate prompts and benchmark cost and latency of the Anthropic Messages API.",
        subcommands = {InitCommand.class, RunCommand.class, EmulatorCommand.class, BaselineCommand.class, ReportCommand.class, MergeCommand.class, RepriceCommand.class,
            LintCommand.class, JournalCommand.class, ImportCommand.class, HistoryCommand.class, ViewCommand.class, ExportCommand.class,
            CommandLine.HelpCommand.class})
public final class Main {
    public static final int PASSED = 0;
    public static final int CHECK_FAILED = 1;
    public static final int BAD_INPUT = 2;
    public static final int CANNOT_PROCEED = 3;

    private final Map<String, String> env;
    private final HistoryStores.Places historyPlaces;

    private Main(Map<String, String> env, HistoryStores.Places historyPlaces) {
        this.env = Map.copyOf(env);
        this.historyPlaces = historyPlaces != null ? historyPlaces : HistoryStores.Places.of(this.env);
    }

    /** Where {@code sonde history} looks for its store ({@link HistoryStores}). */
    HistoryStores.Lookup historyStore() {
        return HistoryStores.find(historyPlaces);
    }

    /** The environment commands read (the API key comes from here and nowhere else). */
    Map<String, String> env() {
        return env;
    }

    public static void main(String[] args) {
        Launch.replaceIfPlain(args); // returns when this JVM runs the command itself
        System.exit(execute(System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs a command line and returns its exit code (what {@link #main} exits with). */
    public static int execute(Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
        return execute(env, null, out, err, args);
    }

    /** {@link #execute(Map, PrintWriter, PrintWriter, String...)} with the places to find the history store in. */
    static int execute(Map<String, String> env, HistoryStores.Places historyPlaces, PrintWriter out, PrintWriter err,
            String... args) {
        CommandLine cli = new CommandLine(new Main(env, historyPlaces));
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((ex, argv) -> {
            ex.getCommandLine().getErr().println("sonde: " + ex.getMessage());
            ex.getCommandLine().getErr().println("Try '" + ex.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help' for more information.");
            return BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parsed) -> {
            java.util.Optional<JournalDamage> damage = JournalDamage.in(ex);
            if (damage.isPresent()) { // a damaged journal, whichever command read it: the file's fault, not ours
                commandLine.getErr().println("sonde: " + damage.get().getMessage());
                return BAD_INPUT;
            }
            // a bug, not the user's mistake: one line, with any key of the environment masked
            String message = ex.getMessage() == null ? "" : ": " + ex.getMessage().replaceAll("\\s+", " ");
            commandLine.getErr().println("sonde: internal error: " + keyMask(env, java.nio.file.Path.of("")).mask(ex.getClass().getSimpleName()
                    + message) + " (please report it; SONDE_DEBUG=1 prints the stack trace)");
            if (env.containsKey("SONDE_DEBUG")) {
                java.io.StringWriter trace = new java.io.StringWriter();
                ex.printStackTrace(new PrintWriter(trace));
                commandLine.getErr().println(keyMask(env, java.nio.file.Path.of("")).mask(trace.toString()));
            }
            return CANNOT_PROCEED;
        });
        return cli.execute(args);
    }

    /**
     * Every valid key-like value of the environment and of a {@code .env} in the working directory
     * ({@code *_API_KEY}, {@code *_TOKEN}, {@code *_SECRET*}).
     */
    static SecretMask keyMask(Map<String, String> env, java.nio.file.Path workDir) {
        java.util.List<ApiKey> keys = new java.util.ArrayList<>();
        Map<String, String> all = new java.util.HashMap<>(Secrets.quietly(workDir));
        all.putAll(env);
        all.forEach((name, value) -> {
            if ((name.endsWith("_API_KEY") || name.endsWith("_TOKEN") || name.contains("SECRET")) && value != null
                    && value.strip().length() >= 8) {
                try {
                    keys.add(ApiKey.of(value));
                } catch (IllegalArgumentException notAKey) {
                    // cannot be sent as a header, so cannot have been echoed as one
                }
            }
        });
        return keys.isEmpty() ? SecretMask.NONE : SecretMask.of(keys);
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            List<String> options = ManagementFactory.getRuntimeMXBean().getInputArguments();
            String collector = options.contains("-XX:+UseSerialGC") ? "serial collector" : "the JVM's default collector";
            boolean cached = options.stream().anyMatch(o -> o.startsWith("-XX:AOTCache=") || o.startsWith("-XX:SharedArchiveFile="));
            boolean quick = options.contains(Launch.QUICK_COMPILER);
            return new String[] {"sonde " + Version.current() + " (Java " + Runtime.version() + ", " + collector
                    + (quick ? ", quick compiler" : "") + (cached ? ", start-up cache" : "") + ")"};
        }
    }
}
