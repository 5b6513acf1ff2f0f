package dev.sonde.maven;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs one {@link ForkCommand} to its end: the fork inherits Maven's environment (API keys come
 * from there and are never passed as arguments) plus {@link ForkCommand#ENVIRONMENT}, works in the
 * project's directory, gets no stdin, and each line it prints goes to the sink as it comes and to a
 * {@link Transcript}. If the calling thread is interrupted the fork is asked to stop (SIGTERM: the
 * CLI writes the partial run's reports) and then killed after {@value #STOP_SECONDS} s.
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
        ProcessBuilder builder = new ProcessBuilder(command.argv()).directory(workDir.toFile());
        builder.environment().putAll(ForkCommand.ENVIRONMENT);
        Process fork = builder.start();
        fork.getOutputStream().close();
        Transcript transcript = new Transcript();
        Thread errors = pump(fork.getErrorStream(), line -> {
            transcript.err(line);
            sink.err(line);
        }, "sonde-fork-stderr");
        try {
            read(fork.getInputStream(), line -> {
                transcript.out(line);
                sink.out(line);
            });
            int exit = fork.waitFor();
            errors.join();
            return transcript.result(suite, runFolder, exit);
        } catch (InterruptedException e) {
            fork.destroy();
            if (!fork.waitFor(STOP_SECONDS, TimeUnit.SECONDS)) {
                fork.destroyForcibly();
            }
            throw e;
        } catch (IOException e) {
            fork.destroyForcibly();
            throw e;
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
