package dev.sonde.check;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.metrics.Usage;

/**
 * A grader model, as a graded check sees it: one prompt in, the model's text and what it spent
 * out. Implementations (the run wires one over the same providers as the trials) hold the HTTP
 * side; checks hold none. Thread-safe: one grader serves every trial.
 */
public interface Grader {

    /**
     * What one grading call returned.
     *
     * @param text the answer's text (empty when it failed before any)
     * @param usage the answer's usage ({@link Usage#NONE} when none came back)
     * @param costUsd what the call cost, or null when the grader model is unpriced
     * @param failure why the call failed (one line), or null when it succeeded
     * @param filler the emulator said no rule matched the grading request, so the text is generated
     *     filler, not a verdict (its {@code sonde-emulator-filler} header, believed only from loopback)
     */
    record Reply(String text, Usage usage, Double costUsd, String failure, boolean filler) {

        /** A reply that is not emulator filler. */
        public Reply(String text, Usage usage, Double costUsd, String failure) {
            this(text, usage, costUsd, failure, false);
        }
    }

    /** The grader model's label, for reasons: a suite's {@code models[].id} or an API model id. */
    String model();

    /**
     * Sends one grading request; never throws for API or network failures (they come back in
     * {@link Reply#failure()}).
     *
     * @param system the grader's instructions
     * @param prompt the user turn: the rubric and the answer to judge
     * @param verdictSchema a JSON Schema the answer must follow, asked for as structured output
     *     where the protocol supports it
     */
    Reply ask(String system, String prompt, ObjectNode verdictSchema) throws InterruptedException;
}
