package dev.sonde.history;

import dev.sonde.check.CheckResult;
import java.util.List;
import java.util.Locale;

/**
 * Two stored runs side by side: every trial id of either, paired, and the case × model figures of
 * each. Outputs are loaded only where a viewer shows them: for a pair whose state differs, whose
 * output hashes differ or whose tool calls differ.
 *
 * @param a the older run as the caller named it first
 * @param b the other run
 * @param trials every trial id of either run, in case, model, repeat order
 * @param cases every case × model of either run ({@code run_stats} scope {@code case})
 */
public record RunDiff(HistoryStore.StoredRun a, HistoryStore.StoredRun b, List<TrialPair> trials,
        List<CasePair> cases) {
    public RunDiff {
        trials = List.copyOf(trials);
        cases = List.copyOf(cases);
    }

    /** What became of a trial id in one run, as {@code results.json}'s trial statuses name them, or absent. */
    public enum State {
        /** Sent, and its checks passed. */
        PASSED,
        /** Sent, answered, and a check failed. */
        FAILED,
        /** Sent, and the exchange itself failed ({@code error_class}). */
        ERRORED,
        /** Never sent (a budget, a stop, a filter): no verdict. */
        SKIPPED,
        /** Answered, but none of its checks applied: no verdict. */
        NOT_EVALUATED,
        /** The run has no trial of this id. */
        ABSENT;

        /** Lower case with a space, as pages and tables show it: {@code not evaluated}. */
        public String shown() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    /**
     * One trial id of either run.
     *
     * @param a the trial in run a, null when run a has no trial of this id
     * @param b the trial in run b, null when absent
     * @param toolCallsChanged both runs sent it and their stored tool calls differ (a pruned side
     *     never counts as changed)
     */
    public record TrialPair(String trialId, String caseId, String model, int repeat, Side a, Side b,
            boolean toolCallsChanged) {
        /** The state in run a. */
        public State stateA() {
            return a == null ? State.ABSENT : a.state();
        }

        /** The state in run b. */
        public State stateB() {
            return b == null ? State.ABSENT : b.state();
        }

        /**
         * Sent in both runs, and passed in exactly one of them: passed ↔ failed, errored or not
         * evaluated. A trial absent or skipped in either run never flips.
         */
        public boolean flipped() {
            return sent(stateA()) && sent(stateB()) && (stateA() == State.PASSED) != (stateB() == State.PASSED);
        }

        /** Both runs have an output hash for it and the hashes differ. */
        public boolean outputChanged() {
            return a != null && b != null && a.trial().outputSha256() != null && b.trial().outputSha256() != null
                    && !a.trial().outputSha256().equals(b.trial().outputSha256());
        }

        private static boolean sent(State s) {
            return s != State.ABSENT && s != State.SKIPPED;
        }
    }

    /**
     * One side of a pair.
     *
     * @param checks its checks in the order they ran
     * @param output its output, null when not loaded (unchanged and not flipped), pruned, or absent
     * @param outputPruned the store pruned this run's outputs ({@code --keep-outputs})
     */
    public record Side(HistoryRow.Trial trial, List<HistoryRow.Check> checks, HistoryRow.Output output,
            boolean outputPruned) {
        public Side {
            checks = List.copyOf(checks);
        }

        /**
         * Its state, as the run's trial status: skipped, errored, passed; else not evaluated when it
         * has checks and every one was not applicable (its reason starts {@code "not applicable: "},
         * as the journal writes it), else failed.
         */
        public State state() {
            if (trial.skipped() != null) {
                return State.SKIPPED;
            }
            if (trial.errorClass() != null) {
                return State.ERRORED;
            }
            if (trial.pass()) {
                return State.PASSED;
            }
            boolean none = !checks.isEmpty() && checks.stream()
                    .allMatch(c -> !c.pass() && c.reason() != null && c.reason().startsWith(CheckResult.NOT_APPLICABLE));
            return none ? State.NOT_EVALUATED : State.FAILED;
        }
    }

    /** One case × model's figures in each run; a side is null when that run did not have it. */
    public record CasePair(String caseId, String model, HistoryRow.Stat a, HistoryRow.Stat b) {}
}
