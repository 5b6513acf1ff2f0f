package dev.sonde.cli;

import dev.sonde.analysis.GraderTotals;
import java.util.Optional;

/**
 * The console summary's grader line, e.g. {@code   graders: $0.000552 for 2 grader calls (242 input
 * / 62 output tokens), not in the costs above}: what graded checks ({@code llm-rubric}, the model-graded templates, {@code select-best}) spent over the run,
 * kept apart from the models' costs. Stateless.
 */
final class GraderConsole {
    private GraderConsole() {}

    /** The line for totals already summed, or empty when no grader was asked. */
    static Optional<String> line(GraderTotals totals) {
        return totals.any() ? Optional.of("  graders: " + totals.line() + ", not in the costs above") : Optional.empty();
    }
}
