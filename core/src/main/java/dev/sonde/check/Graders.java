package dev.sonde.check;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where graded checks get their grader while they are built: the suite's {@code grader:} (or its
 * default), or the model an assertion's own {@code grader:} names. Resolution happens before
 * anything is sent, so an unknown grader model is a suite error that costs nothing.
 */
@FunctionalInterface
public interface Graders {

    /** No grader available: what a run without grader wiring (and a unit test) has. */
    Graders NONE = (model, params) -> {
        throw new IllegalArgumentException("no grader is available here (graders are wired by 'sonde run' and the "
                + "Maven gate)");
    };

    /**
     * @param model an assertion's {@code grader} model ({@code models[].id} or an API model id), or
     *     null for the suite's grader
     * @param params request fields overriding the suite grader's {@code params}, or null
     * @throws IllegalArgumentException saying in one line why no grader fits (e.g. an unknown model)
     */
    Grader resolve(String model, ObjectNode params);
}
