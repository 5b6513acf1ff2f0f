package dev.sonde.history;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.api.SecretMask;
import dev.sonde.journal.RunInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The run-level rows of a finished run: from its {@link RunInfo} and its {@code results.json}, with the
 * endpoint, the run folder's path and the gates' texts passed through the mask. Stateless.
 */
final class RunRows {
    private static final String DIRTY = "+dirty";

    private RunRows() {}

    static HistoryRow.Run run(RunInfo info, String verdict, String baselineVerdict, String stoppedBy, Path runDir,
            SecretMask mask) {
        String commit = info.gitCommit();
        boolean dirty = commit != null && commit.endsWith(DIRTY);
        if (dirty) {
            commit = commit.substring(0, commit.length() - DIRTY.length());
        }
        RunInfo.Shard shard = info.shard();
        return new HistoryRow.Run(info.runId(), info.suite(), info.suiteFile(), info.startedAt(), info.finishedAt(),
                info.wallMs(), masked(mask, info.endpoint()), info.live(), commit, dirty, info.sondeVersion(), info.javaVersion(),
                info.pricingVersion(), info.planHash(), info.timingOrigin(), shard == null ? null : shard.k(),
                shard == null ? null : shard.n(), info.merged() == null ? null : info.merged().partial(),
                info.repeat(), info.trialsPlanned(), verdict, baselineVerdict, masked(mask, stoppedBy),
                mask.mask(runDir.toAbsolutePath().normalize().toString()), info.part());
    }

    static List<HistoryRow.Model> models(RunInfo info) {
        List<HistoryRow.Model> rows = new ArrayList<>();
        if (info.models() != null) {
            for (RunInfo.ModelRef m : info.models()) {
                rows.add(new HistoryRow.Model(m.id(), m.model(), m.provider(), m.region()));
            }
        }
        return rows;
    }

    /** The gates of {@code comparison.verdict.gates}; none when the run was not compared. */
    static List<HistoryRow.Gate> gates(JsonNode gates, SecretMask mask) {
        List<HistoryRow.Gate> rows = new ArrayList<>();
        if (gates != null && gates.isArray()) {
            for (JsonNode g : gates) {
                rows.add(new HistoryRow.Gate(text(g, "gate"), text(g, "subject"), text(g, "outcome"),
                        number(g.path("value")), number(g.path("limit")), masked(mask, text(g, "observed")),
                        masked(mask, text(g, "threshold")), masked(mask, text(g, "reason"))));
            }
        }
        return rows;
    }

    /**
     * One {@code Aggregate.Stats} object of {@code results.json}'s {@code aggregates}, at {@code where}
     * (e.g. {@code aggregates.models.fast}); the model and case pass the mask. A percentile or mean that
     * is missing, not a number or not finite is null; the pass rate, cost and cache hit ratio, which
     * Sonde always writes as finite numbers, are refused otherwise.
     *
     * @throws IOException one line naming the file and the field
     */
    static HistoryRow.Stat stat(String scope, String model, String caseId, JsonNode s, Path results, String where,
            SecretMask mask) throws IOException {
        JsonNode ttft = s.path("ttft_ms");
        JsonNode e2e = s.path("e2e_ms");
        JsonNode tokens = s.path("tokens");
        where = mask.mask(where); // the refusal names a model or case, which may hold a key
        return new HistoryRow.Stat(scope, masked(mask, model), masked(mask, caseId), s.path("trials").asLong(),
                s.path("passed").asLong(), s.path("failed").asLong(), s.path("errored").asLong(),
                s.path("not_evaluated").asLong(), finite(s, "pass_rate", results, where), number(ttft.path("p50")),
                number(ttft.path("p95")), number(ttft.path("p99")), number(e2e.path("p50")), number(e2e.path("p95")),
                number(e2e.path("p99")), finite(s, "cost_usd", results, where),
                number(s.path("cost_per_trial_usd").path("mean")), tokens.path("input").asLong(),
                tokens.path("output").asLong(), tokens.path("cache_read").asLong(),
                tokens.path("cache_write_5m").asLong() + tokens.path("cache_write_1h").asLong(),
                finite(s, "cache_hit_ratio", results, where), s.path("unpriced_trials").asLong(),
                s.path("untimed_trials").asLong());
    }

    private static double finite(JsonNode s, String field, Path results, String where) throws IOException {
        Double v = number(s.path(field));
        if (v == null) {
            throw new IOException(results + ": " + where + "." + field + " is not a finite number");
        }
        return v;
    }

    private static String masked(SecretMask mask, String text) {
        return text == null ? null : mask.mask(text);
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isTextual() ? v.asText() : null;
    }

    /** A finite number, else null (missing, text such as {@code "NaN"}, or NaN and infinities). */
    private static Double number(JsonNode v) {
        return v.isNumber() && Double.isFinite(v.asDouble()) ? v.asDouble() : null;
    }
}
