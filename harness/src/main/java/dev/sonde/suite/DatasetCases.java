package dev.sonde.suite;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cases one {@code cases_from:} entry makes, held as its rows and rendered when asked: a
 * 100,000-row dataset keeps its rows (~30 bytes each, as compact JSON) instead of 100,000 bound
 * cases for the length of the run. Every row was bound once when the suite loaded, so a later
 * binding cannot fail, and gives an equal case each time (its assertions, locations and
 * templates the ones the binder shares). Only {@code prompt:} cases are held so: a case with
 * {@code messages:} may read attachment files, and is bound once, up front.
 *
 * <p>Thread-safe once built: the binder is only read after the suite has loaded.
 */
final class DatasetCases {
    private final CaseBinder binder;
    private final JsonNode node;
    private final String field;
    private final JsonNode defaults;
    private final Set<String> modelIds;
    private final String caseId;
    private final String source;
    /** The rows while they are added; null once sealed (its buffer is twice the rows at worst). */
    private ByteArrayOutputStream building = new ByteArrayOutputStream();
    private byte[] rows;
    private int[] ends = new int[64];
    private int size;
    private List<String> models;
    /** The assertion list every row bound to, when it is one shared list; else null. */
    private List<AssertSpec> sameAsserts;
    private boolean assertsDiffer;
    /** The case this thread bound last ({row, case}): a trial asks for its case several times. */
    private final ThreadLocal<Object[]> last = new ThreadLocal<>();

    DatasetCases(CaseBinder binder, JsonNode node, String field, JsonNode defaults, Set<String> modelIds, String caseId,
            String source) {
        this.binder = binder;
        this.node = node;
        this.field = field;
        this.defaults = defaults;
        this.modelIds = Set.copyOf(modelIds);
        this.caseId = caseId;
        this.source = source;
    }

    /** Whether the case this entry makes of each row may be held as its row: a {@code prompt:} case. */
    static boolean heldAsRows(JsonNode caseNode) {
        return caseNode.has("prompt") && !caseNode.has("messages") && !caseNode.has("tool_loop");
    }

    /** Adds a row, binding its case once (so that a bad row is a suite error now), and returns that case. */
    CaseSpec add(Map<String, Object> row) throws SuiteException {
        int r = size;
        CaseSpec bound = bind(r, row);
        if (models == null) {
            models = bound.models();
            sameAsserts = bound.asserts();
        } else if (bound.asserts() != sameAsserts) {
            assertsDiffer = true;
        }
        try {
            Templates.PLAIN.writeValue(building, row);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (r == ends.length) {
            ends = Arrays.copyOf(ends, r * 2);
        }
        ends[r] = building.size();
        size++;
        return bound;
    }

    /** Done adding: the rows are kept at their size. */
    DatasetCases seal() {
        if (building != null) {
            rows = building.toByteArray();
            ends = Arrays.copyOf(ends, size);
            building = null;
        }
        return this;
    }

    int size() {
        return size;
    }

    /** The case of row {@code r} (0-based), bound anew (unless this thread just bound it). */
    CaseSpec get(int r) {
        Object[] previous = last.get();
        if (previous != null && (int) previous[0] == r) {
            return (CaseSpec) previous[1];
        }
        try {
            CaseSpec c = bind(r, row(r));
            last.set(new Object[] {r, c});
            return c;
        } catch (SuiteException e) {
            throw new IllegalStateException("row " + (r + 1) + " of " + source + " bound when the suite loaded, not now: "
                    + e.getMessage(), e);
        }
    }

    /** The id of row {@code r}'s case, without binding it. */
    String id(int r) {
        return rowId(caseId, r, row(r));
    }

    /** Whether every row's case holds the very same assertion list (none templated by the row). */
    boolean sameAssertsInEveryRow() {
        return !assertsDiffer;
    }

    /** Whether some row's text mentions {@code word} (a row can bring whole JSON values into a case). */
    boolean mentions(String word) {
        byte[] w = word.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i + w.length <= rows.length; i++) {
            for (int j = 0; j < w.length; j++) {
                if (rows[i + j] != w[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** The models every row's case runs on (the entry's {@code models:}; empty: all). */
    List<String> models() {
        return models;
    }

    /** {@code <case id>-<the row's id column>}, else {@code <case id>-<row number>}. */
    static String rowId(String caseId, int r, Map<String, Object> row) {
        return row.containsKey("id") ? caseId + "-" + row.get("id") : caseId + "-" + (r + 1);
    }

    private CaseSpec bind(int r, Map<String, Object> row) throws SuiteException {
        String origin = " in row " + (r + 1) + " of " + source + (row.containsKey("id") ? " (id " + row.get("id") + ")" : "");
        return binder.bindCase(node, field, defaults, modelIds, row, rowId(caseId, r, row), origin);
    }

    private Map<String, Object> row(int r) {
        int start = r == 0 ? 0 : ends[r - 1];
        try {
            return Templates.values(Templates.PLAIN.readTree(rows, start, ends[r] - start));
        } catch (IOException e) {
            throw new UncheckedIOException("a dataset row written by this process cannot be read back", e);
        }
    }
}
