package dev.sonde.maven;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunFolderTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-05T21:15:07Z"), ZoneOffset.UTC);

    @TempDir
    Path reports;

    @Test
    void a_suites_run_folder_is_its_name_and_the_utc_time_as_the_cli_stamps_runs() {
        assertThat(RunFolder.next(reports, "orders", CLOCK)).isEqualTo(reports.resolve("orders-20261205-211507"));
    }

    @Test
    void a_taken_folder_is_never_reused_since_the_cli_refuses_a_folder_that_holds_a_run() throws Exception {
        Files.createDirectories(reports.resolve("orders-20261205-211507"));
        Files.createDirectories(reports.resolve("orders-20261205-211507-2"));
        assertThat(RunFolder.next(reports, "orders", CLOCK)).isEqualTo(reports.resolve("orders-20261205-211507-3"));
    }
}
