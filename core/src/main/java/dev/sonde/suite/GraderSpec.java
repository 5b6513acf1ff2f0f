package dev.sonde.suite;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The suite's {@code grader:}: which model judges {@code llm-rubric} assertions that name none.
 * Without the block the grader is the suite's first model ({@code models[0]}), with no extra params.
 *
 * @param model a {@code models[].id} (that model's endpoint, protocol, key and headers are used) or an
 *     API model id (sent over the Messages API through the suite's first Anthropic model's provider)
 * @param params request fields for grading calls (e.g. {@code max_tokens}, {@code temperature})
 * @param location where the block (or, by default, {@code models[0]}) is written, for errors
 * @param field the suite field errors name: {@code grader.model} or {@code models[0].id}
 */
public record GraderSpec(String model, ObjectNode params, Location location, String field) {}
