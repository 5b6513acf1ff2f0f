package dev.sonde.history;

import java.util.List;

/**
 * Two stored runs side by side: every trial id of either, paired, and the case × model figures of
 * each. Outputs are loaded only where a viewer shows them: for a pair whose verdict flipped or whose
 * output hashes differ.
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

    /**
     * One trial id in both runs.
     *
     * @param a the trial in run a, null when run a has no trial of this id
     * @param b the trial in run b, null when absent
     */
    public record TrialPair(String trialId, String caseId, String model, int repeat, Side a, Side b) {
        /** Passed in one run and not in the other (a trial present in only one run never flips). */
        public boolean flipped() {
            return a != null && b != null && a.trial().pass() != b.trial().pass();
        }

        /** Both runs have an output hash for it and the hashes differ. */
        public boolean outputChanged() {
            return a != null && b != null && a.trial().outputSha256() != null && b.trial().outputSha256() != null
                    && !a.trial().outputSha256().equals(b.trial().outputSha256());
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
    }

    /** One case × model's figures in each run; a side is null when that run did not have it. */
    public record CasePair(String caseId, String model, HistoryRow.Stat a, HistoryRow.Stat b) {}
}
