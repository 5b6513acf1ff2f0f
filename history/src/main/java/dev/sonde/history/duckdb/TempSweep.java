package dev.sonde.history.duckdb;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Removes what a process killed with {@code kill -9} during a history command leaves behind: the
 * DuckDB driver's copy of its native library ({@code libduckdb_java*.so}, 57–72 MB, marked
 * delete-on-exit, which never runs then), the CLI's spools ({@code .history-*.jsonl}) and the export's
 * temporary stores ({@code .history-export-*}). Only files older than {@link #AGE}: a live process
 * may still be copying them (a library it has loaded survives the unlink on Linux; where the system
 * refuses the delete, it is left). The library and the export's folders are looked for in {@code
 * java.io.tmpdir} alone, under the names the driver and the export give them ({@code
 * libduckdb_java<digits>.so}: a {@code libduckdb_java.so} a user put on {@code java.library.path} is
 * never touched); spools there and in the store's folder. Best effort, never fails the caller.
 * Stateless.
 */
final class TempSweep {
    /** How old a leftover must be to be removed. */
    static final Duration AGE = Duration.ofHours(1);
    /** The name prefix of the export's temporary folders. */
    static final String EXPORT_PREFIX = ".history-export-";
    private static final Pattern TEMPORARY = Pattern.compile("libduckdb_java[0-9]+\\.so|\\.history-.+\\.jsonl|"
            + Pattern.quote(EXPORT_PREFIX) + ".+");
    private static final Pattern SPOOL = Pattern.compile("\\.history-.+\\.jsonl");

    private TempSweep() {}

    /**
     * Removes the leftovers last modified before {@code now} − {@link #AGE}: every kind in {@code
     * tmpdir}, the spools in {@code storeFolder} (null: none).
     *
     * @return how many files and folders were removed
     */
    static int sweep(Path tmpdir, Path storeFolder, Instant now) {
        Instant before = now.minus(AGE);
        return sweep(tmpdir, TEMPORARY, before) + (storeFolder == null || storeFolder.equals(tmpdir) ? 0
                : sweep(storeFolder, SPOOL, before));
    }

    private static int sweep(Path folder, Pattern names, Instant before) {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> found = Files.newDirectoryStream(folder,
                f -> names.matcher(f.getFileName().toString()).matches())) {
            for (Path f : found) {
                removed += removeIfOld(f, before);
            }
        } catch (IOException e) {
            // an unreadable folder: nothing to sweep there
        }
        return removed;
    }

    private static int removeIfOld(Path f, Instant before) {
        try {
            if (Files.getLastModifiedTime(f, LinkOption.NOFOLLOW_LINKS).toInstant().isAfter(before)) {
                return 0;
            }
            if (Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)) {
                int n = 0;
                try (Stream<Path> tree = Files.walk(f)) {
                    for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                        n += Files.deleteIfExists(p) ? 1 : 0;
                    }
                }
                return n;
            }
            return Files.deleteIfExists(f) ? 1 : 0;
        } catch (IOException e) {
            return 0; // gone already, or not ours to delete
        }
    }
}
