package dev.sonde.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.history.HistoryStore;
import dev.sonde.history.Trend;
import dev.sonde.journal.Journal;
import dev.sonde.metrics.Fmt;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code sonde history trend} and {@code sonde history runs} on the console: a first line saying how
 * many runs are shown of how many the store holds and since when (so a CI cache that lost runs is
 * seen), then a {@link TextTable} with the report's number formats ({@link Fmt}); or one JSON
 * document, numbers as numbers and null for a figure the run did not have. Stateless.
 */
final class HistoryConsole {
    /** snake_case names, ISO-8601 instants, nulls written: the documents' schema is in README. */
    private static final ObjectMapper JSON = Journal.JSON.copy()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    private static final ObjectWriter PRETTY = JSON.writerWithDefaultPrettyPrinter();
    private static final int COMMIT_CHARS = 7;

    private static final List<TextTable.Column> TREND_COLUMNS = List.of(new TextTable.Column("run started", false),
            new TextTable.Column("commit", false), new TextTable.Column("verdict", false),
            new TextTable.Column("pass rate", true), new TextTable.Column("TTFT p95", true),
            new TextTable.Column("E2E p95", true), new TextTable.Column("cost/trial", true),
            new TextTable.Column("cache hit", true));
    private static final List<TextTable.Column> RUNS_COLUMNS = List.of(new TextTable.Column("run", false),
            new TextTable.Column("started", false), new TextTable.Column("commit", false),
            new TextTable.Column("verdict", false), new TextTable.Column("trials", true));

    private HistoryConsole() {}

    /** The first line and the table of a trend with at least one point. */
    static List<String> trendLines(Trend trend) {
        List<String> lines = new ArrayList<>();
        lines.add("history: " + trend.points().size() + " of " + trend.runsInStore() + " runs of " + trend.suite()
                + (trend.model() == null ? "" : ", model " + trend.model()) + since(trend.firstInStore())
                + (trend.shardsLeftOut() == 0 ? "" : "; " + trend.shardsLeftOut()
                        + (trend.shardsLeftOut() == 1 ? " shard or part run" : " shard or part runs")
                        + " left out (--shards shows them)"));
        List<List<String>> rows = new ArrayList<>();
        for (Trend.Point p : trend.points()) {
            rows.add(List.of(Fmt.instant(p.startedAt()), commit(p.gitCommit(), p.dirty()),
                    verdict(p.verdict(), p.baselineVerdict(), null) + (p.apart().isEmpty() ? "" : ", " + p.apart()),
                    Fmt.pct(p.passRate()),
                    Fmt.ms(p.ttftP95Ms()), Fmt.ms(p.e2eP95Ms()), Fmt.usd(p.costPerTrialUsd()),
                    p.cacheHitRatio() == null ? Fmt.NONE : Fmt.pct(p.cacheHitRatio())));
        }
        lines.addAll(TextTable.lines(TREND_COLUMNS, rows));
        return lines;
    }

    /**
     * The trend as one JSON document: {@code suite}, {@code model}, {@code store}, {@code runs_shown},
     * {@code runs_in_store}, {@code first_in_store}, {@code shards_left_out} and {@code points}, one
     * object per run, oldest first.
     */
    static String trendJson(Trend trend, Path store) throws JsonProcessingException {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("suite", trend.suite());
        doc.put("model", trend.model());
        doc.put("store", store.toString());
        doc.put("runs_shown", trend.points().size());
        doc.put("runs_in_store", trend.runsInStore());
        doc.set("first_in_store", JSON.valueToTree(trend.firstInStore()));
        doc.put("shards_left_out", trend.shardsLeftOut());
        ArrayNode points = doc.putArray("points");
        for (Trend.Point p : trend.points()) {
            ObjectNode point = JSON.valueToTree(p);
            point.withArray("gates").forEach(g -> ((ObjectNode) g).remove("row"));
            points.add(point);
        }
        return PRETTY.writeValueAsString(doc);
    }

    /**
     * The first line and the table of the runs listed.
     *
     * @param shown the runs to list, oldest first
     * @param matching how many runs the query matched before {@code --last}
     * @param first when the oldest of those {@code matching} runs started (not the oldest shown), as a
     *     trend's first line counts from the oldest run it could show
     * @param filtered whether a filter other than {@code --last} was given
     */
    static List<String> runsLines(List<HistoryStore.StoredRun> shown, int matching, Instant first, boolean filtered,
            Path store) {
        List<String> lines = new ArrayList<>();
        lines.add("history: " + shown.size() + " of " + matching + (filtered ? " matching" : "") + " runs in " + store
                + since(first));
        List<List<String>> rows = new ArrayList<>();
        for (HistoryStore.StoredRun stored : shown) {
            var run = stored.run();
            rows.add(List.of(run.runId(), Fmt.instant(run.startedAt()), commit(run.gitCommit(), run.dirty()),
                    verdict(run.verdict(), run.baselineVerdict(), run.stoppedBy())
                            + (Boolean.TRUE.equals(run.part()) ? ", part" : ""), Fmt.count(stored.trials())));
        }
        lines.addAll(TextTable.lines(RUNS_COLUMNS, rows));
        return lines;
    }

    /**
     * The runs as one JSON document: {@code store}, {@code runs_matching}, {@code runs_shown} and
     * {@code runs}, one object per run with {@code runs}' columns and its {@code trials} count.
     */
    static String runsJson(List<HistoryStore.StoredRun> shown, int matching, Path store) throws JsonProcessingException {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("store", store.toString());
        doc.put("runs_matching", matching);
        doc.put("runs_shown", shown.size());
        ArrayNode runs = doc.putArray("runs");
        for (HistoryStore.StoredRun stored : shown) {
            ObjectNode run = JSON.valueToTree(stored.run());
            run.remove("row");
            run.put("trials", stored.trials());
            runs.add(run);
        }
        return PRETTY.writeValueAsString(doc);
    }

    /** {@code  since 2026-11-02} (UTC), or nothing when the start is unknown. */
    private static String since(Instant first) {
        return first == null ? "" : " since " + first.atOffset(ZoneOffset.UTC).toLocalDate();
    }

    /** The commit's first 7 characters, {@code +} when it had local changes; {@link Fmt#NONE} outside git. */
    static String commit(String gitCommit, boolean dirty) {
        if (gitCommit == null) {
            return Fmt.NONE;
        }
        return gitCommit.substring(0, Math.min(COMMIT_CHARS, gitCommit.length())) + (dirty ? "+" : "");
    }

    /** The run's verdict, then a failed baseline and why it stopped early when it did: {@code pass, gates fail}. */
    static String verdict(String verdict, String baselineVerdict, String stoppedBy) {
        return (verdict == null ? Fmt.NONE : verdict) + ("fail".equals(baselineVerdict) ? ", gates fail" : "")
                + (stoppedBy == null ? "" : ", stopped: " + stoppedBy);
    }
}
