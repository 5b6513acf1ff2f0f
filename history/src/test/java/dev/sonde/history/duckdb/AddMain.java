package dev.sonde.history.duckdb;

import dev.sonde.api.SecretMask;
import dev.sonde.history.Added;
import dev.sonde.history.HistoryException;
import dev.sonde.history.RunSpool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** A second writer in a process of its own: {@code STORE RUN_DIR WAIT_MS}; prints each outcome's line. */
public final class AddMain {
    private AddMain() {}

    public static void main(String[] args) throws Exception {
        Path store = Path.of(args[0]);
        Path spool = Files.createTempFile(store.toAbsolutePath().getParent(), ".spool-", ".jsonl");
        try {
            RunSpool.write(Path.of(args[1]), spool, SecretMask.NONE);
            for (Added added : new DuckDbStore().add(store, spool, Duration.ofMillis(Long.parseLong(args[2])))) {
                System.out.println(added.line());
            }
        } catch (HistoryException e) {
            System.out.println(e.getMessage());
            System.exit(2);
        }
    }
}
