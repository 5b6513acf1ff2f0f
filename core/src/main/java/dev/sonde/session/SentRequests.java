package dev.sonde.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.report.Reports;
import dev.sonde.suite.Trial;
import java.util.List;
import java.util.function.Function;

/**
 * The request bodies a run sent, for the rows its HTML report shows ({@link Reports#requestKey}
 * {@code case/model} → the body of the first trial of that case on that model): found in the plan
 * when asked, instead of kept for every case for the length of the run. The plan lists each case's
 * trials together, so a case's first trial is found through an index built at the first question:
 * an open-addressing table of plan positions by the hash of the case id (4 bytes a slot; a hit is
 * checked against the trial's own case id), not a map of 100,000 strings.
 * Not thread-safe: the report asks from one thread.
 */
final class SentRequests implements Function<String, ObjectNode> {
    private final List<Trial> plan;
    /** Plan position + 1 of each case's first trial, by hash of its id; 0 empty. */
    private int[] firstOfCase;

    SentRequests(List<Trial> plan) {
        this.plan = plan;
    }

    @Override
    public ObjectNode apply(String key) {
        int slash = key.indexOf('/'); // case ids are [A-Za-z0-9._-]+
        if (slash < 0) {
            return null;
        }
        String caseId = key.substring(0, slash);
        String model = key.substring(slash + 1);
        int first = first(caseId);
        for (int i = first < 0 ? plan.size() : first; i < plan.size(); i++) {
            Trial t = plan.get(i);
            if (!t.caseId().equals(caseId)) {
                break;
            }
            if (t.model().id().equals(model)) {
                return t.body();
            }
        }
        return null;
    }

    /** The plan position of the first trial of {@code caseId}, or -1. */
    private int first(String caseId) {
        if (firstOfCase == null) {
            index();
        }
        int mask = firstOfCase.length - 1;
        for (int slot = spread(caseId.hashCode()) & mask; firstOfCase[slot] != 0; slot = (slot + 1) & mask) {
            int at = firstOfCase[slot] - 1;
            if (plan.get(at).caseId().equals(caseId)) {
                return at;
            }
        }
        return -1;
    }

    /** Counts the plan's cases, then places each case's first trial, making each case's id once. */
    private void index() {
        int cases = 0;
        for (int i = 0; i < plan.size(); i++) {
            if (i == 0 || !plan.get(i).sameCase(plan.get(i - 1))) {
                cases++;
            }
        }
        firstOfCase = new int[Integer.highestOneBit(Math.max(2, cases) * 2 - 1) * 2];
        int mask = firstOfCase.length - 1;
        Trial previous = null;
        for (int i = 0; i < plan.size(); i++) {
            Trial t = plan.get(i);
            if (previous == null || !t.sameCase(previous)) {
                int slot = spread(t.caseId().hashCode()) & mask;
                while (firstOfCase[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                firstOfCase[slot] = i + 1;
            }
            previous = t;
        }
    }

    private static int spread(int h) {
        return h ^ (h >>> 16) * 0x45d9f3b;
    }
}
