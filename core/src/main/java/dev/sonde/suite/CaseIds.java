package dev.sonde.suite;

import java.util.AbstractCollection;
import java.util.Iterator;
import java.util.List;

/**
 * The case ids a suite has made so far, to refuse a second one: a 100,000-row dataset makes
 * 100,000 ids, and a set of strings held them all (~90 bytes each) through the load, so this
 * keeps two independent 64-bit hashes of each (16 bytes, in an open-addressing table). Two
 * different ids share both hashes with a probability of about n²/2¹²⁹ (10⁻²⁹ for 100,000 ids):
 * equal hashes are taken as the same id. Iterating gives the ids themselves, from the cases
 * (for suggestions). Not thread-safe; used while a suite loads.
 */
final class CaseIds extends AbstractCollection<String> {
    private long[] table = new long[2 * 1024];
    private int size;
    private List<CaseSpec> cases = List.of();

    /** Adds {@code id}; false when it was already there. */
    @Override
    public boolean add(String id) {
        if ((size + 1) * 2 > table.length / 2) {
            grow();
        }
        if (!put(table, first(id), second(id))) {
            return false;
        }
        size++;
        return true;
    }

    @Override
    public boolean contains(Object o) {
        if (!(o instanceof String id)) {
            return false;
        }
        long a = first(id);
        long b = second(id);
        int mask = table.length / 2 - 1;
        for (int slot = (int) (a ^ a >>> 32) & mask; ; slot = (slot + 1) & mask) {
            if (table[2 * slot] == 0 && table[2 * slot + 1] == 0) {
                return false;
            }
            if (table[2 * slot] == a && table[2 * slot + 1] == b) {
                return true;
            }
        }
    }

    /** Where iteration takes the ids from once the cases are built. */
    CaseIds of(List<CaseSpec> all) {
        this.cases = all;
        return this;
    }

    @Override
    public Iterator<String> iterator() {
        Iterator<CaseSpec> it = cases.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public String next() {
                return it.next().id();
            }
        };
    }

    @Override
    public int size() {
        return size;
    }

    private boolean put(long[] into, long a, long b) {
        int mask = into.length / 2 - 1;
        for (int slot = (int) (a ^ a >>> 32) & mask; ; slot = (slot + 1) & mask) {
            if (into[2 * slot] == 0 && into[2 * slot + 1] == 0) {
                into[2 * slot] = a;
                into[2 * slot + 1] = b;
                return true;
            }
            if (into[2 * slot] == a && into[2 * slot + 1] == b) {
                return false;
            }
        }
    }

    private void grow() {
        long[] old = table;
        table = new long[old.length * 2];
        for (int i = 0; i < old.length; i += 2) {
            if (old[i] != 0 || old[i + 1] != 0) {
                put(table, old[i], old[i + 1]);
            }
        }
    }

    /** FNV-1a over the chars, never 0 together with {@link #second}. */
    static long first(String id) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < id.length(); i++) {
            h ^= id.charAt(i);
            h *= 0x100000001b3L;
        }
        return h == 0 ? 1 : h;
    }

    /** A multiply-xorshift hash with another seed, independent of {@link #first}. */
    static long second(String id) {
        long h = 0x9e3779b97f4a7c15L ^ id.length();
        for (int i = 0; i < id.length(); i++) {
            h = (h ^ id.charAt(i)) * 0xbf58476d1ce4e5b9L;
            h ^= h >>> 31;
        }
        h *= 0x94d049bb133111ebL;
        return h ^ h >>> 29;
    }
}
