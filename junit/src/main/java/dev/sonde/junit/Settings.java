package dev.sonde.junit;

import dev.sonde.session.HistorySetting;
import dev.sonde.suite.Plan;
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
 * @param suites {@code sonde.junit.suites}: files or directories to run besides the selected ones (not
 *     {@code sonde.suites}: that is the Maven plugin's user property, and a {@code -D} meant for it reaches the
 *     test JVMs too)
 * @param requested {@code sonde.suite}: the suite a marker with no value runs (a name or a path), or empty
 * @param requestedProfiles {@code sonde.requestedProfiles}: {@code profiles=[suite=x, …]} as Maven passes them
 * @param endpoint {@code sonde.endpoint}, or null for the suite's own
 * @param concurrency {@code sonde.concurrency}, or null for the suite's own
 * @param repeat {@code sonde.repeat}, or null for the suite's own
 * @param updateBaseline {@code sonde.updateBaseline}
 * @param outDir {@code sonde.outDir}: the parent of each run's folder, or null for {@code <base>/reports/runs}
 * @param history {@code sonde.history}: {@code true} ({@code --history}), {@code false} ({@code --no-history}) or a
 *     store path relative to the base directory ({@code --history=PATH}); unset, the suite's {@code history:} decides
 * @param invalid a value that cannot be used, one line; every suite then fails with it
 */
record Settings(Path baseDir, List<String> suites, String requested, String requestedProfiles, String endpoint,
        Integer concurrency, Integer repeat, boolean updateBaseline, Path outDir, HistorySetting history,
        String invalid) {
    static final String SUITES = "sonde.junit.suites";
    static final String HISTORY = "sonde.history";
    static final String UPDATE_BASELINE = "sonde.updateBaseline";

    static Settings read(ConfigurationParameters params) {
        Path base = Path.of(value(params, "sonde.baseDir")
                .or(() -> Optional.ofNullable(System.getProperty("sonde.projectDir")).filter(s -> !s.isBlank()))
                .orElse(System.getProperty("user.dir"))).toAbsolutePath().normalize();
        List<String> suites = value(params, SUITES)
                .map(s -> Arrays.stream(s.split(",")).map(String::strip).filter(p -> !p.isEmpty()).toList())
                .orElse(List.of());
        String invalid = null;
        Integer concurrency = null;
        Integer repeat = null;
        try {
            concurrency = value(params, "sonde.concurrency").map(v -> number("sonde.concurrency", v, Integer.MAX_VALUE))
                    .orElse(null);
            repeat = value(params, "sonde.repeat").map(v -> number("sonde.repeat", v, Plan.MAX_REPEAT)).orElse(null);
        } catch (IllegalArgumentException e) {
            invalid = e.getMessage();
        }
        String update = value(params, UPDATE_BASELINE).orElse("false");
        if (!update.equalsIgnoreCase("true") && !update.equalsIgnoreCase("false")) {
            invalid = UPDATE_BASELINE + ": '" + update + "' is neither true nor false";
        }
        return new Settings(base, suites, value(params, "sonde.suite").orElse(""),
                value(params, "sonde.requestedProfiles").orElse(""), value(params, "sonde.endpoint").orElse(null),
                concurrency, repeat, update.equalsIgnoreCase("true"),
                value(params, "sonde.outDir").map(d -> base.resolve(d).normalize()).orElse(null),
                value(params, HISTORY).map(h -> history(base, h)).orElse(HistorySetting.AS_SUITE), invalid);
    }

    /** {@code sonde.history}'s value as the CLI's {@code --history}, {@code --no-history} or {@code --history=PATH}. */
    private static HistorySetting history(Path base, String value) {
        return value.equalsIgnoreCase("true") ? HistorySetting.on(null)
                : value.equalsIgnoreCase("false") ? HistorySetting.off()
                : HistorySetting.on(base.resolve(value).normalize());
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

    /** The engine's own name and range, before the session would word it as the CLI's flag. */
    private static Integer number(String key, String value, int max) {
        String range = max == Integer.MAX_VALUE ? "a whole number >= 1" : "a whole number from 1 to " + max;
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(key + " must be " + range + ", not '" + value + "'");
    }
}
