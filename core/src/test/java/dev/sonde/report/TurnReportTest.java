package dev.sonde.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.check.CheckResult;
import dev.sonde.journal.Journal;
import dev.sonde.journal.RunInfo;
import dev.sonde.journal.TrialResult;
import dev.sonde.journal.TurnRecord;
import dev.sonde.metrics.TimingsMillis;
import dev.sonde.run.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tool-loop trial's turns appear in report.html's trial detail and, summed by index, in results.json. */
class TurnReportTest {
    private static final Instant START = Instant.parse("2026-11-03T10:15:30Z");
    @TempDir
    Path dir;

    private static ObjectNode usage(int in, int out, int cacheRead) {
        return Journal.JSON.createObjectNode().put("input_tokens", in).put("output_tokens", out)
                .put("cache_read_input_tokens", cacheRead).put("cache_creation_input_tokens", 0);
    }

    private static TurnRecord turn(int i, Double ttft, double ttftAny, double e2e, ObjectNode usage, double cost,
            String stop, String city) {
        List<JsonNode> calls = city == null ? List.of() : List.of(Journal.JSON.createObjectNode().put("id", "t" + i)
                .put("name", "get_weather").set("input", Journal.JSON.createObjectNode().put("city", city)));
        return new TurnRecord(i, 1, ttft, ttftAny, e2e, usage, cost, stop, calls, null, null);
    }

    private static TrialResult trial(String id, List<TurnRecord> turns, ObjectNode usage, double cost) {
        TimingsMillis last = new TimingsMillis(5.0, 65.0, 65.0, turns.isEmpty() ? 80.0 : turns.getLast().e2eMs(),
                new double[0], 3, null, null);
        return TrialResult.builder(id + "/s/0", id, "s", "claude-sonnet-4-6", 0).pass(true).requestId("req_" + id)
                .stopReason("end_turn").outputText("It is 15°C.").timings(last).usage(usage).costUsd(cost)
                .checks(List.of(CheckResult.pass("contains", "ok"))).attempts(2).startedAt(START).turns(turns)
                .build();
    }

    private RunResult run() throws Exception {
        Path journal = dir.resolve("out/trials.jsonl");
        List<TrialResult> trials = List.of(
                trial("weather", List.of(turn(1, 40.0, 40.0, 90.0, usage(1000, 50, 0), 0.00375, "tool_use", "Oslo"),
                        turn(2, null, 55.0, 120.0, usage(200, 60, 1000), 0.0018, "end_turn", null)),
                        usage(1200, 110, 1000), 0.00555),
                trial("again", List.of(turn(1, 30.0, 30.0, 70.0, usage(1000, 40, 0), 0.0036, "tool_use", "Paris"),
                        turn(2, 50.0, 50.0, 100.0, usage(300, 20, 1000), 0.0015, "end_turn", null)),
                        usage(1300, 60, 1000), 0.0051),
                trial("plain", List.of(), usage(10, 5, 0), 0.000105));
        try (Journal j = Journal.open(journal)) {
            for (TrialResult t : trials) {
                j.append(t);
            }
        }
        RunInfo info = new RunInfo("turns", "s.yaml", "run-1", "emulator", false, START, START.plusSeconds(2), 2000.0,
                3, 1, List.of(new RunInfo.ModelRef("s", "claude-sonnet-4-6")), "2026-11", "test", "21");
        return new RunResult(info, journal, journal.getParent());
    }

    @Test
    void the_trial_detail_has_a_row_per_turn_and_the_trial_totals() throws Exception {
        RunResult run = run();
        assertThat(Reports.writeAll(run).complete()).isTrue();
        Files.delete(run.outDir().resolve("report.html"));

        Reports.rerender(run.outDir(), EnumSet.of(Reports.Format.HTML), info -> Reports.Rebuilt.none("no suite here"));
        // from the files, as `sonde report` does
        String html = Files.readString(run.outDir().resolve("report.html"));

        assertThat(html).contains("<h4>Turns</h4>");
        String table = html.substring(html.indexOf("<h4>Turns</h4>"));
        table = table.substring(0, table.indexOf("</table>"));
        assertThat(table).contains("<td>1</td><td>40.0 ms</td><td>90.0 ms</td><td>1,000 → 50</td><td>$0.00375</td>"
                + "<td>tool_use</td><td class=\"tools\">get_weather {&quot;city&quot;:&quot;Oslo&quot;}</td>");
        assertThat(table).contains("<td>2</td><td>55.0 ms</td><td>120 ms</td><td>1,200 → 60</td><td>$0.00180</td>"
                + "<td>end_turn</td>");
        assertThat(table).contains("<td>trial</td><td></td><td></td><td>2,200 → 110</td><td>$0.00555</td>");
        assertThat(html.split("<h4>Turns</h4>", -1)).hasSize(3); // two tool-loop trials; none for the plain one
    }

    @Test
    void results_json_sums_the_turns_by_index() throws Exception {
        RunResult run = run();
        Reports.writeAll(run);
        JsonNode turns = Journal.JSON.readTree(run.outDir().resolve("results.json").toFile()).get("turns");

        assertThat(turns.get("trials").asInt()).isEqualTo(2);
        assertThat(turns.get("requests").asInt()).isEqualTo(4);
        JsonNode first = turns.at("/by_turn/0");
        assertThat(first.get("trials").asInt()).isEqualTo(2);
        assertThat(first.get("ttft_ms_mean").asDouble()).isEqualTo((40.0 + 30.0) / 2);
        assertThat(first.get("e2e_ms_mean").asDouble()).isEqualTo((90.0 + 70.0) / 2);
        assertThat(first.get("prompt_tokens").asLong()).isEqualTo(2000);
        assertThat(first.get("cost_usd").asDouble()).isCloseTo(0.00375 + 0.0036, offset(1e-12));
        JsonNode second = turns.at("/by_turn/1");
        assertThat(second.get("ttft_ms_mean").asDouble()).isEqualTo((55.0 + 50.0) / 2); // first delta when no text
        assertThat(second.get("prompt_tokens").asLong()).isEqualTo(200 + 1000 + 300 + 1000);
        assertThat(second.get("output_tokens").asLong()).isEqualTo(80);
        assertThat(turns.get("by_turn")).hasSize(2);
    }
}
