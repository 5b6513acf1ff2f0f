package dev.sonde.suite;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cases one {@code cases_from:} entry makes, held as its rows and rendered when asked: a
 * 100,000-row dataset keeps its rows (as compact JSON, ~45 bytes each with their index) instead of 100,000 bound
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
    /**
     * The rows as compact JSON, in chunks of {@value #CHUNK} bytes (a row longer than that has a
     * chunk of its own): no array is copied as it grows, so loading leaves nothing large behind.
     */
    private static final int CHUNK = 1 << 16;
    private final java.util.List<byte[]> chunks = new java.util.ArrayList<>();
    private int used = CHUNK;
    /** Where row {@code r} starts: chunk index << 32 | offset; its length in {@link #lengths}. */
    private long[] starts = new long[64];
    private int[] lengths = new int[64];
    private boolean sealed;
    private int size;
    private List<String> models;
    /** The assertion list every row bound to, when it is one shared list; else null. */
    private List<AssertSpec> sameAsserts;
    private boolean assertsDiffer;
    /** Reads a row's fields one by one; no table of field names is made per row. */
    private static final JsonFactory ID_SCAN = JsonFactory.builder().disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES).build();
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
        byte[] json;
        try {
            json = Templates.PLAIN.writeValueAsBytes(row);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (used + json.length > CHUNK || chunks.isEmpty()) {
            chunks.add(new byte[Math.max(CHUNK, json.length)]);
            used = 0;
        }
        System.arraycopy(json, 0, chunks.get(chunks.size() - 1), used, json.length);
        if (r == starts.length) {
            starts = Arrays.copyOf(starts, r * 2);
            lengths = Arrays.copyOf(lengths, r * 2);
        }
        starts[r] = (long) (chunks.size() - 1) << 32 | used;
        lengths[r] = json.length;
        used += json.length;
        size++;
        return bound;
    }

    /** Done adding: the index is kept at its size (the last chunk is trimmed to its rows). */
    DatasetCases seal() {
        if (!sealed) {
            starts = Arrays.copyOf(starts, size);
            lengths = Arrays.copyOf(lengths, size);
            if (!chunks.isEmpty()) {
                int last = chunks.size() - 1;
                chunks.set(last, Arrays.copyOf(chunks.get(last), used));
            }
            sealed = true;
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
        Object[] previous = last.get();
        if (previous != null && (int) previous[0] == r) {
            return ((CaseSpec) previous[1]).id(); // a trial's id is asked for often: no parse of its row then
        }
        String scanned = scannedId(r);
        return scanned != null ? scanned : rowId(caseId, r, row(r));
    }

    /**
     * {@link #rowId} of row {@code r} read off its JSON without building it: the {@code id} field
     * when it is a string, the row number when there is none; null when the id is some other value
     * (then the row is read whole, and the id is made as {@link #rowId} makes it). A report asks
     * for every case's id, and a full read of each row was most of that.
     */
    private String scannedId(int r) {
        try (JsonParser p = ID_SCAN.createParser(chunks.get((int) (starts[r] >>> 32)), (int) starts[r], lengths[r])) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                boolean isId = p.currentName().equals("id");
                JsonToken value = p.nextToken();
                if (isId) {
                    return value == JsonToken.VALUE_STRING ? caseId + "-" + p.getText() : null;
                }
                p.skipChildren();
            }
            return caseId + "-" + (r + 1);
        } catch (IOException e) {
            return null;
        }
    }

    /** Whether every row's case holds the very same assertion list (none templated by the row). */
    boolean sameAssertsInEveryRow() {
        return !assertsDiffer;
    }

    /** Whether some row's text mentions {@code word} (a row can bring whole JSON values into a case). */
    boolean mentions(String word) {
        byte[] w = word.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (int r = 0; r < size; r++) {
            byte[] chunk = chunks.get((int) (starts[r] >>> 32));
            int from = (int) starts[r];
            outer:
            for (int i = from; i + w.length <= from + lengths[r]; i++) {
                for (int j = 0; j < w.length; j++) {
                    if (chunk[i + j] != w[j]) {
                        continue outer;
                    }
                }
                return true;
            }
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
        try {
            return Templates.values(Templates.PLAIN.readTree(chunks.get((int) (starts[r] >>> 32)), (int) starts[r], lengths[r]));
        } catch (IOException e) {
            throw new UncheckedIOException("a dataset row written by this process cannot be read back", e);
        }
    }
}
