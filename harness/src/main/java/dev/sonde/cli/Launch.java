package dev.sonde.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * How a plain {@code java -jar sonde.jar} runs as well as {@code ./sonde}: a JVM started with no
 * options at all replaces itself ({@link Exec}, same process) with one started with {@link #FLAGS}
 * and a start-up cache of the jar's classes. A JVM started with any option (on the command line or
 * in {@code JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS}, {@code _JAVA_OPTIONS}) is the user's
 * choice and runs as started; so does one with {@code SONDE_RELAUNCH=0}.
 *
 * <p>The flags set no heap size. GC ergonomics: a run holds little and allocates fast, and the
 * serial collector with a young generation of a fifth of the heap, returning free heap early,
 * keeps the process near what it holds, where the default collector (G1) grows its heap with the
 * allocation rate, differently from run to run; a full collection (a large run makes one after
 * loading and one after its requests) compacts completely, where the collector would leave up to
 * 5 % of the old generation, ~15 MB, as dead space in place. The compiler: every command but the emulator runs
 * seconds to minutes, mostly waiting on the network, and compiles with the quick compiler (C1)
 * only ({@link #QUICK_COMPILER}): the optimising one (C2) added ~1.7 s of CPU and ~0.7 s of wall
 * time to a 5,000-case run on 2 cores and ~45 MB of peak memory to a 100,000-case one, and made
 * the 100,000-case runs no faster.
 * {@code sonde emulator} is a server that may run for hours under load and keeps both
 * ({@link #flags}; README "Performance" has the figures).
 *
 * <p>The cache lives beside the jar, one per JDK build ({@link #cacheFile}), when that folder is
 * writable and {@code SONDE_NO_CACHE} is unset: on Java 25+ an AOT cache (JEP 483) made once by a
 * short training run on the embedded emulator (no key, nothing sent), on Java 22–24 a dynamic CDS
 * archive the JVM writes at the end of its first run. It is made again when the jar is newer; a
 * new one replaces the jar's caches for other JDK builds ({@link #removeOtherCaches}).
 * {@code ./sonde} passes the same flags and cache itself and marks the JVM it starts, so it never
 * pays for the replacement.
 */
final class Launch {
    /**
     * Lets the history store's DuckDB driver load its native library ({@code System.load}) without
     * JDK 24+'s four warning lines: under {@code -cp} the jar's {@code Enable-Native-Access} manifest
     * attribute does not count. It covers a driver in a child class loader too.
     */
    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    /** The JVM options a relaunch adds for every command (and {@code ./sonde} passes; LaunchTest holds them equal). */
    static final List<String> FLAGS = List.of("-XX:+UseSerialGC", "-XX:NewRatio=4", "-XX:MinHeapFreeRatio=10",
            "-XX:MaxHeapFreeRatio=40", "-XX:MarkSweepDeadRatio=0", Launch.NATIVE_ACCESS);
    /**
     * The collector a benchmark runs on instead of {@link #FLAGS}' serial one: an open-loop step at 200
     * requests/s holds ~600 streams, ~15 MB of live state that every serial young collection (one
     * every ~2 s there) copies in one 45–65 ms pause, and every request due in a pause leaves late
     * (start-delay p99 ~20 ms, bench/openloop.sh); G1's parallel young pauses kept it near the
     * machine's own floor (~1.5 ms) for ~100 MB more memory. ZGC reached the floor too but cannot map
     * the start-up cache (its uncompressed pointers) and took ~300 MB more. Chosen by {@link #benchmark}.
     */
    /**
     * With a Java 25 AOT cache, made and used alike: no compiled adapters in the cache. JDK 25.0.3
     * saves adapter stubs under names it then fails to link on every later start, printing two
     * {@code [warning][aot…]} lines before each command's own output; the classes the cache holds,
     * where its start-up gain is, are unaffected.
     */
    static final List<String> AOT_FLAGS = List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:-AOTAdapterCaching");

    static final List<String> BENCHMARK_FLAGS = List.of("-XX:+UseG1GC", Launch.NATIVE_ACCESS);
    /** How much of a suite file {@link #benchmark} reads for its top-level {@code load:} key. */
    static final int SUITE_SCAN_BYTES = 4 << 20;
    private static final Pattern TOP_LEVEL_LOAD = Pattern.compile("(?m)^load[ \t]*:");
    /** Added for every command but {@code emulator}: compile with C1 only (the class comment says why). */
    static final String QUICK_COMPILER = "-XX:TieredStopAtLevel=1";
    /** The command that keeps the optimising compiler: a server, long-running and CPU-bound under load. */
    static final String SERVER_COMMAND = "emulator";
    /** Set in the environment of a JVM that was started with {@link #FLAGS}: it never relaunches. */
    static final String LAUNCHED = "SONDE_LAUNCHED";
    private static final List<String> OPTION_VARIABLES = List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");
    private static final long TRAINING_SECONDS = 180;

    private Launch() {}

    /** Replaces this JVM as the class comment says, or returns to run the command here. */
    static void replaceIfPlain(String[] args) {
        Map<String, String> env = System.getenv();
        if (!plain(env, List.of())) {
            return;
        }
        // the command line as started (/proc, a few ms); the management beans (~20 ms) where it is not readable
        List<String> options = ProcessHandle.current().info().arguments().map(a -> jvmOptions(List.of(a)))
                .orElseGet(() -> ManagementFactory.getRuntimeMXBean().getInputArguments());
        if (!plain(env, options)) {
            return;
        }
        int feature = Runtime.version().feature();
        if (feature < 22 || System.getProperty("os.name", "").startsWith("Windows")) {
            return; // no final foreign-function API (Java 21) or no execve (Windows): run here
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String classPath = System.getProperty("java.class.path");
        Optional<Path> cache = env.containsKey("SONDE_NO_CACHE") ? Optional.empty()
                : cacheFile(classPath, System.getProperty("java.home"), System.getProperty("java.version"));
        if (cache.isPresent() && feature >= 25) {
            prepareAotCache(java, singleJar(classPath).orElseThrow(), cache.get());
        } else if (cache.isPresent() && !Files.exists(cache.get())) {
            removeOtherCaches(singleJar(classPath).orElseThrow(), cache.get()); // the JVM writes this one as it exits
        }
        List<String> command = command(java, classPath, cache, feature, args);
        Map<String, String> childEnv = new HashMap<>(env);
        childEnv.put(LAUNCHED, "1");
        Exec.replace(java.toString(), command, childEnv);
    }

    /**
     * The JVM options of a {@code java} command line (its arguments after the program name): those
     * before {@code -jar}, the main class or a source file, without the class path, which the
     * replacement keeps ({@code -cp}, {@code -classpath}, {@code --class-path} and their value).
     * An {@code @argfile} counts as an option.
     */
    static List<String> jvmOptions(List<String> arguments) {
        List<String> options = new ArrayList<>();
        for (int i = 0; i < arguments.size(); i++) {
            String a = arguments.get(i);
            if (a.equals("-jar") || !a.startsWith("-") && !a.startsWith("@")) {
                break;
            }
            if (a.equals("-cp") || a.equals("-classpath") || a.equals("--class-path")) {
                i++;
                continue;
            }
            options.add(a);
        }
        return options;
    }

    /** Whether this JVM may be replaced: not marked, not opted out, and started with no option. */
    static boolean plain(Map<String, String> env, List<String> jvmArguments) {
        return !env.containsKey(LAUNCHED) && !"0".equals(env.get("SONDE_RELAUNCH"))
                && OPTION_VARIABLES.stream().allMatch(v -> env.getOrDefault(v, "").isBlank())
                && jvmArguments.isEmpty();
    }

    /**
     * The JVM options for a command line: {@link #FLAGS} ({@link #BENCHMARK_FLAGS} for a benchmark),
     * and {@link #QUICK_COMPILER} unless it starts the emulator.
     */
    static List<String> flags(String[] args) {
        List<String> flags = new ArrayList<>(benchmark(args) ? BENCHMARK_FLAGS : FLAGS);
        if (args.length == 0 || !args[0].equals(SERVER_COMMAND)) {
            flags.add(QUICK_COMPILER);
        }
        return flags;
    }

    /**
     * Whether a command line runs a benchmark: {@code run} with a {@code .yaml}/{@code .yml} file
     * among its arguments that has a top-level {@code load:} key in its first
     * {@value #SUITE_SCAN_BYTES} bytes (a line scan, no YAML parser loaded before the relaunch;
     * {@code ./sonde} makes the same test with grep). A file that cannot be read counts as no benchmark.
     */
    static boolean benchmark(String[] args) {
        if (args.length < 2 || !args[0].equals("run")) {
            return false;
        }
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (!a.endsWith(".yaml") && !a.endsWith(".yml")) {
                continue;
            }
            try (java.io.InputStream in = Files.newInputStream(Path.of(a))) {
                byte[] head = in.readNBytes(SUITE_SCAN_BYTES);
                if (TOP_LEVEL_LOAD.matcher(new String(head, java.nio.charset.StandardCharsets.UTF_8)).find()) {
                    return true;
                }
            } catch (IOException | RuntimeException e) {
                // not a readable file: run's own parsing will say so
            }
        }
        return false;
    }

    /** The replacement's argv: the same JDK and class path, {@link #flags}, the cache, the arguments. */
    static List<String> command(Path java, String classPath, Optional<Path> cache, int javaFeature, String[] args) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(flags(args));
        cache.ifPresent(c -> {
            if (javaFeature >= 25) {
                if (Files.isRegularFile(c)) {
                    command.add("-XX:AOTCache=" + c);
                    command.addAll(AOT_FLAGS);
                }
            } else {
                command.add("-XX:SharedArchiveFile=" + c);
                command.add("-XX:+AutoCreateSharedArchive");
            }
        });
        command.add("-cp");
        command.add(singleJar(classPath).map(Path::toString).orElse(classPath));
        command.add(Main.class.getName());
        command.addAll(List.of(args));
        return command;
    }

    /**
     * Where the start-up cache for this jar and JDK lives: beside the jar,
     * {@code <jar name>-java-<version>-<first 8 hex digits of sha256(java.home)>.aot} ({@code .jsa}
     * before Java 25); empty when the class path is not one jar or its folder is not writable.
     */
    static Optional<Path> cacheFile(String classPath, String javaHome, String javaVersion) {
        return singleJar(classPath).filter(jar -> Files.isWritable(jar.getParent())).map(jar -> {
            String name = jar.getFileName().toString();
            String base = name.substring(0, name.length() - ".jar".length());
            String suffix = Runtime.Version.parse(javaVersion).feature() >= 25 ? ".aot" : ".jsa";
            return jar.resolveSibling(base + "-java-" + javaVersion + "-" + sha256(javaHome).substring(0, 8) + suffix);
        });
    }

    /** The class path's one jar, as a real absolute path, or empty. */
    static Optional<Path> singleJar(String classPath) {
        if (classPath == null || classPath.contains(java.io.File.pathSeparator) || !classPath.endsWith(".jar")) {
            return Optional.empty();
        }
        try {
            return Optional.of(Path.of(classPath).toRealPath());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * Removes {@code jar}'s start-up caches for other JDK builds, {@code keep} excepted: the files
     * beside it named as {@link #cacheFile} names them ({@code <jar name>-java-<version>-<8 hex>.aot}
     * or {@code .jsa}), so one ~50 MB cache per JDK update does not pile up. Called when a new cache is
     * written; another jar's caches, and a training run's {@code .tmp.<pid>} file, are left alone.
     * A file that cannot be removed stays.
     */
    static void removeOtherCaches(Path jar, Path keep) {
        String name = jar.getFileName().toString();
        Pattern ours = Pattern.compile(Pattern.quote(name.substring(0, name.length() - ".jar".length()))
                + "-java-(?!.*-java-)[0-9].*-[0-9a-f]{8}\\.(aot|jsa)");
        try (Stream<Path> siblings = Files.list(jar.getParent())) {
            for (Path other : siblings.filter(p -> ours.matcher(p.getFileName().toString()).matches() && !p.equals(keep)).toList()) {
                try {
                    Files.deleteIfExists(other);
                } catch (IOException e) {
                    // in use or not ours to remove: it stays, as before
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // the folder cannot be listed: nothing removed
        }
    }

    /**
     * Makes the AOT cache when it is missing or older than the jar: a training run of
     * {@code training.yaml} (300 rows, a streamed and a whole-response model, two checks) on the
     * embedded emulator, its output thrown away. A failed training leaves no cache and costs only
     * its time; the run goes on without one.
     */
    static void prepareAotCache(Path java, Path jar, Path cache) {
        try {
            if (Files.isRegularFile(cache) && Files.getLastModifiedTime(cache).compareTo(Files.getLastModifiedTime(jar)) >= 0) {
                return;
            }
            Files.deleteIfExists(cache);
            System.err.println("sonde: preparing a start-up cache for Java " + Runtime.version().feature()
                    + " (once per build)…");
            Path dir = Files.createTempDirectory("sonde-training");
            Path partial = cache.resolveSibling(cache.getFileName() + ".tmp." + ProcessHandle.current().pid());
            try {
                StringBuilder rows = new StringBuilder("id,topic\n");
                for (int i = 1; i <= 300; i++) {
                    rows.append(i).append(",harbour ").append(i).append('\n');
                }
                Files.writeString(dir.resolve("cases.csv"), rows);
                Files.writeString(dir.resolve("fast.yaml"), "latency: [{model: \"*\", ttft_base_ms: 0, prefill_us_per_token: 0,"
                        + " output_tokens_per_second: 0, jitter_sigma: 0}]\n");
                try (InputStream suite = Launch.class.getResourceAsStream("training.yaml")) {
                    Files.copy(suite, dir.resolve("training.yaml"));
                }
                List<String> train = new ArrayList<>(List.of(java.toString()));
                train.addAll(flags(new String[] {"run"}));
                train.add("-XX:AOTCacheOutput=" + partial);
                train.addAll(AOT_FLAGS);
                train.addAll(List.of("-cp", jar.toString(), Main.class.getName(), "run",
                        dir.resolve("training.yaml").toString(), "--endpoint", "emulator", "--out", dir.resolve("out").toString(), "-q"));
                ProcessBuilder builder = new ProcessBuilder(train).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                builder.environment().put(LAUNCHED, "1");
                Process training = builder.start();
                if (!training.waitFor(TRAINING_SECONDS, TimeUnit.SECONDS)) {
                    training.destroyForcibly().waitFor();
                }
                if (Files.isRegularFile(partial) && Files.size(partial) > 0) {
                    Files.move(partial, cache, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    removeOtherCaches(jar, cache);
                }
            } finally {
                Files.deleteIfExists(partial);
                try (Stream<Path> all = Files.walk(dir)) {
                    all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // no cache: the run starts a little slower, nothing else changes
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
