package dev.sonde.history.view;

import dev.sonde.analysis.RunVerdict;
import dev.sonde.history.HistoryException;
import dev.sonde.history.HistoryRow;
import dev.sonde.history.HistoryStore;
import dev.sonde.history.RunQuery;
import dev.sonde.metrics.Fmt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * {@code /}: the stored runs, newest first, filtered by suite, verdict and commit prefix (the
 * store's {@link RunQuery}), each linking to its suite's trends and its report, and the form that
 * compares two of them.
 */
final class RunsPage {
    static final Set<String> PARAMS = Set.of("suite", "verdict", "commit");
    /** {@code results.json}'s verdicts, in the order the filter lists them. */
    static final List<String> VERDICTS = Arrays.stream(RunVerdict.values()).map(RunVerdict::wire).toList();
    private static final Pattern COMMIT = Pattern.compile("[0-9a-fA-F]{4,40}");

    /** One run of the list. {@code commit} is short, with {@code +} when dirty; {@code report} false without report.html. */
    record Row(String runId, String suite, String started, String commit, String verdict, String baselineVerdict,
            long trials, boolean live, boolean report) {}

    /** A run in a compare form's pickers. */
    record Choice(String runId, String label) {}

    private RunsPage() {}

    static Map<String, Object> model(Site site, Params params) throws PageException, HistoryException {
        String suite = params.text("suite");
        String verdict = params.text("verdict");
        String commit = params.text("commit");
        if (verdict != null && !VERDICTS.contains(verdict)) {
            throw PageException.badRequest("verdict must be one of " + String.join(", ", VERDICTS) + ", not '" + verdict + "'");
        }
        if (commit != null && !COMMIT.matcher(commit).matches()) {
            throw PageException.badRequest("commit must be 4 to 40 hex digits (a prefix), not '" + commit + "'");
        }
        List<HistoryStore.StoredRun> all = site.runs(RunQuery.ALL);
        boolean filtered = suite != null || verdict != null || commit != null;
        List<HistoryStore.StoredRun> shown = filtered
                ? site.runs(new RunQuery(suite, verdict, commit == null ? null : commit.toLowerCase(Locale.ROOT), null, 0)) : all;
        Set<String> suites = new TreeSet<>();
        all.forEach(r -> suites.add(r.run().suite()));
        List<Row> rows = new ArrayList<>();
        for (int i = shown.size() - 1; i >= 0; i--) {
            rows.add(row(shown.get(i)));
        }
        Map<String, Object> m = new HashMap<>();
        m.put("rows", rows);
        m.put("total", all.size());
        m.put("suites", List.copyOf(suites));
        m.put("suite", suite == null ? "" : suite);
        m.put("verdict", verdict == null ? "" : verdict);
        m.put("commit", commit == null ? "" : commit);
        m.put("filtered", filtered);
        m.put("verdicts", VERDICTS);
        m.put("store", site.file().toString());
        m.put("choices", choices(shown));
        m.put("pickA", shown.size() >= 2 ? shown.get(shown.size() - 2).run().runId() : "");
        m.put("pickB", shown.isEmpty() ? "" : shown.get(shown.size() - 1).run().runId());
        return m;
    }

    static Row row(HistoryStore.StoredRun stored) {
        HistoryRow.Run r = stored.run();
        return new Row(r.runId(), r.suite(), Fmt.instant(r.startedAt()), commit(r.gitCommit(), r.dirty()), r.verdict(),
                r.baselineVerdict(), stored.trials(), r.live(), hasReport(r.runDir()));
    }

    /** The newest first, as the pickers list them. */
    static List<Choice> choices(List<HistoryStore.StoredRun> oldestFirst) {
        List<Choice> out = new ArrayList<>();
        for (int i = oldestFirst.size() - 1; i >= 0; i--) {
            HistoryRow.Run r = oldestFirst.get(i).run();
            out.add(new Choice(r.runId(), Fmt.instant(r.startedAt()) + " · " + r.suite() + " · "
                    + commit(r.gitCommit(), r.dirty()) + " · " + r.verdict() + " · " + r.runId()));
        }
        return out;
    }

    /** The first seven characters of a commit, {@code +} when dirty; {@code —} outside git. */
    static String commit(String gitCommit, boolean dirty) {
        if (gitCommit == null || gitCommit.isEmpty()) {
            return Fmt.NONE;
        }
        return gitCommit.substring(0, Math.min(7, gitCommit.length())) + (dirty ? "+" : "");
    }

    static boolean hasReport(String runDir) {
        return runDir != null && Files.isRegularFile(Path.of(runDir).resolve("report.html"));
    }
}
