package dev.sonde.junit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The suite a {@link SondeSuite} with no value runs: the one the build requests with
 * {@code -Psuite=NAME} or {@code -Dsuite=PATH} ({@code sonde.suite}, with {@code sonde.requestedProfiles}
 * to tell an unknown profile name). The messages are the Maven gate's, word for word.
 */
final class RequestedSuite {
    static final String NONE_REQUESTED = "no suite requested (-Psuite=NAME or -Dsuite=PATH)";
    private static final String HOW = ". Run one with -Psuite=NAME, or any file with -Dsuite=path/to/suite.yaml";

    /** What the build asked for. */
    sealed interface Choice permits Chosen, Refused, NoneRequested {}

    /** A suite file that exists. */
    record Chosen(Path file) implements Choice {}

    /** A name or file that is not a suite: the container fails with {@code message}. */
    record Refused(String message) implements Choice {}

    /** Nothing requested: the container is skipped, so a plain build is unaffected. */
    record NoneRequested(String reason) implements Choice {}

    private RequestedSuite() {}

    static Choice of(Settings settings) {
        String suite = settings.requested();
        List<String> requested = suiteProfiles(settings.requestedProfiles());
        if (suite.isEmpty() && !requested.isEmpty()) {
            return new Refused("no suite named '" + requested.get(0) + "' (-Psuite=" + requested.get(0) + "); suites: "
                    + knownSuites(settings.baseDir()) + HOW);
        }
        if (suite.isEmpty()) {
            return new NoneRequested(NONE_REQUESTED);
        }
        Path file = resolve(settings, suite);
        if (!Files.isRegularFile(file)) {
            return new Refused((requested.contains(suite) ? "no suite named '" + suite + "' (-Psuite=" + suite + ": "
                    + file + " does not exist)" : "no suite file " + file) + "; suites: "
                    + knownSuites(settings.baseDir()) + HOW);
        }
        return new Chosen(file);
    }

    /** {@code profiles=[suite=nope, other]} → {@code [nope]}. */
    static List<String> suiteProfiles(String property) {
        String list = property.replaceFirst("^profiles=\\[", "").replaceFirst("]$", "");
        return Arrays.stream(list.split(","))
                .map(String::strip)
                .filter(p -> p.startsWith("suite="))
                .map(p -> p.substring("suite=".length()))
                .toList();
    }

    /** A name runs {@code <base>/suites/NAME.yaml}; anything that looks like a path is a path. */
    private static Path resolve(Settings settings, String suite) {
        if (suite.endsWith(".yaml") || suite.endsWith(".yml") || suite.contains("/")) {
            return settings.resolve(suite);
        }
        return settings.baseDir().resolve("suites").resolve(suite + ".yaml");
    }

    private static String knownSuites(Path base) {
        Path dir = base.resolve("suites");
        if (!Files.isDirectory(dir)) {
            return "(none: no suites/ folder)";
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".yaml"))
                    .map(n -> n.substring(0, n.length() - 5))
                    .sorted()
                    .collect(Collectors.joining(", "));
        } catch (IOException e) {
            return "(cannot list " + dir + ": " + e.getMessage() + ")";
        }
    }
}
