package dev.sonde.journal;

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
 * ({@link RunInfo#requestHashes()}), held compactly: the keys sorted in one array, each
 * {@code sha256:} value as its 32 bytes in another (a value of any other form is kept as it is).
 * A run of 100,000 cases holds them for its whole length; this takes about half the memory of a
 * sorted map of strings. Immutable; iterates in key order.
 */
final class RequestHashes extends AbstractMap<String, String> {
    private static final String PREFIX = "sha256:";
    private static final HexFormat HEX = HexFormat.of();
    /** Stands for a null value in {@link #odd} (a hand-edited run.json may hold one). */
    private static final String NULL = new String("null");
    private final String[] keys;
    /** 32 bytes a key, or null where {@link #odd} holds the value. */
    private final byte[] digests;
    private final String[] odd;

    private RequestHashes(String[] keys, byte[] digests, String[] odd) {
        this.keys = keys;
        this.digests = digests;
        this.odd = odd;
    }

    /** {@code hashes} held compactly (itself when it already is). */
    static Map<String, String> of(Map<String, String> hashes) {
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
        int i = key instanceof String s ? Arrays.binarySearch(keys, s) : -1;
        return i >= 0 ? value(i) : null;
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof String s && Arrays.binarySearch(keys, s) >= 0;
    }

    @Override
    public int size() {
        return keys.length;
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
                        return next < keys.length;
                    }

                    @Override
                    public Entry<String, String> next() {
                        if (next >= keys.length) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new SimpleImmutableEntry<>(keys[i], value(i));
                    }
                };
            }

            @Override
            public int size() {
                return keys.length;
            }
        };
    }
}
