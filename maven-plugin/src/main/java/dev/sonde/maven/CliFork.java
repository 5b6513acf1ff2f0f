package dev.sonde.maven;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one {@link ForkCommand} to its end: the fork inherits Maven's environment (API keys come
 * from there and are never passed as arguments) plus {@link ForkCommand#ENVIRONMENT}, works in the
 * project's directory, gets no stdin, and each line it prints goes to the sink as it comes and to a
 * {@link Transcript}. Both streams are read on their own threads; the calling thread only waits for
 * the fork's exit. The fork is asked to stop (SIGTERM: the CLI writes the partial run's reports) and
 * killed after {@value #STOP_SECONDS} s when the calling thread is interrupted, and by a shutdown
 * hook held while it runs when Maven's JVM itself is stopped (SIGTERM, Ctrl-C), so no fork outlives
 * Maven sending requests.
 */
final class CliFork {
    /** How long a fork asked to stop may take to write its partial reports. */
    static final long STOP_SECONDS = 30;

    /** Where the fork's lines go as they come (the Maven log). */
    interface Sink {
        void out(String line);

        void err(String line);
    }

    private CliFork() {}

    static SuiteRun run(SuiteFile suite, Path runFolder, ForkCommand command, Path workDir, Sink sink)
            throws IOException, InterruptedException {
        return run(suite, runFolder, command, workDir, Map.of(), sink);
    }

    /** As above, with {@code extraEnvironment} over Maven's (tests set a locale with it). */
    static SuiteRun run(SuiteFile suite, Path runFolder, ForkCommand command, Path workDir,
            Map<String, String> extraEnvironment, Sink sink) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command.argv()).directory(workDir.toFile());
        builder.environment().putAll(ForkCommand.ENVIRONMENT);
        builder.environment().putAll(extraEnvironment);
        Process fork = builder.start();
        Thread hook = new Thread(() -> stop(fork), "sonde-fork-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            fork.getOutputStream().close();
            Transcript transcript = new Transcript();
            Thread errors = pump(fork.getErrorStream(), line -> {
                transcript.err(line);
                sink.err(line);
            }, "sonde-fork-stderr");
            Thread output = pump(fork.getInputStream(), line -> {
                transcript.out(line);
                sink.out(line);
            }, "sonde-fork-stdout");
            int exit = fork.waitFor();
            output.join();
            errors.join();
            return transcript.result(suite, runFolder, exit);
        } catch (InterruptedException | IOException | RuntimeException e) {
            stop(fork);
            throw e;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook is running and stops the fork
            }
        }
    }

    /** SIGTERM, then SIGKILL if the fork has not ended {@value #STOP_SECONDS} s later. */
    static void stop(Process fork) {
        if (!fork.isAlive()) {
            return;
        }
        fork.destroy();
        try {
            if (!fork.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
                fork.destroyForcibly();
            }
        } catch (InterruptedException e) {
            fork.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static Thread pump(InputStream in, Consumer<String> lines, String name) {
        Thread t = new Thread(() -> {
            try {
                read(in, lines);
            } catch (IOException e) {
                // the fork's stream closed under us: its exit code still tells how it ended
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void read(InputStream in, Consumer<String> lines) throws IOException {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.accept(line);
            }
        }
    }
}
