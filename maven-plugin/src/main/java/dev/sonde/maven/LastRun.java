package dev.sonde.maven;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.maven.plugin.MojoExecutionException;

/**
 * The files {@code sonde:run} leaves for {@code sonde:verify}: one per execution,
 * {@code last-run-<execution id>.properties} in the report directory, so two executions of
 * {@code sonde:run} in one build keep each other's results. Each holds the build's start time
 * ({@code build.start}, epoch ms: Maven's session start, the same for every goal of one build) and
 * one block of keys per suite in run order ({@code suite.1.name}, {@code suite.1.exit},
 * {@code suite.1.report}, {@code suite.1.failure.1}, …), UTF-8. It is rewritten whole after each
 * suite (written beside, then moved over), so it always holds every suite that ended;
 * {@code sonde:run} deletes its own first, so a run that breaks before its first suite leaves none
 * rather than an old one. {@code sonde:verify} reads only the files of its own build: a file from an
 * earlier build (an execution skipped this time) is never judged.
 */
final class LastRun {
    private static final String PREFIX = "last-run-";
    private static final String SUFFIX = ".properties";
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]");

    private LastRun() {}

    /** {@code last-run-<executionId>.properties}, characters other than letters, digits, {@code ._-} as {@code _}. */
    static String fileName(String executionId) {
        return PREFIX + UNSAFE.matcher(executionId).replaceAll("_") + SUFFIX;
    }

    static void write(Path file, long buildStartMillis, List<SuiteRun> runs) throws IOException {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("build.start", Long.toString(buildStartMillis));
        keys.put("suites", Integer.toString(runs.size()));
        for (int i = 0; i < runs.size(); i++) {
            SuiteRun r = runs.get(i);
            String p = "suite." + (i + 1) + ".";
            keys.put(p + "name", r.name());
            keys.put(p + "file", r.file().toString());
            keys.put(p + "exit", Integer.toString(r.exit()));
            keys.put(p + "runFolder", r.runFolder().toString());
            if (r.report() != null) {
                keys.put(p + "report", r.report());
            }
            if (r.summary() != null) {
                keys.put(p + "summary", r.summary());
            }
            list(keys, p + "failure.", r.failures());
            list(keys, p + "problem.", r.problems());
            list(keys, p + "baseline.", r.baselines());
        }
        StringBuilder text = new StringBuilder("# written by sonde:run, read by sonde:verify\n");
        keys.forEach((k, v) -> text.append(k).append('=').append(escape(v)).append('\n'));
        Files.createDirectories(file.getParent());
        Path partial = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(partial, text, StandardCharsets.UTF_8);
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Every suite the executions of {@code sonde:run} in this build recorded: the last-run files in
     * {@code reportDirectory} whose {@code build.start} is {@code buildStartMillis}, in the order
     * they were written.
     *
     * @throws MojoExecutionException no such file (sonde:run did not run in this build, or was
     *     skipped), or one that cannot be read or lacks a suite's name, file or exit code
     */
    static List<SuiteRun> readBuild(Path reportDirectory, long buildStartMillis) throws MojoExecutionException {
        List<Path> files;
        try (Stream<Path> listed = Files.isDirectory(reportDirectory) ? Files.list(reportDirectory) : Stream.empty()) {
            files = listed.filter(LastRun::isLastRun).sorted(Comparator.comparing(LastRun::modified)
                    .thenComparing(Path::getFileName)).toList();
        } catch (IOException | UncheckedIOException e) {
            throw new MojoExecutionException("Sonde: cannot list " + reportDirectory + ": " + e.getMessage(), e);
        }
        List<SuiteRun> runs = new ArrayList<>();
        boolean any = false;
        for (Path file : files) {
            Properties keys = load(file);
            if (Long.toString(buildStartMillis).equals(keys.getProperty("build.start"))) {
                any = true;
                runs.addAll(read(file, keys));
            }
        }
        if (!any) {
            throw new MojoExecutionException("Sonde: nothing to verify: sonde:run did not run in this build (no "
                    + PREFIX + "*" + SUFFIX + " of this build in " + reportDirectory + "; bind sonde:run to"
                    + " integration-test, or run `mvn verify` rather than the verify goal alone)");
        }
        return runs;
    }

    /** One file's suites, whatever build wrote it. */
    static List<SuiteRun> read(Path file) throws MojoExecutionException {
        return read(file, load(file));
    }

    private static boolean isLastRun(Path p) {
        String name = p.getFileName().toString();
        return name.startsWith(PREFIX) && name.endsWith(SUFFIX) && Files.isRegularFile(p);
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Properties load(Path file) throws MojoExecutionException {
        Properties keys = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            keys.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new MojoExecutionException("Sonde: cannot read " + file + ": " + e.getMessage(), e);
        }
        return keys;
    }

    private static List<SuiteRun> read(Path file, Properties keys) throws MojoExecutionException {
        List<SuiteRun> runs = new ArrayList<>();
        try {
            int n = Integer.parseInt(required(keys, "suites", file));
            for (int i = 1; i <= n; i++) {
                String p = "suite." + i + ".";
                String report = keys.getProperty(p + "report");
                runs.add(new SuiteRun(required(keys, p + "name", file), Path.of(required(keys, p + "file", file)),
                        Integer.parseInt(required(keys, p + "exit", file)), Path.of(required(keys, p + "runFolder", file)),
                        report, keys.getProperty(p + "summary"), list(keys, p + "failure."), list(keys, p + "problem."),
                        list(keys, p + "baseline.")));
            }
        } catch (NumberFormatException e) {
            throw new MojoExecutionException("Sonde: " + file + " is damaged (" + e.getMessage() + "): run sonde:run again", e);
        }
        return runs;
    }

    private static String required(Properties keys, String key, Path file) throws MojoExecutionException {
        String value = keys.getProperty(key);
        if (value == null) {
            throw new MojoExecutionException("Sonde: " + file + " is damaged (no " + key + "): run sonde:run again");
        }
        return value;
    }

    private static void list(Map<String, String> keys, String prefix, List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            keys.put(prefix + (i + 1), values.get(i));
        }
    }

    private static List<String> list(Properties keys, String prefix) {
        List<String> values = new ArrayList<>();
        for (int i = 1; keys.getProperty(prefix + i) != null; i++) {
            values.add(keys.getProperty(prefix + i));
        }
        return values;
    }

    /** A value as {@link Properties#load(Reader)} reads it back unchanged (keys here are plain). */
    static String escape(String value) {
        StringBuilder sb = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\f' -> sb.append("\\f");
                case ' ' -> sb.append(i == 0 ? "\\ " : " ");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
