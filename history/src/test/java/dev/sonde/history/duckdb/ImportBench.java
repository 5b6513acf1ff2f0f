package dev.sonde.history.duckdb;

import dev.sonde.api.SecretMask;
import dev.sonde.history.Added;
import dev.sonde.history.RunSpool;
import dev.sonde.lib.Sonde;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A one-off timing of an import, not a test: {@code RUN_DIR TRIALS FOLDER} spools the run (an
 * emulator run of the regression suite made there first when absent), repeats
 * its trial rows (trial, checks, output) with fresh ids up to {@code TRIALS} trials, and prints how
 * long one {@link DuckDbStore#add} of that spool took into a new store in {@code FOLDER}.
 */
public final class ImportBench {
    private ImportBench() {}

    public static void main(String[] args) throws Exception {
        Path folder = Files.createDirectories(Path.of(args[2]));
        long target = Long.parseLong(args[1]);
        Path runDir = Path.of(args[0]);
        if (!Files.isRegularFile(runDir.resolve("results.json"))) {
            Path project = Path.of(System.getProperty("sonde.projectDir", "..")).toAbsolutePath().normalize();
            Sonde.suite(project.resolve("suites/regression.yaml")).endpoint("emulator").outDir(runDir).workDir(project)
                    .run();
        }
        Path base = RunSpool.write(runDir, folder.resolve("base.jsonl"), SecretMask.NONE).file();
        List<String> lines = Files.readAllLines(base);
        List<String> head = new ArrayList<>();
        List<String> perTrial = new ArrayList<>();
        for (String line : lines) {
            (line.contains("\"trial_id\"") ? perTrial : head).add(line);
        }
        long baseTrials = perTrial.stream().filter(l -> l.contains("\"output_sha256\"")).count();
        Path spool = folder.resolve("big.jsonl");
        long rows = head.size();
        try (BufferedWriter out = Files.newBufferedWriter(spool)) {
            for (String line : head) {
                out.write(line);
                out.newLine();
            }
            for (long copy = 0; copy * baseTrials < target; copy++) {
                for (String line : perTrial) {
                    out.write(line.replaceFirst("(\"trial_id\":\"[^\"]*)\"", "$1-" + copy + "\""));
                    out.newLine();
                    rows++;
                }
            }
        }
        Path store = folder.resolve("bench.duckdb");
        long start = System.nanoTime();
        List<Added> added = new DuckDbStore().add(store, spool, Duration.ofSeconds(5));
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println(added.get(added.size() - 1).line() + "; " + rows + " spool rows in " + millis + " ms");
    }
}
