package dev.sonde.suite;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * A suite's cases in file order: those bound up front, and the rows of {@code cases_from:}
 * entries ({@link DatasetCases}) bound when asked, so {@link #get} may return a new, equal case
 * each time. {@link #id} and {@link #models} answer without binding. Immutable and thread-safe.
 */
final class CaseList extends AbstractList<CaseSpec> implements RandomAccess {
    /** Each part is a {@code List<CaseSpec>} of cases bound up front, or a {@link DatasetCases}. */
    private final List<Object> parts;
    private final int[] starts;
    private final int size;

    private CaseList(List<Object> parts) {
        this.parts = parts;
        this.starts = new int[parts.size()];
        int n = 0;
        for (int i = 0; i < parts.size(); i++) {
            starts[i] = n;
            n += parts.get(i) instanceof DatasetCases d ? d.size() : ((List<?>) parts.get(i)).size();
        }
        this.size = n;
    }

    /** Builds a list part by part, in file order. */
    static final class Builder {
        private final List<Object> parts = new ArrayList<>();
        private List<CaseSpec> bound = new ArrayList<>();

        Builder add(CaseSpec c) {
            bound.add(c);
            return this;
        }

        Builder add(DatasetCases rows) {
            if (!bound.isEmpty()) {
                parts.add(List.copyOf(bound));
                bound = new ArrayList<>();
            }
            parts.add(rows.seal());
            return this;
        }

        CaseList build() {
            if (!bound.isEmpty()) {
                parts.add(List.copyOf(bound));
            }
            return new CaseList(List.copyOf(parts));
        }
    }

    @Override
    public CaseSpec get(int index) {
        int p = part(index);
        return parts.get(p) instanceof DatasetCases d ? d.get(index - starts[p])
                : (CaseSpec) ((List<?>) parts.get(p)).get(index - starts[p]);
    }

    /** The id of case {@code index}, without binding it. */
    String id(int index) {
        int p = part(index);
        return parts.get(p) instanceof DatasetCases d ? d.id(index - starts[p])
                : ((CaseSpec) ((List<?>) parts.get(p)).get(index - starts[p])).id();
    }

    /** The models case {@code index} runs on (empty: all), without binding it. */
    List<String> models(int index) {
        int p = part(index);
        return parts.get(p) instanceof DatasetCases d ? d.models()
                : ((CaseSpec) ((List<?>) parts.get(p)).get(index - starts[p])).models();
    }

    /**
     * The cases whose checks stand for all: every case bound up front, and of a dataset whose rows
     * all hold one assertion list only its first row (binding the others would give the same list).
     */
    List<CaseSpec> forChecks() {
        List<CaseSpec> out = new ArrayList<>();
        for (int p = 0; p < parts.size(); p++) {
            if (parts.get(p) instanceof DatasetCases d) {
                for (int r = 0; r < (d.sameAssertsInEveryRow() ? Math.min(1, d.size()) : d.size()); r++) {
                    out.add(d.get(r));
                }
            } else {
                for (Object c : (List<?>) parts.get(p)) {
                    out.add((CaseSpec) c);
                }
            }
        }
        return out;
    }

    /** Whether a field named {@code field} may be in some case (its bound trees, or a held row's text). */
    boolean mayHold(String field) {
        for (Object part : parts) {
            if (part instanceof DatasetCases d) {
                if (d.mentions(field)) {
                    return true;
                }
            } else {
                for (Object c : (List<?>) part) {
                    if (holds((CaseSpec) c, field)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    static boolean holds(CaseSpec c, String field) {
        return c.messages() != null && c.messages().findValue(field) != null
                || c.system() != null && c.system().findValue(field) != null
                || c.params() != null && c.params().findValue(field) != null;
    }

    @Override
    public int size() {
        return size;
    }

    private int part(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("case " + index + " of " + size);
        }
        int p = Arrays.binarySearch(starts, index);
        if (p < 0) {
            return -p - 2;
        }
        while (p + 1 < starts.length && starts[p + 1] == index) {
            p++; // an empty part cannot start here, but be exact anyway
        }
        return p;
    }
}
