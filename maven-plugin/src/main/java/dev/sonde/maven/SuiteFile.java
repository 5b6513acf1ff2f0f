package dev.sonde.maven;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.maven.plugin.MojoExecutionException;

/**
 * One suite file a goal runs, and its name: the file name without its extension (the whole name
 * when it has none, or only a leading dot), which names its run folder and its entry in the
 * last-run file.
 */
record SuiteFile(String name, Path file) {

    /**
     * The suites of the {@code suites} parameter, in the order given: each entry a file, or a
     * directory meaning every {@code .yaml}/{@code .yml} file directly in it, sorted by name.
     * Relative entries resolve against {@code basedir}.
     *
     * @throws MojoExecutionException nothing configured, a missing path, a directory with no suite,
     *     or two suites of one name (their run folders would clash)
     */
    static List<SuiteFile> resolve(Path basedir, List<String> configured) throws MojoExecutionException {
        if (configured == null || configured.stream().allMatch(s -> s == null || s.isBlank())) {
            throw new MojoExecutionException("Sonde: no suites configured: set <suites> in the plugin's configuration"
                    + " or -Dsonde.suites=path/to/suite.yaml (a file or a directory of .yaml files)");
        }
        List<SuiteFile> suites = new ArrayList<>();
        for (String entry : configured) {
            if (entry == null || entry.isBlank()) {
                continue;
            }
            Path path = basedir.resolve(entry.strip()).normalize();
            if (Files.isDirectory(path)) {
                List<Path> inside = yamlFiles(path);
                if (inside.isEmpty()) {
                    throw new MojoExecutionException("Sonde: suite directory " + path + " holds no .yaml file");
                }
                inside.forEach(f -> suites.add(of(f)));
            } else if (Files.isRegularFile(path)) {
                suites.add(of(path));
            } else {
                throw new MojoExecutionException("Sonde: suite " + path + " does not exist");
            }
        }
        Map<String, Path> byName = new HashMap<>();
        for (SuiteFile s : suites) {
            Path other = byName.putIfAbsent(s.name(), s.file());
            if (other != null && !other.equals(s.file())) {
                throw new MojoExecutionException("Sonde: two suites are named " + s.name() + " (" + other + " and "
                        + s.file() + "): their run folders and results would clash; rename one");
            }
        }
        return suites.stream().distinct().toList();
    }

    private static SuiteFile of(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return new SuiteFile(dot > 0 ? name.substring(0, dot) : name, file);
    }

    private static boolean isYaml(Path p) {
        String name = p.getFileName().toString();
        return (name.endsWith(".yaml") || name.endsWith(".yml")) && Files.isRegularFile(p);
    }

    private static List<Path> yamlFiles(Path dir) throws MojoExecutionException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(SuiteFile::isYaml).sorted().toList();
        } catch (IOException e) {
            throw new MojoExecutionException("Sonde: cannot list suite directory " + dir + ": " + e.getMessage(), e);
        }
    }
}
