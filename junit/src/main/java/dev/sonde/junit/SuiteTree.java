package dev.sonde.junit;

import dev.sonde.journal.TrialResult;
import dev.sonde.session.SuiteSession;
import dev.sonde.suite.SuiteException;
import dev.sonde.suite.Trial;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.platform.engine.UniqueId;

/**
 * A suite's tests as its plan lists them, nothing sent: {@code [suite:PATH]} → {@code [case:ID]} →
 * {@code [trial:MODEL#REPEAT]} (a cache variant's trial {@code MODEL#VARIANT#INDEX}, the same parts as
 * its trial id), and {@code [gates:baseline]}, under which each gate is registered once judged; a
 * benchmark's load steps are registered as {@code [step:N]} under the suite once run. What was
 * selected of it is kept: the suite's id keeps all, a case's id its trials on every model, a trial's
 * id that trial, a gate's id all (gates judge the whole plan).
 */
final class SuiteTree {
    static final String SUITE = "suite";
    static final String CLASS = "class";
    static final String CASE = "case";
    static final String TRIAL = "trial";
    static final String GATES = "gates";
    static final String GATE = "gate";
    static final String STEP = "step";
    static final String SKIPPED = "skipped";

    /** How a suite was reached: the file, the marker class (first wins), and what was selected of it. */
    static final class Request {
        private final Path file;
        private Class<?> marker;
        private boolean whole;
        private final Set<UniqueId> picks = new LinkedHashSet<>();
        private String refused;

        Request(Path file) {
            this.file = file;
        }

        void marker(Class<?> marker) {
            if (this.marker == null) {
                this.marker = marker;
            }
        }

        /** @param pick a unique id under the suite's, or null for the whole suite */
        void select(UniqueId pick) {
            if (pick == null) {
                whole = true;
            } else {
                picks.add(pick);
            }
        }

        void refuse(String message) {
            refused = message;
        }
    }

    private SuiteTree() {}

    static SuiteDescriptor build(UniqueId suiteId, String key, Request request, Settings settings) {
        SuiteDescriptor suite = new SuiteDescriptor(suiteId, key, settings, request.marker, request.file, null);
        if (request.refused != null || settings.invalid() != null) {
            suite.state(new SuiteDescriptor.Broken(request.refused != null ? request.refused : settings.invalid()));
            return suite;
        }
        SuiteSession.Planned planned;
        try {
            planned = PlanCache.plan(request.file, settings.repeat());
        } catch (SuiteException e) {
            suite.state(new SuiteDescriptor.Broken(e.getMessage()));
            return suite;
        } catch (SuiteSession.SetupException e) {
            suite.state(new SuiteDescriptor.Broken("sonde: " + e.getMessage()));
            return suite;
        } catch (IOException e) { // a missing file is a SuiteException ("file:1:1: no such suite file")
            suite.state(new SuiteDescriptor.Broken("sonde: cannot read " + request.file + ": " + e.getMessage()));
            return suite;
        }
        UniqueId gatesId = suiteId.append(GATES, "baseline");
        boolean whole = request.whole || request.picks.stream().anyMatch(p -> p.hasPrefix(gatesId));
        if (planned.benchmark()) {
            if (!whole) {
                suite.state(new SuiteDescriptor.Broken("a benchmark (load:) runs its load whole: select its suite ("
                        + suiteId + "), not part of it"));
                return suite;
            }
            suite.addChild(new GroupDescriptor(gatesId, "baseline gates", suite.fileSource(), true));
            suite.state(new SuiteDescriptor.Ready(request.file, planned));
            return suite;
        }
        Map<String, GroupDescriptor> cases = new LinkedHashMap<>();
        Set<UniqueId> matched = new HashSet<>();
        for (Trial t : planned.trials()) {
            String caseId = t.caseId();
            UniqueId caseUid = suiteId.append(CASE, caseId);
            UniqueId trialUid = caseUid.append(TRIAL, t.id().substring(caseId.length() + 1).replace('/', '#'));
            List<UniqueId> by = whole ? List.of() : request.picks.stream().filter(trialUid::hasPrefix).toList();
            if (!whole && by.isEmpty()) {
                continue;
            }
            matched.addAll(by);
            GroupDescriptor group = cases.computeIfAbsent(caseId, c -> {
                GroupDescriptor g = new GroupDescriptor(caseUid, c, suite.fileSource(), false);
                suite.addChild(g);
                return g;
            });
            String name = displayName(t);
            group.addChild(new TrialDescriptor(trialUid, name, suite.testSource(name), t.id()));
        }
        List<UniqueId> unknown = new ArrayList<>(whole ? Set.of() : request.picks);
        unknown.removeAll(matched);
        if (!unknown.isEmpty()) {
            List.copyOf(suite.getChildren()).forEach(suite::removeChild);
            suite.state(new SuiteDescriptor.Broken("no test " + unknown.get(0) + " in the plan of " + request.file
                    + " (the suite may have changed since the id was listed)"));
            return suite;
        }
        suite.addChild(new GroupDescriptor(gatesId, "baseline gates", suite.fileSource(), true));
        suite.state(new SuiteDescriptor.Ready(request.file, planned));
        return suite;
    }

    /** The trial's name as the run's reports give it ({@link TrialResult#displayName()}): one rule for both. */
    static String displayName(Trial t) {
        return TrialResult.builder(t.id(), t.caseId(), t.model().id(), t.model().model(), t.repeat())
                .sequence(t.variant(), t.repeat()).build().displayName();
    }
}
