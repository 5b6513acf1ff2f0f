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
import java.util.function.ToIntFunction;

/**
 * The aggregates of a run three ways: the whole run, per model label, and per case × model.
 * Memory grows with the number of models and open cases, never with the number of trials (or
 * repeats): given how many trials each case has ({@link #closing}), a case whose trials are all in
 * is closed — its figures computed once and kept out of the heap ({@link ClosedCases}) — so a run
 * of 100,000 distinct cases holds only the cases still in flight. Not thread-safe: fed from one
 * stream of the journal.
 */
public final class Aggregates {
    private final Aggregate run = new Aggregate(true);
    private final Map<String, Aggregate> models = new LinkedHashMap<>();
    private final Map<String, Map<String, Aggregate>> cases = new TreeMap<>();
    private final ToIntFunction<String> trialsPerCase;
    private ClosedCases closed;

    /** Aggregates that keep every case open (a journal read after its run, with no plan at hand). */
    public Aggregates() {
        this.trialsPerCase = null;
    }

    private Aggregates(ToIntFunction<String> trialsPerCase) {
        this.trialsPerCase = trialsPerCase;
    }

    /**
     * Aggregates that close each case once it has {@code trialsPerCase} trials (its models ×
     * repeats in the plan; a journal holds one result per trial). A trial of a case already closed
     * is a broken journal: reading the figures ({@link #snapshot}'s cases) throws.
     */
    public static Aggregates closing(ToIntFunction<String> trialsPerCase) {
        return new Aggregates(trialsPerCase);
    }

    /** Adds one trial to the run's aggregate, its model label's and its case × model's. */
    public void add(String caseId, String model, TrialMeasures m) {
        run.add(m);
        models.computeIfAbsent(model, k -> new Aggregate(true)).add(m);
        Map<String, Aggregate> byModel = cases.computeIfAbsent(caseId, k -> new TreeMap<>());
        byModel.computeIfAbsent(model, k -> new Aggregate()).add(m);
        if (trialsPerCase != null) {
            long in = 0;
            for (Aggregate a : byModel.values()) {
                in += a.trials();
            }
            if (in >= trialsPerCase.applyAsInt(caseId)) {
                if (closed == null) {
                    closed = new ClosedCases();
                }
                Map<String, Aggregate.Stats> stats = new LinkedHashMap<>();
                byModel.forEach((label, a) -> stats.put(label, a.stats()));
                closed.put(caseId, stats);
                cases.remove(caseId);
            }
        }
    }

    /** The whole run's aggregate, every trial added. */
    public Aggregate run() {
        return run;
    }

    /** Per model label, in the order models were first seen. */
    public Map<String, Aggregate> models() {
        return models;
    }

    /** How many cases have been closed (their figures kept out of the heap). */
    public int closedCases() {
        return closed == null ? 0 : closed.size();
    }

    /**
     * Every aggregate's {@link Aggregate#stats()}: the run's and each model's taken now; each case's
     * computed (or read back, once closed) when it is read ({@link Snapshot#cases()}), so a run of
     * 100,000 cases never holds 100,000 copies at once while its results are written. Take it once
     * the trials are all in.
     */
    public Snapshot snapshot() {
        Map<String, Aggregate.Stats> m = new LinkedHashMap<>();
        models.forEach((k, v) -> m.put(k, v.stats()));
        return new Snapshot(run.stats(), m, new ByCase(cases, closed));
    }

    /**
     * The figures for reports: run, per model, per case × model ({@code cases} may be a view that
     * computes each case's figures as they are read: read-only, sorted like the aggregates).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Snapshot(Aggregate.Stats run, Map<String, Aggregate.Stats> models,
            Map<String, Map<String, Aggregate.Stats>> cases) {}

    /** Case id → model → stats, sorted by case id: the open cases computed when read, the closed read back. */
    private static final class ByCase extends AbstractMap<String, Map<String, Aggregate.Stats>> {
        private final Map<String, Map<String, Aggregate>> open;
        private final ClosedCases closed;

        ByCase(Map<String, Map<String, Aggregate>> open, ClosedCases closed) {
            this.open = open;
            this.closed = closed;
        }

        @Override
        public Map<String, Aggregate.Stats> get(Object caseId) {
            Map<String, Aggregate> byModel = open.get(caseId);
            if (byModel != null) {
                return new ByModel(byModel);
            }
            return closed != null && caseId instanceof String id ? closed.get(id) : null;
        }

        @Override
        public boolean containsKey(Object caseId) {
            return open.containsKey(caseId) || closed != null && caseId instanceof String id && closed.contains(id);
        }

        @Override
        public Set<Entry<String, Map<String, Aggregate.Stats>>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, Map<String, Aggregate.Stats>>> iterator() {
                    Iterator<Entry<String, Map<String, Aggregate>>> openIt = open.entrySet().iterator();
                    int closedCount = closed == null ? 0 : closed.size();
                    return new Iterator<>() {
                        private Entry<String, Map<String, Aggregate>> nextOpen = openIt.hasNext() ? openIt.next() : null;
                        private int nextClosed;
                        private String closedId = closedCount == 0 ? null : closed.idInOrder(0);

                        @Override
                        public boolean hasNext() {
                            return nextOpen != null || nextClosed < closedCount;
                        }

                        @Override
                        public Entry<String, Map<String, Aggregate.Stats>> next() {
                            if (!hasNext()) {
                                throw new java.util.NoSuchElementException();
                            }
                            // each is sorted (TreeMap, sorted ids) and they are disjoint: merge them
                            if (nextOpen != null && closedId != null && nextOpen.getKey().equals(closedId)) {
                                throw new IllegalStateException("case " + nextOpen.getKey()
                                        + " had more trials than the plan gave it");
                            }
                            if (nextOpen != null && (closedId == null || nextOpen.getKey().compareTo(closedId) < 0)) {
                                Entry<String, Map<String, Aggregate>> e = nextOpen;
                                nextOpen = openIt.hasNext() ? openIt.next() : null;
                                return new SimpleImmutableEntry<>(e.getKey(), new ByModel(e.getValue()));
                            }
                            Entry<String, Map<String, Aggregate.Stats>> e = new SimpleImmutableEntry<>(closedId,
                                    closed.figuresInOrder(nextClosed));
                            nextClosed++;
                            closedId = nextClosed < closedCount ? closed.idInOrder(nextClosed) : null;
                            return e;
                        }
                    };
                }

                @Override
                public int size() {
                    return open.size() + (closed == null ? 0 : closed.size());
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
