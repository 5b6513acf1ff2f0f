package dev.sonde.suite;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Objects;

/**
 * One planned request: a case on a model, one repeat. {@link #id()} ({@code case/model/repeat}) is
 * stable across runs of the same suite, so journals resume by it and baselines match by it.
 *
 * <p>A plan makes these when asked ({@link Plan#expand}), and they hold little: a plain trial
 * builds its id, its case and its request body when asked ({@link Plan#body}), and keeps none —
 * 100,000 distinct cases do not keep 100,000 cases or request trees for the length of the run. A cache variant's trial carries the body
 * its placement made. Two trials are equal when they are the same request of the same plan.
 */
public final class Trial {
    private final String id;
    /** Null for a planned trial: its case is {@code suite.cases().get(caseIndex)}, bound when asked. */
    private final CaseSpec caseSpec;
    private final int caseIndex;
    private final ModelSpec model;
    private final int repeat;
    private final ObjectNode body;
    private final Suite suite;
    private final Map<String, String> headers;
    private final String variant;

    /**
     * A trial with a fixed id and body.
     *
     * @param repeat the repeat; in a cache variant's sequence, the index in the sequence (-1 the warm-up)
     * @param body the Messages API body exactly as it will be sent
     * @param variant the cache variant ({@code variants[].id}) whose sequence this trial is in, or null
     */
    public Trial(String id, CaseSpec caseSpec, ModelSpec model, int repeat, ObjectNode body,
            Map<String, String> headers, String variant) {
        this(Objects.requireNonNull(id, "id"), caseSpec, -1, model, repeat, body, null,
                headers, variant);
    }

    /** A trial with a fixed id and body, outside any cache variant's sequence. */
    public Trial(String id, CaseSpec caseSpec, ModelSpec model, int repeat, ObjectNode body, Map<String, String> headers) {
        this(id, caseSpec, model, repeat, body, headers, null);
    }

    private Trial(String id, CaseSpec caseSpec, int caseIndex, ModelSpec model, int repeat, ObjectNode body, Suite suite,
            Map<String, String> headers, String variant) {
        this.id = id;
        this.caseSpec = caseSpec;
        this.caseIndex = caseIndex;
        this.model = model;
        this.repeat = repeat;
        this.body = body;
        this.suite = suite;
        this.headers = headers;
        this.variant = variant;
    }

    /**
     * Repeat {@code repeat} of case {@code caseIndex} of {@code suite} on {@code model}: its case
     * and its body are built from the suite when asked.
     */
    static Trial planned(Suite suite, int caseIndex, ModelSpec model, int repeat) {
        return new Trial(null, null, caseIndex, model, repeat, null, suite, model.headers(), null);
    }

    /** {@code case/model/repeat} (a cache variant's: {@code case/model/variant/index}). */
    public String id() {
        return id != null ? id : idOf(caseId(), model.id(), repeat);
    }

    /** The case's id ({@code cases[].id}; a dataset row's {@code <id>-<row>}), without binding the case. */
    public String caseId() {
        return caseSpec != null ? caseSpec.id() : suite.caseId(caseIndex);
    }

    /**
     * Whether {@code other} is a trial of the same case: for two trials of one plan, without making
     * either case's id.
     */
    public boolean sameCase(Trial other) {
        if (suite != null && suite == other.suite && caseSpec == null && other.caseSpec == null) {
            return caseIndex == other.caseIndex;
        }
        return caseId().equals(other.caseId());
    }

    /** The case; a planned trial binds a case held as a dataset row anew at each call (equal each time). */
    public CaseSpec caseSpec() {
        return caseSpec != null ? caseSpec : suite.cases().get(caseIndex);
    }

    public ModelSpec model() {
        return model;
    }

    /** The repeat; in a cache variant's sequence, the index in the sequence (-1 the warm-up). */
    public int repeat() {
        return repeat;
    }

    /**
     * The Messages API body exactly as it will be sent. A plain trial builds it anew at each call
     * (the same content every time); change the copy you get freely.
     */
    public ObjectNode body() {
        return body != null || suite == null ? body : Plan.body(suite, caseSpec(), model);
    }

    /** Extra HTTP headers of the trial's model. */
    public Map<String, String> headers() {
        return headers;
    }

    /** The cache variant ({@code variants[].id}) whose sequence this trial is in, or null. */
    public String variant() {
        return variant;
    }

    /** True for a cache variant's warm-up request. */
    public boolean warmup() {
        return variant != null && repeat < 0;
    }

    /** {@code case/model/variant}, shared by the trials of one sequence; null outside a sequence. */
    public String sequence() {
        return variant == null ? null : caseId() + "/" + model.id() + "/" + variant;
    }

    public static String idOf(String caseId, String modelId, int repeat) {
        return caseId + "/" + modelId + "/" + repeat;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Trial t && repeat == t.repeat && id().equals(t.id()) && caseSpec().equals(t.caseSpec())
                && model.equals(t.model) && Objects.equals(variant, t.variant) && Objects.equals(headers, t.headers)
                && Objects.equals(body(), t.body());
    }

    @Override
    public int hashCode() {
        return id().hashCode();
    }

    @Override
    public String toString() {
        return "Trial[" + id() + "]";
    }
}
