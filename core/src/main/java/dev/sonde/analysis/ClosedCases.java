package dev.sonde.analysis;

import dev.sonde.metrics.CostByKind;
import dev.sonde.metrics.TokensByKind;
import dev.sonde.metrics.Utf8Keys;
import dev.sonde.stats.DistributionStats;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of cases whose trials are all in ({@link Aggregates}), kept out of the heap: each
 * case's model → {@link Aggregate.Stats}, exactly (every double bit for bit), in a temporary file
 * that is unlinked as soon as it is opened, so it vanishes with the process however that ends.
 * The heap keeps its id (as UTF-8) and the length of its figures (~17 bytes a case); where each
 * record starts is summed up once, when the figures are first read back. Not thread-safe.
 */
final class ClosedCases {
    private static final Cleaner CLEANER = Cleaner.create();

    private final FileChannel file;
    /** The case ids, in the order the cases closed. */
    private final Utf8Keys ids = new Utf8Keys(1024);
    /** The length of each case's record; they follow one another in the file, in slot order. */
    private int[] lengths = new int[1024];
    /** Where each record starts (the sums of the lengths before it); made when first read after a put. */
    private long[] offsets;
    private long written;
    private int size;
    /** The slots in id order; made when first read after a put. */
    private int[] sortedSlots;

    ClosedCases() {
        try {
            Path path = Files.createTempFile("sonde-cases", ".bin");
            file = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            Files.delete(path); // the open channel keeps the data; the name is gone at once
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a temporary file for the per-case figures", e);
        }
        FileChannel f = file;
        CLEANER.register(this, () -> {
            try {
                f.close();
            } catch (IOException ignored) {
                // the process's end frees it anyway
            }
        });
    }

    /** Closes a case: its figures go to the file. A case is closed once. */
    void put(String caseId, Map<String, Aggregate.Stats> byModel) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(byModel.size());
            for (Map.Entry<String, Aggregate.Stats> e : byModel.entrySet()) {
                out.writeUTF(e.getKey());
                write(out, e.getValue());
            }
            int slot = size;
            if (slot == lengths.length) {
                lengths = Arrays.copyOf(lengths, slot * 2);
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes.toByteArray());
            int length = buffer.remaining();
            long at = written;
            while (buffer.hasRemaining()) {
                at += file.write(buffer, at);
            }
            ids.add(caseId);
            lengths[slot] = length;
            written += length;
            size++;
            sortedSlots = null;
            offsets = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the figures of case " + caseId, e);
        }
    }

    boolean contains(String caseId) {
        return slot(caseId) >= 0;
    }

    int size() {
        return size;
    }

    /**
     * The id of the {@code k}-th closed case in id order.
     *
     * @throws IllegalStateException a case was closed twice (its trials outnumbered the plan's)
     */
    String idInOrder(int k) {
        return id(order()[k]);
    }

    /** The figures of the {@code k}-th closed case in id order. */
    Map<String, Aggregate.Stats> figuresInOrder(int k) {
        return read(order()[k]);
    }

    private String id(int slot) {
        return ids.get(slot);
    }

    /** The slots in id order. */
    private int[] order() {
        if (sortedSlots == null) {
            int[] slots = ids.sortedOrder();
            for (int i = 1; i < size; i++) {
                if (ids.compare(slots[i], slots[i - 1]) == 0) {
                    throw new IllegalStateException("case " + id(slots[i]) + " had more trials than the plan gave it");
                }
            }
            sortedSlots = slots;
        }
        return sortedSlots;
    }

    private int slot(String caseId) {
        int[] order = order();
        int low = 0;
        int high = size - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int c = id(order[mid]).compareTo(caseId);
            if (c < 0) {
                low = mid + 1;
            } else if (c > 0) {
                high = mid - 1;
            } else {
                return order[mid];
            }
        }
        return -1;
    }

    /** A closed case's figures, model → stats in model order, or null when it is not closed. */
    Map<String, Aggregate.Stats> get(String caseId) {
        int slot = slot(caseId);
        return slot < 0 ? null : read(slot);
    }

    private Map<String, Aggregate.Stats> read(int slot) {
        try {
            if (offsets == null) {
                long[] starts = new long[size];
                for (int i = 1; i < size; i++) {
                    starts[i] = starts[i - 1] + lengths[i - 1];
                }
                offsets = starts;
            }
            ByteBuffer buffer = ByteBuffer.allocate(lengths[slot]);
            long at = offsets[slot];
            while (buffer.hasRemaining()) {
                int n = file.read(buffer, at + buffer.position());
                if (n < 0) {
                    throw new IOException("the file ended early");
                }
            }
            DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(buffer.array()));
            int models = in.readInt();
            Map<String, Aggregate.Stats> byModel = new LinkedHashMap<>();
            for (int i = 0; i < models; i++) {
                byModel.put(in.readUTF(), read(in));
            }
            return byModel;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read back the figures of case " + id(slot), e);
        }
    }

    static void write(DataOutputStream out, Aggregate.Stats s) throws IOException {
        out.writeLong(s.trials());
        out.writeLong(s.passed());
        out.writeLong(s.failed());
        out.writeLong(s.errored());
        out.writeLong(s.notEvaluated());
        out.writeDouble(s.passRate());
        for (DistributionStats d : new DistributionStats[] {s.ttftMs(), s.ttfbMs(), s.e2eMs(), s.itlMs(), s.outputTps(),
            s.costPerTrialUsd()}) {
            out.writeLong(d.count());
            for (Double v : new Double[] {d.mean(), d.ci95(), d.p50(), d.p90(), d.p95(), d.p99(), d.max()}) {
                out.writeBoolean(v != null);
                if (v != null) {
                    out.writeDouble(v);
                }
            }
        }
        TokensByKind t = s.tokens();
        for (long v : new long[] {t.input(), t.cacheWrite5m(), t.cacheWrite1h(), t.cacheRead(), t.output()}) {
            out.writeLong(v);
        }
        out.writeDouble(s.cacheHitRatio());
        out.writeDouble(s.costUsd());
        CostByKind c = s.costByKind();
        for (double v : c.parts()) {
            out.writeDouble(v);
        }
        out.writeLong(s.unpricedTrials());
        out.writeLong(s.untimedTrials());
    }

    static Aggregate.Stats read(DataInputStream in) throws IOException {
        long trials = in.readLong();
        long passed = in.readLong();
        long failed = in.readLong();
        long errored = in.readLong();
        long notEvaluated = in.readLong();
        double passRate = in.readDouble();
        DistributionStats[] d = new DistributionStats[6];
        for (int i = 0; i < d.length; i++) {
            long count = in.readLong();
            Double[] v = new Double[7];
            for (int j = 0; j < v.length; j++) {
                v[j] = in.readBoolean() ? in.readDouble() : null;
            }
            d[i] = new DistributionStats(count, v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
        }
        TokensByKind tokens = new TokensByKind(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong());
        double cacheHitRatio = in.readDouble();
        double costUsd = in.readDouble();
        double[] parts = new double[CostByKind.KINDS.size()];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = in.readDouble();
        }
        CostByKind cost = CostByKind.ofParts(parts);
        long unpriced = in.readLong();
        return new Aggregate.Stats(trials, passed, failed, errored, notEvaluated, passRate, d[0], d[1], d[2], d[3], d[4],
                d[5], tokens, cacheHitRatio, costUsd, cost, unpriced, in.readLong());
    }
}
