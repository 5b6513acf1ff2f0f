package dev.sonde.maven;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Where a suite's forked run writes: {@code <reportDirectory>/<suite>-<yyyyMMdd-HHmmss>} (UTC),
 * the CLI's own run-id stamp, with {@code -2}, {@code -3}… when that folder exists. A fresh folder
 * each time because the CLI's {@code --out} refuses a folder that already holds a run
 * ({@code trials.jsonl}), so a second {@code mvn verify} without {@code clean} still runs.
 */
final class RunFolder {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private RunFolder() {}

    static Path next(Path reportDirectory, String suite, Clock clock) {
        String base = suite + "-" + STAMP.format(clock.instant());
        Path folder = reportDirectory.resolve(base);
        for (int n = 2; Files.exists(folder); n++) {
            folder = reportDirectory.resolve(base + "-" + n);
        }
        return folder;
    }
}
