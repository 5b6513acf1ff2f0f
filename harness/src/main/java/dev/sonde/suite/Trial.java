package dev.sonde.suite;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * One planned request: a case on a model, one repeat. {@code id} ({@code case/model/repeat}) is
 * stable across runs of the same suite, so journals resume by it and baselines match by it.
 *
 * @param repeat the repeat; in a cache variant's sequence, the index in the sequence (-1 the warm-up)
 * @param body the Messages API body exactly as it will be sent
 * @param variant the cache variant ({@code variants[].id}) whose sequence this trial is in, or null
 */
public record Trial(String id, CaseSpec caseSpec, ModelSpec model, int repeat, ObjectNode body,
        Map<String, String> headers, String variant) {

    /** A trial outside any cache variant's sequence. */
    public Trial(String id, CaseSpec caseSpec, ModelSpec model, int repeat, ObjectNode body, Map<String, String> headers) {
        this(id, caseSpec, model, repeat, body, headers, null);
    }

    /** True for a cache variant's warm-up request. */
    public boolean warmup() {
        return variant != null && repeat < 0;
    }

    /** {@code case/model/variant}, shared by the trials of one sequence; null outside a sequence. */
    public String sequence() {
        return variant == null ? null : caseSpec.id() + "/" + model.id() + "/" + variant;
    }

    public static String idOf(String caseId, String modelId, int repeat) {
        return caseId + "/" + modelId + "/" + repeat;
    }
}
