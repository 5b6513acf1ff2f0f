package dev.sonde.suite;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * One model entry of a suite.
 *
 * @param id the label used in reports and trial ids
 * @param model the API model id sent in requests
 * @param params Messages API body fields passed through as given (max_tokens, temperature, …)
 * @param headers extra HTTP headers, e.g. {@code anthropic-beta}
 */
public record ModelSpec(String id, String model, String provider, boolean stream, ObjectNode params,
        Map<String, String> headers) {}
