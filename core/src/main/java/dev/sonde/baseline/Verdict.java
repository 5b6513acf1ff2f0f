package dev.sonde.baseline;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;

/**
 * What a comparison decides: every gate with its outcome, plus notes (what was not compared and
 * why). {@link #passed()} is false exactly when a gate failed; it is what the CLI turns into exit
 * code 1 and the Maven gate into a failed build.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Verdict(boolean passed, List<GateResult> gates, List<String> notes) {

    public Verdict {
        gates = List.copyOf(gates);
        notes = List.copyOf(notes);
    }

    static Verdict of(List<GateResult> gates, List<String> notes) {
        return new Verdict(gates.stream().noneMatch(GateResult::failed), gates, notes);
    }

    public List<GateResult> failures() {
        return gates.stream().filter(GateResult::failed).toList();
    }

    /** One line per gate, then the notes: what a console or a failing test prints. */
    public List<String> lines() {
        java.util.ArrayList<String> lines = new java.util.ArrayList<>();
        gates.forEach(g -> lines.add(g.line()));
        notes.forEach(n -> lines.add("note: " + n));
        return lines;
    }

    /** {@code baseline gates: PASS (5 passed, 1 skipped)} or {@code FAIL: ttft_p95 [sonnet], new_failures}. */
    public String headline() {
        if (passed) {
            long skipped = gates.stream().filter(g -> g.outcome() == GateResult.Decision.SKIP).count();
            return "baseline gates: PASS (" + (gates.size() - skipped) + " passed" + (skipped > 0 ? ", " + skipped
                    + " skipped" : "") + ")";
        }
        return "baseline gates: FAIL: " + String.join(", ", failures().stream().map(GateResult::name).toList());
    }
}
