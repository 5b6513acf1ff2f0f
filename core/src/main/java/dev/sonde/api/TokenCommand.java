package dev.sonde.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A command line from the environment that prints a bearer token (e.g. {@code az account
 * get-access-token --query accessToken -o tsv}): split into arguments at whitespace, with {@code '…'}
 * and {@code "…"} keeping what they enclose together (no escapes, no variables, no shell), and run
 * with its standard input closed and its standard error discarded. Its first line of output, at most
 * {@value #MAX_LINE_BYTES} bytes, is the token; the rest is read and dropped. A run that passes its
 * time bound is killed with its children. Every failure is one line naming the variable and what
 * went wrong (an exit code, the bound), never the command's output. Stateless.
 */
final class TokenCommand {
    /** The longest token line read. */
    static final int MAX_LINE_BYTES = 16 * 1024;

    private final String variable;
    private final List<String> argv;
    private final Duration bound;

    private TokenCommand(String variable, List<String> argv, Duration bound) {
        this.variable = variable;
        this.argv = argv;
        this.bound = bound;
    }

    /**
     * @param variable the environment variable the line came from, for messages
     * @throws MissingCredentials when the line is empty or a quote is never closed
     */
    static TokenCommand parse(String variable, String line, Duration bound) throws MissingCredentials {
        List<String> args = new ArrayList<>();
        StringBuilder arg = null;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    arg.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                arg = arg == null ? new StringBuilder() : arg;
            } else if (Character.isWhitespace(c)) {
                if (arg != null) {
                    args.add(arg.toString());
                    arg = null;
                }
            } else {
                arg = arg == null ? new StringBuilder() : arg;
                arg.append(c);
            }
        }
        if (quote != 0) {
            throw new MissingCredentials(variable + " has a " + (quote == '"' ? "double" : "single")
                    + " quote that is never closed");
        }
        if (arg != null) {
            args.add(arg.toString());
        }
        if (args.isEmpty()) {
            throw new MissingCredentials(variable + " names no command");
        }
        return new TokenCommand(variable, List.copyOf(args), bound);
    }

    /** The arguments, program first. */
    List<String> argv() {
        return argv;
    }

    /**
     * Runs the command once and returns its first line, stripped.
     *
     * @throws MissingCredentials when it cannot start, passes the bound, exits non-zero or prints
     *     no usable first line
     */
    String run() throws MissingCredentials, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(argv)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File(nullDevice())))
                    .start();
        } catch (IOException e) {
            throw new MissingCredentials(variable + ": its program " + argv.get(0) + " could not be started");
        }
        CompletableFuture<byte[]> firstLine = CompletableFuture.supplyAsync(() -> firstLine(process.getInputStream()),
                runnable -> Thread.ofVirtual().name("sonde-token-command").start(runnable));
        try {
            if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                throw new MissingCredentials(variable + " did not finish within " + seconds(bound)
                        + " and was stopped");
            }
            if (process.exitValue() != 0) {
                throw new MissingCredentials(variable + " exited with code " + process.exitValue()
                        + " (its output is not shown)");
            }
            byte[] line;
            try {
                line = firstLine.get(Math.max(1, bound.toMillis()), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                kill(process); // a child still holds its output open
                throw new MissingCredentials(variable + "'s output did not end within " + seconds(bound));
            } catch (ExecutionException e) {
                throw new MissingCredentials(variable + "'s output could not be read");
            }
            if (line == null) {
                throw new MissingCredentials(variable + " printed a first line longer than " + MAX_LINE_BYTES
                        + " bytes");
            }
            String token = new String(line, java.nio.charset.StandardCharsets.UTF_8).strip();
            if (token.isEmpty()) {
                throw new MissingCredentials(variable + " printed no token on its first line");
            }
            return token;
        } catch (InterruptedException e) {
            kill(process);
            throw e;
        } finally {
            if (process.isAlive()) {
                kill(process);
            }
        }
    }

    /** The bytes before the first newline (without a trailing CR), or null when they pass the limit; the rest is drained. */
    private static byte[] firstLine(InputStream in) {
        try (in) {
            java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
            boolean ended = false;
            boolean tooLong = false;
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) >= 0) {
                for (int i = 0; i < n && !ended; i++) {
                    if (buf[i] == '\n') {
                        ended = true;
                    } else if (line.size() < MAX_LINE_BYTES + 1) {
                        line.write(buf[i]);
                    } else {
                        tooLong = true;
                    }
                }
            }
            return tooLong || line.size() > MAX_LINE_BYTES ? null : line.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static String nullDevice() {
        return System.getProperty("os.name", "").startsWith("Windows") ? "NUL" : "/dev/null";
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
