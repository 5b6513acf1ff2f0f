package dev.sonde.history.duckdb;

import dev.sonde.api.SecretMask;
import dev.sonde.history.Added;
import dev.sonde.history.RunSpool;
import dev.sonde.metrics.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A writer that holds the store first: {@code STORE RUN_DIR GO_FILE} takes the store lock, prints
 * {@code held}, keeps it until {@code GO_FILE} exists, releases it and then adds its run, printing
 * each outcome's line.
 */
public final class HoldThenAddMain {
    private HoldThenAddMain() {}

    public static void main(String[] args) throws Exception {
        Path store = Path.of(args[0]).toAbsolutePath();
        Path spool = Files.createTempFile(store.getParent(), ".spool-", ".jsonl");
        RunSpool.write(Path.of(args[1]), spool, SecretMask.NONE);
        Path go = Path.of(args[2]);
        try (StoreLock held = ((StoreLock.Taken) StoreLock.acquire(DuckDbStore.sibling(store, ".lock"), Duration.ZERO,
                Clock.system())).lock()) {
            System.out.println("held");
            System.out.flush();
            while (!Files.exists(go)) {
                Thread.sleep(20);
            }
        }
        for (Added added : new DuckDbStore().add(store, spool, Duration.ofSeconds(60))) {
            System.out.println(added.line());
        }
    }
}
