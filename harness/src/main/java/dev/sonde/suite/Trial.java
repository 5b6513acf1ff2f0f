package dev.sonde.suite;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * One planned request: a case on a model, one repeat. {@code id} ({@code case/model/repeat}) is
 * stable across runs of the same suite, so journals resume by it and baselines match by it.
 *
 * @param body the Messages API body exactly as it will be sent
 */
public record Trial(String id, CaseSpec caseSpec, ModelSpec model, int repeat, ObjectNode body,
        Map<String, String> headers) {

    public static String idOf(String caseId, String modelId, int repeat) {
        return caseId + "/" + modelId + "/" + repeat;
    }
}
