package dev.sonde.junit;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.platform.engine.ConfigurationParameters;

/**
 * The engine's configuration, read once per discovery from the request's configuration parameters,
 * each falling back to the system property of the same name (Surefire's first discovery pass gets no
 * configuration parameters, but system properties reach its JVM).
 *
 * @param baseDir what suite paths are relative to, and the run's working directory ({@code .env},
 *     {@code reports/runs})
 * @param suites {@code sonde.suites}: files or directories to run besides the selected ones
 * @param requested {@code sonde.suite}: the suite a marker with no value runs (a name or a path), or empty
 * @param requestedProfiles {@code sonde.requestedProfiles}: {@code profiles=[suite=x, …]} as Maven passes them
 * @param endpoint {@code sonde.endpoint}, or null for the suite's own
 * @param concurrency {@code sonde.concurrency}, or null for the suite's own
 * @param repeat {@code sonde.repeat}, or null for the suite's own
 * @param updateBaseline {@code sonde.updateBaseline}
 * @param outDir {@code sonde.outDir}: the parent of each run's folder, or null for {@code <base>/reports/runs}
 * @param invalid a value that cannot be used, one line; every suite then fails with it
 */
record Settings(Path baseDir, List<String> suites, String requested, String requestedProfiles, String endpoint,
        Integer concurrency, Integer repeat, boolean updateBaseline, Path outDir, String invalid) {

    static Settings read(ConfigurationParameters params) {
        Path base = Path.of(value(params, "sonde.baseDir")
                .or(() -> Optional.ofNullable(System.getProperty("sonde.projectDir")).filter(s -> !s.isBlank()))
                .orElse(System.getProperty("user.dir"))).toAbsolutePath().normalize();
        List<String> suites = value(params, "sonde.suites")
                .map(s -> Arrays.stream(s.split(",")).map(String::strip).filter(p -> !p.isEmpty()).toList())
                .orElse(List.of());
        String invalid = null;
        Integer concurrency = null;
        Integer repeat = null;
        try {
            concurrency = value(params, "sonde.concurrency").map(v -> number("sonde.concurrency", v)).orElse(null);
            repeat = value(params, "sonde.repeat").map(v -> number("sonde.repeat", v)).orElse(null);
        } catch (IllegalArgumentException e) {
            invalid = e.getMessage();
        }
        String update = value(params, "sonde.updateBaseline").orElse("false");
        if (!update.equalsIgnoreCase("true") && !update.equalsIgnoreCase("false")) {
            invalid = "sonde.updateBaseline: '" + update + "' is neither true nor false";
        }
        return new Settings(base, suites, value(params, "sonde.suite").orElse(""),
                value(params, "sonde.requestedProfiles").orElse(""), value(params, "sonde.endpoint").orElse(null),
                concurrency, repeat, update.equalsIgnoreCase("true"),
                value(params, "sonde.outDir").map(d -> base.resolve(d).normalize()).orElse(null), invalid);
    }

    /** {@code value} relative to the base directory (an absolute path stays as it is). */
    Path resolve(String value) {
        return baseDir.resolve(value).normalize();
    }

    /** How a suite file is named in unique ids: relative to the base directory with {@code /}, or absolute outside it. */
    String key(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        Path named = abs.startsWith(baseDir) ? baseDir.relativize(abs) : abs;
        return named.toString().replace(File.separatorChar, '/');
    }

    private static Optional<String> value(ConfigurationParameters params, String key) {
        return params.get(key).or(() -> Optional.ofNullable(System.getProperty(key)))
                .map(String::strip).filter(s -> !s.isEmpty());
    }

    private static Integer number(String key, String value) {
        try {
            return Integer.valueOf(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": '" + value + "' is not a whole number");
        }
    }
}
