package dev.sonde.metrics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code case/model} → {@code sha256:…}, the request hashes a run records at its start
 * ({@code RunInfo.requestHashes}, made by {@code Plan.digest} with a {@link Builder}), held
 * compactly: the keys sorted, as UTF-8 in one array, each {@code sha256:} value as its 32 bytes in
 * another (a value of any other form is kept as it is).
 * A run of 100,000 cases holds them for its whole length; this takes about a fifth of the memory of
 * a sorted map of strings (~45 bytes a key), and a map of {@value #SPILL} keys or more built by a
 * {@link Builder} keeps its digests in a temporary file instead (unlinked as soon as it is open,
 * so it vanishes with the process; read back 32 bytes at a time when a value is asked for), which
 * leaves ~13 bytes a key in the heap. Immutable and thread-safe; iterates in key order.
 */
public final class RequestHashes extends AbstractMap<String, String> {
    private static final String PREFIX = "sha256:";
    private static final HexFormat HEX = HexFormat.of();
    /** Stands for a null value in {@link #odd} (a hand-edited run.json may hold one). */
    private static final String NULL = new String("null");
    /** Maps this large keep their digests out of the heap. */
    static final int SPILL = 8_192;
    private static final Cleaner CLEANER = Cleaner.create();
    /** The keys, sorted. */
    private final Utf8Keys keys;
    /** 32 bytes a key (null where {@link #odd} holds the value), or null when {@link #spilled} holds them. */
    private final byte[] digests;
    /** 32 bytes a key, key {@code i} at {@code 32 * i}, or null. */
    private final FileChannel spilled;
    private final String[] odd;

    private RequestHashes(Utf8Keys keys, byte[] digests, String[] odd) {
        this.keys = keys;
        this.digests = digests;
        this.spilled = null;
        this.odd = odd;
    }

    private RequestHashes(Utf8Keys keys, FileChannel spilled) {
        this.keys = keys;
        this.digests = null;
        this.spilled = spilled;
        this.odd = null;
        CLEANER.register(this, () -> {
            try {
                spilled.close();
            } catch (IOException ignored) {
                // the process's end frees it anyway
            }
        });
    }

    /** Whether the digests are in a temporary file. */
    boolean spilled() {
        return spilled != null;
    }

    private String key(int i) {
        return keys.get(i);
    }

    /** The position of {@code key}, or a negative number (the keys are sorted by {@link String#compareTo}). */
    private int find(Object key) {
        if (!(key instanceof String k)) {
            return -1;
        }
        int low = 0;
        int high = keys.size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int c = key(mid).compareTo(k);
            if (c < 0) {
                low = mid + 1;
            } else if (c > 0) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /**
     * Collects {@code key} → SHA-256 pairs in any order, then builds the sorted map; a key added
     * again keeps its first hash. Holds the keys and 32 bytes a hash while collecting, nothing else
     * (a plan of 100,000 cases made a sorted map of 100,000 strings on its way). Not thread-safe.
     */
    public static final class Builder {
        private final Utf8Keys keys;
        private byte[] digests;

        /** A builder for about {@code expected} keys (it grows past them). */
        public Builder(int expected) {
            keys = new Utf8Keys(expected);
            digests = new byte[Math.max(16, expected) * 32];
        }

        /** Adds {@code key} with its SHA-256 ({@code sha256}, 32 bytes). */
        public Builder add(String key, byte[] sha256) {
            if (sha256.length != 32) {
                throw new IllegalArgumentException("a SHA-256 is 32 bytes, not " + sha256.length);
            }
            int i = keys.add(key);
            if ((i + 1) * 32 > digests.length) {
                digests = Arrays.copyOf(digests, Math.max(digests.length * 2, (i + 1) * 32));
            }
            System.arraycopy(sha256, 0, digests, i * 32, 32);
            return this;
        }

        /** The pairs added, sorted by key, each key once (its first hash: the sort keeps equal keys in the order added). */
        public Map<String, String> build() {
            int[] order = keys.sortedOrder();
            int distinct = 0;
            for (int k = 0; k < order.length; k++) {
                if (distinct == 0 || keys.compare(order[k], order[distinct - 1]) != 0) {
                    order[distinct++] = order[k];
                }
            }
            Utf8Keys sortedKeys = keys.select(order, distinct);
            if (distinct >= SPILL) {
                FileChannel file = spill(order, distinct);
                if (file != null) {
                    return new RequestHashes(sortedKeys, file);
                }
            }
            byte[] sortedDigests = new byte[distinct * 32];
            for (int k = 0; k < distinct; k++) {
                System.arraycopy(digests, order[k] * 32, sortedDigests, k * 32, 32);
            }
            return new RequestHashes(sortedKeys, sortedDigests, null);
        }

        /** The digests at {@code order[0..count)}, one after another in an unlinked temporary file; null if none can be made. */
        private FileChannel spill(int[] order, int count) {
            FileChannel file = null;
            try {
                Path path = Files.createTempFile("sonde-requests", ".bin");
                try {
                    file = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
                } finally {
                    Files.delete(path); // the open channel keeps the data; the name is gone at once
                }
                ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
                long at = 0;
                for (int k = 0; k < count; k++) {
                    buffer.put(digests, order[k] * 32, 32);
                    if (!buffer.hasRemaining() || k == count - 1) {
                        buffer.flip();
                        while (buffer.hasRemaining()) {
                            at += file.write(buffer, at);
                        }
                        buffer.clear();
                    }
                }
                return file;
            } catch (IOException | UnsupportedOperationException e) {
                if (file != null) {
                    try {
                        file.close();
                    } catch (IOException ignored) {
                        // kept in the heap instead
                    }
                }
                return null; // no temporary folder to write: the digests stay in the heap
            }
        }
    }

    /** {@code hashes} held compactly (itself when it already is). */
    public static Map<String, String> of(Map<String, String> hashes) {
        if (hashes instanceof RequestHashes compact) {
            return compact;
        }
        TreeMap<String, String> sorted = new TreeMap<>(hashes);
        Utf8Keys keys = new Utf8Keys(sorted.size());
        sorted.keySet().forEach(keys::add);
        byte[] digests = new byte[keys.size() * 32];
        String[] odd = null;
        int i = 0;
        for (String value : sorted.values()) {
            if (value != null && value.length() == PREFIX.length() + 64 && value.startsWith(PREFIX)
                    && isLowerHex(value)) {
                System.arraycopy(HEX.parseHex(value, PREFIX.length(), value.length()), 0, digests, i * 32, 32);
            } else {
                if (odd == null) {
                    odd = new String[keys.size()];
                }
                odd[i] = value == null ? NULL : value;
            }
            i++;
        }
        return new RequestHashes(keys, digests, odd);
    }

    private static boolean isLowerHex(String value) {
        for (int i = PREFIX.length(); i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private String value(int i) {
        if (odd != null && odd[i] != null) {
            return odd[i] == NULL ? null : odd[i];
        }
        if (spilled != null) {
            ByteBuffer digest = ByteBuffer.allocate(32);
            try {
                while (digest.hasRemaining()) {
                    if (spilled.read(digest, 32L * i + digest.position()) < 0) {
                        throw new IOException("the file ended early");
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read back the request hash of " + key(i), e);
            }
            return PREFIX + HEX.formatHex(digest.array());
        }
        return PREFIX + HEX.formatHex(digests, i * 32, i * 32 + 32);
    }

    @Override
    public String get(Object key) {
        int i = find(key);
        return i >= 0 ? value(i) : null;
    }

    @Override
    public boolean containsKey(Object key) {
        return find(key) >= 0;
    }

    @Override
    public int size() {
        return keys.size();
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, String>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < keys.size();
                    }

                    @Override
                    public Entry<String, String> next() {
                        if (next >= keys.size()) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new SimpleImmutableEntry<>(key(i), value(i));
                    }
                };
            }

            @Override
            public int size() {
                return keys.size();
            }
        };
    }
}
