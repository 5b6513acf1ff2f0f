package dev.sonde.history.duckdb;

import dev.sonde.history.Added;
import dev.sonde.history.HistoryException;
import dev.sonde.history.HistoryRow;
import dev.sonde.history.HistoryStore;
import dev.sonde.history.Exported;
import dev.sonde.history.Pruned;
import dev.sonde.history.RunDiff;
import dev.sonde.history.RunQuery;
import dev.sonde.history.RunSpool;
import dev.sonde.history.Trend;
import dev.sonde.history.ViewOptions;
import dev.sonde.history.Viewer;
import dev.sonde.history.view.ViewServer;
import dev.sonde.metrics.Clock;
import dev.sonde.metrics.Version;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.duckdb.DuckDBDriver;

/**
 * The history store in one DuckDB file ({@code reports/history.duckdb} by default), with two
 * neighbours named after it: {@code history.duckdb.lock}, held by the one writer, and {@code
 * history.duckdb.inbox/}, where a run waits when the writer's wait runs out. DuckDB never waits for a lock
 * (a second open fails at once while another program writes), so Sonde waits: on its own lock for
 * up to the caller's bound, then retries DuckDB's open until the same deadline; past it the run is
 * queued. A read retries the open for the wait its caller gives. Every writer
 * imports the inbox before its own run.
 *
 * <p>Connections are opened per call and closed before it returns, with DuckDB's extension
 * autoloading and autoinstalling off (nothing is downloaded: the tables use only built-in types),
 * external file access off, 256 MB of memory and two threads. The native library is unpacked to
 * {@code java.io.tmpdir} by the driver; when it cannot load (a {@code noexec} folder) the call fails
 * in one line naming that folder. Thread-safe: callers in one JVM serialise on the lock like processes.
 */
public final class DuckDbStore implements HistoryStore {
    private static final Pattern HELD_BY = Pattern.compile("PID (\\d+)");
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]");
    private static final SecureRandom NONCE = new SecureRandom();
    /** How a refusal's line names the caller's spool it left in place. */
    private static final String KEPT_SPOOL = "; the spool ";

    /** {@link HistoryStore#READ_WAIT}, for this package's callers. */
    static final Duration READ_WAIT = HistoryStore.READ_WAIT;
    private static final long OPEN_POLL_NANOS = 50_000_000L;

    private final Clock clock;

    /** The store on the real clock (the service constructor). */
    public DuckDbStore() {
        this(Clock.system());
    }

    DuckDbStore(Clock clock) {
        this.clock = clock;
    }

    @Override
    public List<Added> add(Path store, List<Path> spools, Duration wait, Consumer<Added> each) throws HistoryException {
        return write(store, List.copyOf(spools), wait, each);
    }

    @Override
    public void prepare() {
        Properties p = new Properties();
        p.setProperty("autoinstall_known_extensions", "false");
        p.setProperty("autoload_known_extensions", "false");
        p.setProperty("enable_external_access", "false");
        try (Connection c = new DuckDBDriver().connect("jdbc:duckdb:", p)) { // in memory: no file opened
            c.isValid(0);
        } catch (SQLException | LinkageError | RuntimeException e) {
            // the first real call meets the same failure and says it in one line
        }
    }

    @Override
    public List<Added> importInbox(Path store, Duration wait) throws HistoryException {
        if (!Files.isDirectory(sibling(store.toAbsolutePath().normalize(), ".inbox"))) {
            return List.of();
        }
        return write(store, List.of(), wait, added -> {});
    }

    @Override
    public int queued(Path store) throws HistoryException {
        Path inbox = sibling(store.toAbsolutePath().normalize(), ".inbox");
        if (!Files.isDirectory(inbox)) {
            return 0;
        }
        int n = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(inbox, "*.jsonl")) {
            for (Path ignored : files) {
                n++;
            }
        } catch (IOException e) {
            throw new HistoryException("history: cannot list " + inbox + ": " + oneLine(e.getMessage()));
        }
        return n;
    }

    /** The inbox, then {@code spools} in order; a busy store queues the spools (or leaves the inbox). */
    private List<Added> write(Path store, List<Path> spools, Duration wait, Consumer<Added> each)
            throws HistoryException {
        Path file = store.toAbsolutePath().normalize();
        List<Added> done = new ArrayList<>();
        Set<String> importedNow = new HashSet<>();
        Consumer<Added> told = added -> {
            if (added instanceof Added.Imported i && !importedNow.add(i.runId()) && i.replaced()) {
                added = new Added.Imported(i.runId(), i.trials(), false, i.fromInbox()); // not in the store before
            }
            done.add(added);
            each.accept(added);
        };
        try {
            Files.createDirectories(file.getParent());
            long deadline = clock.nanoTime() + wait.toNanos();
            StoreLock.Outcome outcome = StoreLock.acquire(sibling(file, ".lock"), wait, clock);
            if (outcome instanceof StoreLock.Busy busy) {
                for (Path spool : spools) {
                    told.accept(queue(file, spool, busy.pid()));
                }
                return done;
            }
            try (StoreLock lock = ((StoreLock.Taken) outcome).lock()) {
                Connection c;
                try {
                    refuseNewer(file, deadline);
                    c = open(file, false, deadline);
                } catch (HeldElsewhere held) {
                    for (Path spool : spools) {
                        told.accept(queue(file, spool, held.pid));
                    }
                    return done;
                }
                try (c) {
                    Schema.migrate(c, file, clock.now(), Version.current()); // the running Sonde's, from sonde.jar
                    drain(c, file, told);
                    if (spools.size() < 2 || !importAll(c, spools, told)) {
                        for (Path spool : spools) {
                            told.accept(importOwn(c, file, spool));
                        }
                    }
                }
            }
            return done;
        } catch (HistoryException e) {
            throw refused(e.getMessage(), spools);
        } catch (SQLException e) {
            throw refused("history: " + file + ": " + oneLine(e.getMessage()), spools);
        } catch (IOException e) {
            throw refused("history: " + oneLine(e.getMessage()), spools);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw refused("history: interrupted while waiting for " + sibling(file, ".lock"), spools);
        }
    }

    /**
     * A refusal of the store as a whole (a newer schema, a library that cannot load, a file that is
     * not a store): the caller's spools not yet imported, queued or kept were left where they were
     * (one may be a run's only copy), and the line says so.
     */
    private static HistoryException refused(String line, List<Path> spools) {
        List<Path> left = spools.stream().filter(Files::exists).toList();
        if (left.isEmpty()) {
            return new HistoryException(line); // imported, queued or kept in the inbox: its line says where
        }
        return new HistoryException(line + (left.size() == 1 ? KEPT_SPOOL + left.get(0) + " is left as it was"
                : "; " + left.size() + " spools are left as they were, the first " + left.get(0)));
    }

    @Override
    public List<StoredRun> runs(Path store, RunQuery query, Duration wait) throws HistoryException {
        return read(store, wait, List.of(), (c, version, file) -> Reads.runs(c, version, query));
    }

    @Override
    public Trend trend(Path store, String suite, String model, int last, boolean shards, Duration wait)
            throws HistoryException {
        if (last < 0) {
            throw new IllegalArgumentException("last must be 0 (all) or positive: " + last);
        }
        return read(store, wait, new Trend(suite, model, List.of(), 0, null, 0),
                (c, version, file) -> Reads.trend(c, version, suite, model, last, shards));
    }

    @Override
    public RunDiff diff(Path store, String runA, String runB, Duration wait) throws HistoryException {
        RunDiff diff = read(store, wait, null, (c, version, file) -> Reads.diff(c, version, file, runA, runB));
        if (diff == null) {
            throw Reads.missing(store.toAbsolutePath().normalize(), runA);
        }
        return diff;
    }

    /** A read's work on a connection open read-only on a store of schema {@code version} (1 or more). */
    @FunctionalInterface
    private interface Read<T> {
        T on(Connection c, int version, Path file) throws SQLException, HistoryException;
    }

    /**
     * Opens {@code store} read-only (external access off), waiting up to {@code wait} while another
     * program writes it, runs {@code read} and closes the file; {@code absent} when there is no file
     * or it holds no tables yet. A store of a newer schema is refused in one line.
     */
    private <T> T read(Path store, Duration wait, T absent, Read<T> read) throws HistoryException {
        Path file = store.toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            return absent;
        }
        try (Connection c = open(file, true, clock.nanoTime() + wait.toNanos())) {
            int version = Schema.version(c);
            Schema.refuseNewer(file, version);
            return version == 0 ? absent : read.on(c, version, file);
        } catch (HeldElsewhere e) {
            throw new HistoryException("history: " + file + " was being written by another process"
                    + (e.pid > 0 ? " (pid " + e.pid + ")" : "") + " for " + wait.toSeconds()
                    + " s; try again when it ends", true);
        } catch (SQLException e) {
            throw new HistoryException("history: " + file + ": " + oneLine(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HistoryException("history: interrupted while waiting for " + file);
        }
    }

    @Override
    public Exported exportParquet(List<Path> spools, Path out) throws HistoryException {
        TempSweep.sweep(temporaryFolder(), null, clock.now());
        return ParquetExport.fromSpools(spools, out, clock.now(), db -> {
            try {
                return open(db, false, true);
            } catch (HeldElsewhere e) {
                throw new HistoryException("history: the export's temporary store " + db + " is held by another"
                        + " process" + (e.pid > 0 ? " (pid " + e.pid + ")" : ""));
            }
        });
    }

    @Override
    public Exported exportParquet(Path store, RunQuery query, Path out, Duration wait) throws HistoryException {
        Path file = store.toAbsolutePath().normalize();
        RunFilter.Where where = RunFilter.in(query, "run_id");
        if (!Files.isRegularFile(file)) {
            throw new HistoryException("history: no store at " + file);
        }
        try (Connection c = open(file, true, true, clock.nanoTime() + wait.toNanos())) {
            int version = Schema.version(c);
            Schema.refuseNewer(file, version);
            if (version == 0) {
                throw new HistoryException("history: " + file + " holds no runs yet");
            }
            return ParquetExport.write(c, where, out);
        } catch (HeldElsewhere e) {
            throw new HistoryException("history: " + file + " was being written by another process"
                    + (e.pid > 0 ? " (pid " + e.pid + ")" : "") + " for " + wait.toSeconds() + " s; try again when it ends");
        } catch (SQLException | IOException e) {
            throw new HistoryException("history: cannot export " + file + " to " + out + ": " + oneLine(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HistoryException("history: interrupted while waiting for " + file);
        }
    }

    @Override
    public Pruned prune(Path store, int keep, Duration wait) throws HistoryException {
        Path file = store.toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new HistoryException("history: no store at " + file);
        }
        try {
            long deadline = clock.nanoTime() + wait.toNanos();
            StoreLock.Outcome outcome = StoreLock.acquire(sibling(file, ".lock"), wait, clock);
            if (outcome instanceof StoreLock.Busy) {
                return new Pruned(0, 0, 0, true);
            }
            try (StoreLock lock = ((StoreLock.Taken) outcome).lock()) {
                refuseNewer(file, deadline);
                try (Connection c = open(file, false, false, deadline)) {
                    Schema.migrate(c, file, clock.now(), Version.current());
                    return Prune.run(c, keep, clock.now());
                }
            }
        } catch (HeldElsewhere e) {
            return new Pruned(0, 0, 0, true);
        } catch (SQLException | IOException e) {
            throw new HistoryException("history: cannot prune " + file + ": " + oneLine(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HistoryException("history: interrupted while waiting for " + sibling(file, ".lock"));
        }
    }

    @Override
    public Viewer view(Path store, ViewOptions options) throws HistoryException {
        return ViewServer.start(this, store, options);
    }

    /** A store of a newer schema, checked on a read-only connection so that it is never written. */
    private void refuseNewer(Path file, long deadline)
            throws HistoryException, SQLException, HeldElsewhere, InterruptedException {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try (Connection c = open(file, true, deadline)) {
            Schema.refuseNewer(file, Schema.version(c));
        }
    }

    /**
     * Imports every run of the inbox, oldest first. A file that fails (not a spool, or rows the
     * tables refuse) is rolled back and set aside, so that it never blocks this writer's own run.
     */
    private void drain(Connection c, Path file, Consumer<Added> done) throws IOException, SQLException {
        Path inbox = sibling(file, ".inbox");
        if (!Files.isDirectory(inbox)) {
            return;
        }
        List<Path> queued = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(inbox, "*.jsonl")) {
            files.forEach(queued::add);
        }
        queued.sort(Comparator.comparing(DuckDbStore::modified).thenComparing(Path::toString));
        for (Path spool : queued) {
            try {
                done.accept(SpoolImport.run(c, spool, clock.now(), true));
                Files.deleteIfExists(spool);
            } catch (IOException | SQLException | RuntimeException e) { // never blocks the writers after it
                Path aside = spool.resolveSibling(spool.getFileName() + ".damaged");
                Files.move(spool, aside, StandardCopyOption.REPLACE_EXISTING);
                String name = spool.getFileName().toString();
                done.accept(new Added.SetAside(name.substring(0, name.length() - ".jsonl".length()), aside,
                        oneLine(e.getMessage())));
            }
        }
    }

    /**
     * This writer's run; when the tables or the reader refuse it (rolled back), the spool is kept in
     * the inbox as {@code <run_id>.jsonl.damaged} and returned as {@link Added.SetAside}, so the run is
     * never lost with the spool and the runs after it still go in.
     */
    private Added importOwn(Connection c, Path file, Path spool) throws IOException {
        try {
            Added added = SpoolImport.run(c, spool, clock.now(), false);
            Files.deleteIfExists(spool);
            return added;
        } catch (SQLException | IOException | RuntimeException e) { // the driver's appender throws unchecked too
            String runId = runIdOf(spool);
            Path inbox = Files.createDirectories(sibling(file, ".inbox"));
            Path kept = inbox.resolve(fileName(runId) + ".jsonl.damaged");
            Files.move(spool, kept, StandardCopyOption.REPLACE_EXISTING);
            return new Added.SetAside(runId, kept, oneLine(e.getMessage()));
        }
    }

    /** {@code runId} as a file name of the inbox: safe characters only, never hidden (no leading dot). */
    private static String fileName(String runId) {
        String name = UNSAFE.matcher(runId).replaceAll("_");
        return name.isEmpty() || name.startsWith(".") ? "_" + name : name;
    }

    /** The run id of a spool's first row; the file's name when it has none. */
    private static String runIdOf(Path spool) {
        try (RunSpool.Rows rows = RunSpool.read(spool)) {
            return ((HistoryRow.Run) rows.next()).runId();
        } catch (IOException | RuntimeException e) {
            String name = spool.getFileName().toString();
            return name.endsWith(".jsonl") ? name.substring(0, name.length() - ".jsonl".length()) : name;
        }
    }

    /**
     * Every spool in one transaction; false, with nothing imported and every spool where it was, when
     * one fails, so that going one by one names it and imports the others.
     */
    private boolean importAll(Connection c, List<Path> spools, Consumer<Added> told) throws IOException {
        List<Added.Imported> imported;
        try {
            imported = SpoolImport.all(c, spools, clock.now());
        } catch (SQLException | IOException | RuntimeException e) { // e.g. a time past DuckDB's range
            return false;
        }
        for (int i = 0; i < spools.size(); i++) {
            Files.deleteIfExists(spools.get(i));
            told.accept(imported.get(i));
        }
        return true;
    }

    /**
     * Moves the spool into the inbox as {@code <run_id>-<nonce>.jsonl}, a name no other writer uses,
     * so that it never replaces a file a drainer may be reading (this runs outside the lock). The
     * file appears whole: moved atomically, or copied to a hidden {@code .part} name and then moved.
     */
    private static Added.Queued queue(Path file, Path spool, long pid) throws IOException {
        String runId;
        try (RunSpool.Rows rows = RunSpool.read(spool)) {
            runId = ((HistoryRow.Run) rows.next()).runId();
        }
        Path inbox = Files.createDirectories(sibling(file, ".inbox"));
        String name = fileName(runId) + "-" + Long.toHexString(NONCE.nextLong() >>> 1);
        Path target = inbox.resolve(name + ".jsonl");
        try {
            Files.move(spool, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) { // the spool is on another file system
            Path partial = inbox.resolve("." + name + ".part");
            Files.copy(spool, partial);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            Files.deleteIfExists(spool);
        }
        return new Added.Queued(runId, pid, target);
    }

    /**
     * {@code history.duckdb} → {@code history.duckdb.lock} / {@code history.duckdb.inbox}, in the same
     * folder: the whole file name, so that {@code h.duckdb}, {@code h.db} and {@code h} never share them.
     */
    static Path sibling(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }

    /** Another program holds the DuckDB file (DuckDB's own lock); {@code pid} as DuckDB named it, or -1. */
    private static final class HeldElsewhere extends Exception {
        final long pid;

        HeldElsewhere(long pid) {
            super(null, null, false, false);
            this.pid = pid;
        }
    }

    /**
     * Opens {@code file}, retrying while another program holds DuckDB's own lock on it (DuckDB fails
     * such an open at once) until {@code deadline} on the clock's {@code nanoTime}.
     */
    private Connection open(Path file, boolean readOnly, long deadline)
            throws HistoryException, HeldElsewhere, InterruptedException {
        return open(file, readOnly, false, deadline);
    }

    /** As above; {@code externalAccess} lets DuckDB write files ({@code COPY … TO}): the export's alone. */
    private Connection open(Path file, boolean readOnly, boolean externalAccess, long deadline)
            throws HistoryException, HeldElsewhere, InterruptedException {
        TempSweep.sweep(temporaryFolder(), file.getParent(), clock.now());
        while (true) {
            try {
                return open(file, readOnly, externalAccess);
            } catch (HeldElsewhere held) {
                if (clock.nanoTime() >= deadline) {
                    throw held;
                }
                clock.sleepNanos(OPEN_POLL_NANOS);
            }
        }
    }

    private static Connection open(Path file, boolean readOnly, boolean externalAccess)
            throws HistoryException, HeldElsewhere {
        Properties p = new Properties();
        p.setProperty("autoinstall_known_extensions", "false");
        p.setProperty("autoload_known_extensions", "false");
        p.setProperty("enable_external_access", String.valueOf(externalAccess));
        p.setProperty("memory_limit", "256MB");
        p.setProperty("threads", "2");
        if (readOnly) {
            p.setProperty("duckdb.read_only", "true");
        }
        try {
            return new DuckDBDriver().connect("jdbc:duckdb:" + file, p);
        } catch (NoClassDefFoundError e) {
            if (String.valueOf(e.getMessage()).startsWith("Could not initialize class")) {
                throw nativeLibrary(e); // a second try in a JVM whose first failed
            }
            throw new HistoryException("history: the DuckDB driver cannot load (" + e + "); the sonde-history.jar is"
                    + " incomplete, rebuild it");
        } catch (LinkageError e) {
            throw nativeLibrary(e);
        } catch (SQLException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("Could not set lock")) {
                Matcher pid = HELD_BY.matcher(message);
                throw new HeldElsewhere(pid.find() ? Long.parseLong(pid.group(1)) : -1);
            }
            if (message.contains("Trying to read a database file with version number")) {
                throw new HistoryException("history: " + file + " was written by a newer DuckDB than this Sonde's;"
                        + " use a newer Sonde, or another --store (the file is left as it is)");
            }
            throw new HistoryException("history: cannot open " + file + " as a DuckDB store (" + oneLine(message) + ")");
        }
    }

    /**
     * The driver unpacks its library into {@code java.io.tmpdir} and loads it from there: a folder
     * that is missing or not writable fails its static initialiser, a {@code noexec} one the load.
     */
    private static HistoryException nativeLibrary(LinkageError e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return new HistoryException("history: DuckDB's native library cannot load from java.io.tmpdir ("
                + System.getProperty("java.io.tmpdir") + "): " + oneLine(cause.toString())
                + "; point -Djava.io.tmpdir at a writable folder that allows executables");
    }

    /** Where the driver unpacks its library and the CLI and the export write their spools. */
    private static Path temporaryFolder() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s+", " ").strip();
    }
}
