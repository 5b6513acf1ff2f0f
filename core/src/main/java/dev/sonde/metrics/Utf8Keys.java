package dev.sonde.metrics;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Strings kept as UTF-8 one after another in one growing array, and put in {@link String#compareTo}
 * order without making them strings: what holds a run's 100,000 case ids ({@link RequestHashes},
 * the per-case figures of closed cases) in ~1 byte a character plus 4 bytes a key, where a
 * {@code String[]} costs ~50 bytes a key and, filled over a load or a run, is promoted and left in
 * the old generation. Not thread-safe.
 */
public final class Utf8Keys {
    private byte[] bytes;
    /** Key {@code i} ends at {@code ends[i]}; it starts where key {@code i - 1} ends. */
    private int[] ends;
    private int size;

    /** Room for about {@code expected} keys (it grows past them). */
    public Utf8Keys(int expected) {
        this(new byte[Math.max(256, Math.max(16, expected) * 8)], new int[Math.max(16, expected)], 0);
    }

    private Utf8Keys(byte[] bytes, int[] ends, int size) {
        this.bytes = bytes;
        this.ends = ends;
        this.size = size;
    }

    /** Appends {@code key}; returns its index. */
    public int add(String key) {
        byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
        if (size == ends.length) {
            ends = Arrays.copyOf(ends, size * 2);
        }
        int start = start(size);
        if (start + utf8.length > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, start + utf8.length));
        }
        System.arraycopy(utf8, 0, bytes, start, utf8.length);
        ends[size] = start + utf8.length;
        return size++;
    }

    public int size() {
        return size;
    }

    /** Key {@code i}, decoded. */
    public String get(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("key " + i + " of " + size);
        }
        return new String(bytes, start(i), ends[i] - start(i), StandardCharsets.UTF_8);
    }

    /**
     * Keys {@code i} and {@code j} in {@link String#compareTo} order (the sign is what counts).
     * Where they first differ in two ASCII bytes the bytes decide, as their UTF-16 units would;
     * where either byte is part of a longer character the two keys are decoded and compared.
     */
    public int compare(int i, int j) {
        int a = start(i);
        int b = start(j);
        int aEnd = ends[i];
        int bEnd = ends[j];
        for (; a < aEnd && b < bEnd; a++, b++) {
            byte x = bytes[a];
            byte y = bytes[b];
            if (x != y) {
                return x >= 0 && y >= 0 ? x - y : get(i).compareTo(get(j));
            }
        }
        // one is a prefix of the other, character for character: the shorter comes first
        return Integer.compare(aEnd - start(i), bEnd - start(j));
    }

    /**
     * The indices of the keys in key order; equal keys in the order they were added (a stable
     * merge sort on ints, nothing boxed).
     */
    public int[] sortedOrder() {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        int[] other = new int[size];
        for (int width = 1; width < size; width *= 2) {
            for (int low = 0; low < size; low += 2 * width) {
                int middle = Math.min(low + width, size);
                int high = Math.min(low + 2 * width, size);
                int l = low;
                int r = middle;
                for (int k = low; k < high; k++) {
                    other[k] = r >= high || l < middle && compare(order[l], order[r]) <= 0 ? order[l++] : order[r++];
                }
            }
            int[] swap = order;
            order = other;
            other = swap;
        }
        return order;
    }

    /** A new store holding the keys at {@code indices}, in that order. */
    public Utf8Keys select(int[] indices, int count) {
        int total = 0;
        for (int k = 0; k < count; k++) {
            total += ends[indices[k]] - start(indices[k]);
        }
        byte[] selectedBytes = new byte[total];
        int[] selectedEnds = new int[count];
        int at = 0;
        for (int k = 0; k < count; k++) {
            int i = indices[k];
            int length = ends[i] - start(i);
            System.arraycopy(bytes, start(i), selectedBytes, at, length);
            at += length;
            selectedEnds[k] = at;
        }
        return new Utf8Keys(selectedBytes, selectedEnds, count);
    }

    private int start(int i) {
        return i == 0 ? 0 : ends[i - 1];
    }
}
