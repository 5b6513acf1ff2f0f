package dev.sonde.maven;

import java.nio.file.Path;
import java.util.List;

/**
 * Stands in for Maven in {@link CliForkTest}: a JVM that runs one suite through {@link CliFork}
 * (with its own class path as the fork's) and is then stopped from outside.
 * Arguments: the suite file and the run folder.
 */
final class ForkOwner {
    private ForkOwner() {}

    public static void main(String[] args) throws Exception {
        Path suite = Path.of(args[0]);
        Path folder = Path.of(args[1]);
        List<Path> classPath = CliForkTest.testClassPath();
        ForkCommand command = new ForkCommand(Path.of(System.getProperty("java.home"), "bin", "java"), List.of(),
                classPath, ForkCommand.runArguments(suite, folder, null, null, false));
        CliFork.run(new SuiteFile("slow", suite), folder, command, suite.getParent(), new CliFork.Sink() {
            @Override
            public void out(String line) {
                System.out.println(line);
            }

            @Override
            public void err(String line) {
                System.out.println(line);
            }
        });
    }
}
