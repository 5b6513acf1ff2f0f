package dev.sonde.analysis;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The aggregates of a run three ways: the whole run, per model label, and per case × model.
 * Memory grows with the number of models and cases, never with the number of trials (or
 * repeats). Not thread-safe: fed from one stream of the journal.
 */
public final class Aggregates {
    private final Aggregate run = new Aggregate(true);
    private final Map<String, Aggregate> models = new LinkedHashMap<>();
    private final Map<String, Map<String, Aggregate>> cases = new TreeMap<>();

    /** Adds one trial to the run's aggregate, its model label's and its case × model's. */
    public void add(String caseId, String model, TrialMeasures m) {
        run.add(m);
        models.computeIfAbsent(model, k -> new Aggregate(true)).add(m);
        cases.computeIfAbsent(caseId, k -> new TreeMap<>()).computeIfAbsent(model, k -> new Aggregate()).add(m);
    }

    /** The whole run's aggregate, every trial added. */
    public Aggregate run() {
        return run;
    }

    /** Per model label, in the order models were first seen. */
    public Map<String, Aggregate> models() {
        return models;
    }

    /** Case id → model label → aggregate, both sorted. */
    public Map<String, Map<String, Aggregate>> cases() {
        return cases;
    }

    /** Every aggregate's {@link Aggregate#stats()}, taken now: later adds do not change it. */
    public Snapshot snapshot() {
        Map<String, Aggregate.Stats> m = new LinkedHashMap<>();
        models.forEach((k, v) -> m.put(k, v.stats()));
        Map<String, Map<String, Aggregate.Stats>> c = new TreeMap<>();
        cases.forEach((id, byModel) -> {
            Map<String, Aggregate.Stats> s = new TreeMap<>();
            byModel.forEach((k, v) -> s.put(k, v.stats()));
            c.put(id, s);
        });
        return new Snapshot(run.stats(), m, c);
    }

    /** A copy for reports: run, per model, per case × model. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Snapshot(Aggregate.Stats run, Map<String, Aggregate.Stats> models,
            Map<String, Map<String, Aggregate.Stats>> cases) {}
}
