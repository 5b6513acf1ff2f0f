package dev.sonde.report;

import dev.sonde.metrics.Fmt;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.journal.Journal;
import dev.sonde.journal.SequenceManifest;
import dev.sonde.journal.TrialError;
import dev.sonde.journal.TrialResult;
import dev.sonde.metrics.TimingsMillis;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Console and summary.md lines of the cache placement analysis: an errored variant is listed after the ranking, unranked. */
class CacheVariantsReportTest {
    @TempDir
    Path dir;

    private static TrialResult answered(String id) throws Exception {
        JsonNode usage = Journal.JSON.readTree("{\"input_tokens\":1000,\"output_tokens\":10}");
        TimingsMillis t = new TimingsMillis(50.0, 50.0, 60.0, 60.0, new double[0], 1, null, null);
        return TrialResult.builder(id, "c", "m", "claude-sonnet-4-6", 0).pass(true).requestId("req")
                .stopReason("end_turn").outputText("ok").timings(t).usage(usage).costUsd(0.00315).attempts(1)
                .startedAt(Instant.EPOCH).build();
    }

    private static TrialResult refused(String id) {
        TimingsMillis t = new TimingsMillis(null, 3.0, 3.0, 3.0, new double[0], 0, null, null);
        return TrialResult.builder(id, "c", "m", "claude-sonnet-4-6", 0)
                .error(new TrialError("invalid_request", 400, "invalid_request_error", "bad cache_control"))
                .requestId("req").timings(t).attempts(1).startedAt(Instant.EPOCH).build();
    }

    @Test
    void an_errored_variant_comes_after_the_ranking_with_its_first_error() throws Exception {
        new SequenceManifest(1, true, 3601, List.of(
                new SequenceManifest.Variant("broken", null, "5m TTL on system", List.of(new SequenceManifest.Placement("system", "5m")),
                        3, List.of(420.0), 1, false),
                new SequenceManifest.Variant("none", null, "no caching", List.of(), 3, List.of(420.0), 1, false))).write(dir);
        try (Journal j = Journal.open(dir.resolve("trials.jsonl"))) {
            for (int i = 0; i < 3; i++) {
                j.append(refused("c/m/broken/" + i));
                j.append(answered("c/m/none/" + i));
            }
        }
        var report = dev.sonde.analysis.CacheVariantAnalysis.of(dir);
        List<String> lines = CacheVariantsMarkdown.consoleLines(report);
        assertThat(lines.get(1)).startsWith("  #1   none").contains("$0.00315/request (steady $0.00315)");
        assertThat(lines.get(2)).isEqualTo("  " + String.format("%-4s", Fmt.NONE) + " broken                   "
                + "3 of 3 requests errored: invalid_request (400 invalid_request_error): bad cache_control");
        assertThat(lines.get(0)).doesNotContain("Cheapest: broken").contains("not ranked, requests errored: broken (3 of 3 errored)");
        StringBuilder md = new StringBuilder();
        CacheVariantsMarkdown.append(md, report);
        assertThat(md.toString()).contains("| #1 | none — no caching | 3 |")
                .contains("| " + Fmt.NONE + " | broken — 5m TTL on system | 3 (3 errored) |");
        assertThat(md.indexOf("| #1 | none")).isLessThan(md.indexOf("broken — 5m TTL"));
    }
}
