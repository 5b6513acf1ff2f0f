package dev.sonde.history.duckdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.lib.Sonde;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a {@code kill -9} leaves behind (the driver's unpacked library, spools, an export's temporary
 * store) is swept when a store is opened, once older than an hour; younger files and other names stay.
 */
class TempSweepTest {
    private static final Path PROJECT = Path.of(System.getProperty("sonde.projectDir", "..")).toAbsolutePath().normalize();
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    @TempDir
    Path dir;

    private static Path aged(Path file, Instant modified) throws IOException {
        if (!Files.exists(file)) {
            Files.writeString(file, "x");
        }
        Files.setLastModifiedTime(file, FileTime.from(modified));
        return file;
    }

    @Test
    void leftovers_older_than_an_hour_go_and_younger_ones_and_other_names_stay() throws Exception {
        Instant old = NOW.minus(TempSweep.AGE).minusSeconds(1);
        Instant young = NOW.minus(TempSweep.AGE).plusSeconds(60);
        Path oldLibrary = aged(dir.resolve("libduckdb_java123456.so"), old);
        Path youngLibrary = aged(dir.resolve("libduckdb_java654321.so"), young);
        Path oldSpool = aged(dir.resolve(".history-42.jsonl"), old);
        Path youngSpool = aged(dir.resolve(".history-43.jsonl"), young);
        Path oldExport = Files.createDirectories(dir.resolve(TempSweep.EXPORT_PREFIX + "9"));
        aged(oldExport.resolve("export.duckdb"), old);
        aged(oldExport, old);
        Path otherLibrary = aged(dir.resolve("libother.so"), old);
        Path usersLibrary = aged(dir.resolve("libduckdb_java.so"), old); // one for java.library.path
        Path otherJsonl = aged(dir.resolve("history-42.jsonl"), old);
        Path store = Files.createDirectories(dir.resolve("reports"));
        Path storeSpool = aged(store.resolve(".history-7.jsonl"), old);
        Path libraryBesideStore = aged(store.resolve("libduckdb_java777.so"), old);
        Path exportBesideStore = aged(Files.createDirectories(store.resolve(TempSweep.EXPORT_PREFIX + "1")), old);

        int removed = TempSweep.sweep(dir, store, NOW);

        assertThat(removed).isEqualTo(5); // the library, two spools, the export's folder and its file
        assertThat(List.of(oldLibrary, oldSpool, oldExport, storeSpool)).noneMatch(Files::exists);
        assertThat(List.of(youngLibrary, youngSpool, otherLibrary, usersLibrary, otherJsonl, libraryBesideStore,
                exportBesideStore)).allMatch(Files::exists);
        assertThat(TempSweep.sweep(dir.resolve("absent"), null, NOW)).isZero();
    }

    @Test
    void a_store_opened_in_another_process_sweeps_its_tmpdir_and_the_stores_folder() throws Exception {
        Path run = dir.resolve("run");
        Sonde.suite(PROJECT.resolve("suites/regression.yaml")).endpoint("emulator").concurrency(4).outDir(run)
                .workDir(PROJECT).run();
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path reports = Files.createDirectories(dir.resolve("reports"));
        Instant hoursAgo = Instant.now().minus(Duration.ofHours(3));
        Path oldLibrary = aged(tmp.resolve("libduckdb_java1111.so"), hoursAgo);
        Path oldTmpSpool = aged(tmp.resolve(".history-1.jsonl"), hoursAgo);
        Path oldStoreSpool = aged(reports.resolve(".history-2.jsonl"), hoursAgo);
        Path freshStoreSpool = aged(reports.resolve(".history-3.jsonl"), Instant.now());

        Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "-Djava.io.tmpdir=" + tmp, "-cp",
                System.getProperty("java.class.path"), AddMain.class.getName(), reports.resolve("h.duckdb").toString(),
                run.toString(), "5000").redirectErrorStream(true).start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(p.exitValue()).as(said).isZero();
        assertThat(List.of(oldLibrary, oldTmpSpool, oldStoreSpool)).noneMatch(Files::exists);
        assertThat(freshStoreSpool).exists();
    }
}
