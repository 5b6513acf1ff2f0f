package dev.sonde.metrics;

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
 * a sorted map of strings (~45 bytes a key). Immutable; iterates in key order.
 */
public final class RequestHashes extends AbstractMap<String, String> {
    private static final String PREFIX = "sha256:";
    private static final HexFormat HEX = HexFormat.of();
    /** Stands for a null value in {@link #odd} (a hand-edited run.json may hold one). */
    private static final String NULL = new String("null");
    /** The keys, sorted, as UTF-8 one after another; key {@code i} ends at {@code keyEnds[i]}. */
    private final byte[] keyBytes;
    private final int[] keyEnds;
    /** 32 bytes a key, or null where {@link #odd} holds the value. */
    private final byte[] digests;
    private final String[] odd;

    private RequestHashes(String[] keys, byte[] digests, String[] odd) {
        byte[][] encoded = new byte[keys.length][];
        this.keyEnds = new int[keys.length];
        int total = 0;
        for (int i = 0; i < keys.length; i++) {
            encoded[i] = keys[i].getBytes(java.nio.charset.StandardCharsets.UTF_8);
            total += encoded[i].length;
            keyEnds[i] = total;
        }
        this.keyBytes = new byte[total];
        for (int i = 0; i < keys.length; i++) {
            System.arraycopy(encoded[i], 0, keyBytes, keyEnds[i] - encoded[i].length, encoded[i].length);
        }
        this.digests = digests;
        this.odd = odd;
    }

    private String key(int i) {
        int start = i == 0 ? 0 : keyEnds[i - 1];
        return new String(keyBytes, start, keyEnds[i] - start, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The position of {@code key}, or a negative number (the keys are sorted by {@link String#compareTo}). */
    private int find(Object key) {
        if (!(key instanceof String k)) {
            return -1;
        }
        int low = 0;
        int high = keyEnds.length - 1;
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
        private String[] keys;
        private byte[] digests;
        private int size;

        /** A builder for about {@code expected} keys (it grows past them). */
        public Builder(int expected) {
            keys = new String[Math.max(16, expected)];
            digests = new byte[keys.length * 32];
        }

        /** Adds {@code key} with its SHA-256 ({@code sha256}, 32 bytes). */
        public Builder add(String key, byte[] sha256) {
            if (sha256.length != 32) {
                throw new IllegalArgumentException("a SHA-256 is 32 bytes, not " + sha256.length);
            }
            if (size == keys.length) {
                keys = Arrays.copyOf(keys, size * 2);
                digests = Arrays.copyOf(digests, size * 64);
            }
            keys[size] = key;
            System.arraycopy(sha256, 0, digests, size * 32, 32);
            size++;
            return this;
        }

        /** The pairs added, sorted by key, each key once (its first hash). */
        public Map<String, String> build() {
            String[] sorted = Arrays.copyOf(keys, size);
            Arrays.sort(sorted);
            int distinct = 0;
            for (int i = 0; i < size; i++) {
                if (i == 0 || !sorted[i].equals(sorted[distinct - 1])) {
                    sorted[distinct++] = sorted[i];
                }
            }
            String[] sortedKeys = Arrays.copyOf(sorted, distinct);
            byte[] sortedDigests = new byte[distinct * 32];
            java.util.BitSet placed = new java.util.BitSet(distinct);
            for (int i = 0; i < size; i++) { // in the order added: a key's first hash is placed, later ones not
                int at = Arrays.binarySearch(sortedKeys, keys[i]);
                if (!placed.get(at)) {
                    placed.set(at);
                    System.arraycopy(digests, i * 32, sortedDigests, at * 32, 32);
                }
            }
            return new RequestHashes(sortedKeys, sortedDigests, null);
        }
    }

    /** {@code hashes} held compactly (itself when it already is). */
    public static Map<String, String> of(Map<String, String> hashes) {
        if (hashes instanceof RequestHashes compact) {
            return compact;
        }
        TreeMap<String, String> sorted = new TreeMap<>(hashes);
        String[] keys = sorted.keySet().toArray(new String[0]);
        byte[] digests = new byte[keys.length * 32];
        String[] odd = null;
        int i = 0;
        for (String value : sorted.values()) {
            if (value != null && value.length() == PREFIX.length() + 64 && value.startsWith(PREFIX)
                    && isLowerHex(value)) {
                System.arraycopy(HEX.parseHex(value, PREFIX.length(), value.length()), 0, digests, i * 32, 32);
            } else {
                if (odd == null) {
                    odd = new String[keys.length];
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
        return keyEnds.length;
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
                        return next < keyEnds.length;
                    }

                    @Override
                    public Entry<String, String> next() {
                        if (next >= keyEnds.length) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new SimpleImmutableEntry<>(key(i), value(i));
                    }
                };
            }

            @Override
            public int size() {
                return keyEnds.length;
            }
        };
    }
}
