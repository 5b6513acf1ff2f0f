package dev.sonde.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.report.Reports;
import dev.sonde.suite.Trial;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The request bodies a run sent, for the rows its HTML report shows ({@link Reports#requestKey}
 * {@code case/model} → the body of the first trial of that case on that model): found in the plan
 * when asked, instead of kept for every case for the length of the run. The plan lists each case's
 * trials together, so a case's first trial is found through an index built at the first question.
 * Not thread-safe: the report asks from one thread.
 */
final class SentRequests implements Function<String, ObjectNode> {
    private final List<Trial> plan;
    private Map<String, Integer> firstOfCase;

    SentRequests(List<Trial> plan) {
        this.plan = plan;
    }

    @Override
    public ObjectNode apply(String key) {
        if (firstOfCase == null) {
            firstOfCase = new HashMap<>();
            for (int i = 0; i < plan.size(); i++) {
                firstOfCase.putIfAbsent(plan.get(i).caseId(), i);
            }
        }
        int slash = key.indexOf('/'); // case ids are [A-Za-z0-9._-]+
        if (slash < 0) {
            return null;
        }
        String caseId = key.substring(0, slash);
        String model = key.substring(slash + 1);
        Integer first = firstOfCase.get(caseId);
        for (int i = first == null ? plan.size() : first; i < plan.size(); i++) {
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
}
