package dev.sonde.maven;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One forked {@code sonde run}: the command line and the environment it adds.
 *
 * <p>The fork is started with {@code SONDE_RELAUNCH=0}: the CLI's {@code Launch} would otherwise
 * replace a JVM started with no option (its tuned flags, through {@code execve}), which on a class
 * path of many jars makes no start-up cache anyway and prints the JDK's four-line native-access
 * warning into the build log. The fork therefore runs on the JVM's defaults plus {@code jvmArgs}.
 *
 * <p>Its stdout and stderr are UTF-8 ({@link #ENCODING_OPTIONS}): on a pipe the JDK would otherwise
 * print in the native encoding (ASCII under {@code LC_ALL=C}), and {@link CliFork} reads UTF-8.
 *
 * @param java the {@code bin/java} to start
 * @param jvmArgs JVM options from the {@code jvmArgs} parameter, before the class path; each entry
 *     is split on whitespace ({@code -Dsonde.jvmArgs="-Xmx512m -Dfoo=1"} is two options), so an
 *     option cannot hold a space
 * @param classPath sonde-cli and its runtime dependencies
 * @param cliArgs the arguments after the main class ({@link #runArguments})
 */
record ForkCommand(Path java, List<String> jvmArgs, List<Path> classPath, List<String> cliArgs) {
    /** The CLI's entry point, by name: the mojo never loads it. */
    static final String MAIN_CLASS = "dev.sonde.cli.Main";
    /** What the fork's environment adds to Maven's (the class comment says why). */
    static final Map<String, String> ENVIRONMENT = Map.of("SONDE_RELAUNCH", "0");
    /** After {@code jvmArgs}, so they hold whatever those say: the plugin decodes the fork's lines as UTF-8. */
    static final List<String> ENCODING_OPTIONS = List.of("-Dstdout.encoding=UTF-8", "-Dstderr.encoding=UTF-8");
    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    ForkCommand {
        jvmArgs = List.copyOf(jvmArgs);
        classPath = List.copyOf(classPath);
        cliArgs = List.copyOf(cliArgs);
    }

    /** {@code java [jvmArgs, split on whitespace] [ENCODING_OPTIONS] -cp CP dev.sonde.cli.Main [cliArgs]}. */
    List<String> argv() {
        List<String> argv = new ArrayList<>();
        argv.add(java.toString());
        jvmArgs.stream().filter(a -> a != null && !a.isBlank())
                .flatMap(a -> WHITESPACE.splitAsStream(a.strip())).forEach(argv::add);
        argv.addAll(ENCODING_OPTIONS);
        argv.add("-cp");
        argv.add(String.join(File.pathSeparator, classPath.stream().map(Path::toString).toList()));
        argv.add(MAIN_CLASS);
        argv.addAll(cliArgs);
        return argv;
    }

    /**
     * {@code run SUITE --out DIR [--endpoint E] [--concurrency N] [--update-baseline]}: an unset or
     * blank option is left out, so the suite's own value holds; values are passed as given and the
     * CLI judges them (a bad one is its one line and exit 2).
     */
    static List<String> runArguments(Path suite, Path out, String endpoint, Integer concurrency, boolean updateBaseline) {
        return runArguments(suite, out, endpoint, concurrency, updateBaseline, null);
    }

    /**
     * As {@link #runArguments(Path, Path, String, Integer, boolean)}, with the {@code history} parameter:
     * {@code true} is {@code --history}, {@code false} {@code --no-history}, any other value
     * {@code --history=VALUE} (a store path, which the fork resolves in the project's directory, its working
     * directory); unset or blank, nothing (the suite's {@code history:} decides).
     */
    static List<String> runArguments(Path suite, Path out, String endpoint, Integer concurrency, boolean updateBaseline,
            String history) {
        List<String> args = runOnly(suite, out, endpoint, concurrency, updateBaseline);
        if (history != null && !history.isBlank()) {
            String value = history.strip();
            args.add(value.equalsIgnoreCase("true") ? "--history"
                    : value.equalsIgnoreCase("false") ? "--no-history" : "--history=" + value);
        }
        return args;
    }

    private static List<String> runOnly(Path suite, Path out, String endpoint, Integer concurrency,
            boolean updateBaseline) {
        List<String> args = new ArrayList<>(List.of("run", suite.toString(), "--out", out.toString()));
        if (endpoint != null && !endpoint.isBlank()) {
            args.add("--endpoint");
            args.add(endpoint.strip());
        }
        if (concurrency != null) {
            args.add("--concurrency");
            args.add(concurrency.toString());
        }
        if (updateBaseline) {
            args.add("--update-baseline");
        }
        return args;
    }
}
