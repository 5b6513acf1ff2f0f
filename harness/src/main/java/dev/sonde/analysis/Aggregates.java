package dev.sonde.analysis;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
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

    /**
     * Every aggregate's {@link Aggregate#stats()}: the run's and each model's taken now; each case's
     * computed when it is read ({@link Snapshot#cases()}), so a run of 100,000 cases never holds
     * 100,000 copies at once while its results are written. Take it once the trials are all in.
     */
    public Snapshot snapshot() {
        Map<String, Aggregate.Stats> m = new LinkedHashMap<>();
        models.forEach((k, v) -> m.put(k, v.stats()));
        return new Snapshot(run.stats(), m, new ByCase(cases));
    }

    /**
     * The figures for reports: run, per model, per case × model ({@code cases} may be a view that
     * computes each case's figures as they are read: read-only, sorted like the aggregates).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Snapshot(Aggregate.Stats run, Map<String, Aggregate.Stats> models,
            Map<String, Map<String, Aggregate.Stats>> cases) {}

    /** Case id → model → stats, each computed when read from the live aggregates. */
    private static final class ByCase extends AbstractMap<String, Map<String, Aggregate.Stats>> {
        private final Map<String, Map<String, Aggregate>> cases;

        ByCase(Map<String, Map<String, Aggregate>> cases) {
            this.cases = cases;
        }

        @Override
        public Map<String, Aggregate.Stats> get(Object caseId) {
            Map<String, Aggregate> byModel = cases.get(caseId);
            return byModel == null ? null : new ByModel(byModel);
        }

        @Override
        public boolean containsKey(Object caseId) {
            return cases.containsKey(caseId);
        }

        @Override
        public Set<Entry<String, Map<String, Aggregate.Stats>>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, Map<String, Aggregate.Stats>>> iterator() {
                    Iterator<Entry<String, Map<String, Aggregate>>> it = cases.entrySet().iterator();
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return it.hasNext();
                        }

                        @Override
                        public Entry<String, Map<String, Aggregate.Stats>> next() {
                            Entry<String, Map<String, Aggregate>> e = it.next();
                            return new SimpleImmutableEntry<>(e.getKey(), new ByModel(e.getValue()));
                        }
                    };
                }

                @Override
                public int size() {
                    return cases.size();
                }
            };
        }
    }

    /** Model → stats of one case, each computed when read. */
    private static final class ByModel extends AbstractMap<String, Aggregate.Stats> {
        private final Map<String, Aggregate> byModel;

        ByModel(Map<String, Aggregate> byModel) {
            this.byModel = byModel;
        }

        @Override
        public Aggregate.Stats get(Object model) {
            Aggregate a = byModel.get(model);
            return a == null ? null : a.stats();
        }

        @Override
        public boolean containsKey(Object model) {
            return byModel.containsKey(model);
        }

        @Override
        public Set<String> keySet() {
            return Collections.unmodifiableSet(byModel.keySet());
        }

        @Override
        public Set<Entry<String, Aggregate.Stats>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, Aggregate.Stats>> iterator() {
                    Iterator<Entry<String, Aggregate>> it = byModel.entrySet().iterator();
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return it.hasNext();
                        }

                        @Override
                        public Entry<String, Aggregate.Stats> next() {
                            Entry<String, Aggregate> e = it.next();
                            return new SimpleImmutableEntry<>(e.getKey(), e.getValue().stats());
                        }
                    };
                }

                @Override
                public int size() {
                    return byModel.size();
                }
            };
        }
    }
}
