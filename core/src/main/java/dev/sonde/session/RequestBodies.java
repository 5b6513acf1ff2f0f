package dev.sonde.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.journal.RunInfo;
import dev.sonde.report.Reports;
import dev.sonde.suite.Plan;
import dev.sonde.suite.Suite;
import dev.sonde.suite.SuiteLoader;
import dev.sonde.suite.Trial;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The request bodies of a finished run rebuilt from its suite file as it is now, for a
 * re-rendered report ({@code sonde report}): the journal keeps answers, not requests. The report
 * shows a body only while its hash matches the one the run recorded. Never throws: a moved or
 * now-invalid suite file gives no bodies and a note saying why.
 */
public final class RequestBodies {
    private RequestBodies() {}

    /** The bodies {@code info}'s suite file builds now, their hashes and its seed; never throws. */
    public static Reports.Rebuilt of(RunInfo info) {
        Path suiteFile = info == null || info.suiteFile() == null ? null : Path.of(info.suiteFile());
        if (suiteFile == null || !Files.isRegularFile(suiteFile)) {
            return Reports.Rebuilt.none("The request body is not journaled and the suite file "
                    + (suiteFile == null ? "is unknown" : suiteFile + " is not here") + ", so it cannot be shown.");
        }
        Suite suite;
        try {
            suite = SuiteLoader.load(suiteFile);
        } catch (Exception e) {
            return Reports.Rebuilt.none("The suite file " + suiteFile + " no longer loads, so the request body cannot"
                    + " be shown.");
        }
        Long seed = suite.emulator() == null ? null : suite.emulator().seed();
        try {
            List<Trial> plan = Plan.expand(suite);
            Map<String, ObjectNode> bodies = new HashMap<>();
            for (Trial t : plan) {
                bodies.computeIfAbsent(Reports.requestKey(t.caseId(), t.model().id()), k -> t.body());
            }
            return new Reports.Rebuilt(bodies, Plan.requestHashes(plan), seed, "Rebuilt from " + suiteFile
                    + " when this report was written (the journal keeps outputs, not requests).");
        } catch (Exception e) {
            return new Reports.Rebuilt(Map.of(), Map.of(), seed, "The suite file " + suiteFile
                    + " no longer builds its plan, so the request body cannot be shown.");
        }
    }
}
