package dev.sonde.report;

import dev.sonde.testing.Cdp;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.cli.Main;
import dev.sonde.journal.Journal;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs through Message Batches have no timings by design. The shipped regression suite sent that
 * way passes against its committed (timed) baseline: its latency and TTFT checks are not applicable
 * — shown so in every output, report.html opened in Chromium included — and its latency gates skip
 * saying why. A case checked only by a latency bound is not evaluated, counted apart in every output.
 */
class BatchReportTest {
    private static final String BATCH = "sent through Message Batches, which report no timings";

    @TempDir
    Path dir;

    private static List<JsonNode> trials(Path out) throws Exception {
        List<JsonNode> trials = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("trials.jsonl"))) {
            trials.add(Journal.JSON.readTree(line));
        }
        return trials;
    }

    private static List<JsonNode> checks(List<JsonNode> trials) {
        List<JsonNode> checks = new ArrayList<>();
        trials.forEach(t -> t.path("checks").forEach(checks::add));
        return checks;
    }

    @Test
    void the_regression_suite_through_batches_passes_its_baseline_and_shows_latency_checks_not_applicable()
            throws Exception {
        Path out = dir.resolve("batch");
        StringWriter console = new StringWriter();
        PrintWriter pw = new PrintWriter(console, true);
        int code = Main.execute(Map.of(), pw, pw, "run", Path.of("../suites/regression.yaml").toString(), "--batch",
                "--out", out.toString(), "-q");

        assertThat(code).as(console.toString()).isEqualTo(Main.PASSED);
        assertThat(console.toString()).contains("PASS  regression: 28/28 passed, 0 failed, 0 errored  (emulator")
                .contains("untimed: 28 of 28 trials " + BATCH + "; checks that need a timing do not apply");

        List<JsonNode> trials = trials(out);
        assertThat(trials).hasSize(28).allSatisfy(t -> {
            assertThat(t.get("pass").asBoolean()).as(t.get("trial_id").asText()).isTrue();
            assertThat(t.get("untimed").asText()).isEqualTo(BATCH);
            assertThat(t.at("/usage/service_tier").asText()).isEqualTo("batch");
        });
        List<JsonNode> notApplicable = checks(trials).stream().filter(c -> c.has("applicable")).toList();
        assertThat(notApplicable).hasSize(28 + 4).allSatisfy(c -> {
            assertThat(c.get("type").asText()).isIn("latency", "ttft");
            assertThat(c.get("applicable").asBoolean()).isFalse();
            assertThat(c.get("pass").asBoolean()).isFalse();
            assertThat(c.get("reason").asText()).isEqualTo("not applicable: " + BATCH);
        });
        assertThat(checks(trials).stream().filter(c -> !c.has("applicable")))
                .allSatisfy(c -> assertThat(c.get("pass").asBoolean()).as(c.toString()).isTrue());

        JsonNode results = Journal.JSON.readTree(out.resolve("results.json").toFile());
        assertThat(results.get("verdict").asText()).isEqualTo("pass");
        assertThat(results.get("baseline_verdict").asText()).isEqualTo("pass");
        assertThat(results.at("/summary/total/not_evaluated").asLong()).isZero();
        assertThat(results.at("/summary/total/untimed_trials").asLong()).isEqualTo(28);
        assertThat(results.at("/summary/total/untimed_reason").asText()).isEqualTo(BATCH);
        assertThat(results.at("/aggregates/models/sonnet/untimed_trials").asLong()).isEqualTo(14);
        Map<String, JsonNode> gates = new java.util.TreeMap<>();
        results.at("/comparison/verdict/gates").forEach(g -> gates.put(g.get("gate").asText() + " "
                + g.get("subject").asText(), g));
        assertThat(gates.get("new_failures run").get("outcome").asText()).isEqualTo("pass");
        assertThat(gates.get("new_failures run").get("value").asDouble()).isZero();
        for (String model : List.of("sonnet", "haiku")) {
            JsonNode g = gates.get("ttft_p95 " + model);
            assertThat(g.get("outcome").asText()).isEqualTo("skip");
            assertThat(g.get("reason").asText())
                    .isEqualTo("no ttft_ms samples in the run: its 14 trials on " + model + " were " + BATCH);
        }

        assertThat(Files.readString(out.resolve("summary.md")))
                .contains("**28/28** passed").contains("**Untimed:** 28 of 28 trials " + BATCH);
        String junit = Files.readString(out.resolve("junit.xml"));
        assertThat(junit).contains("tests=\"28\" failures=\"0\" errors=\"0\" skipped=\"0\"")
                .contains("not applicable: latency (" + BATCH + ")").contains("not applicable: ttft (" + BATCH + ")");
        List<List<String>> csv = CsvResultsTest.parse(Files.readString(out.resolve("results.csv")));
        int na = CsvResults.COLUMNS.indexOf("not_applicable_checks");
        int id = CsvResults.COLUMNS.indexOf("trial_id");
        assertThat(csv.subList(1, csv.size())).hasSize(28).allSatisfy(r -> assertThat(r.get(na))
                .isEqualTo(r.get(id).startsWith("capital-france/") || r.get(id).startsWith("sentiment-positive/")
                        ? "latency ttft" : "latency"));

        try (Cdp page = Cdp.start(dir.resolve("profile"), 1400, 1000)) {
            page.open(out.resolve("report.html").toUri());
            assertThat(page.eval("document.querySelectorAll('tr.case').length").asInt()).isEqualTo(14);
            assertThat(page.eval("document.querySelectorAll('ul.checks li.na').length").asInt()).isEqualTo(32);
            assertThat(page.eval("[...document.querySelectorAll('ul.checks li.na')].every(li =>"
                    + " li.querySelector('.mark.na').textContent === '–' && li.textContent.includes('not applicable: "
                    + BATCH + "'))").asBoolean()).isTrue();
            assertThat(page.eval("[...new Set([...document.querySelectorAll('ul.checks li.na b')].map(b => b.textContent))]"
                    + ".sort().join(' ')").asText()).isEqualTo("latency ttft");
            assertThat(page.eval("document.querySelectorAll('ul.checks li.no').length").asInt())
                    .as("no check shown as failed").isZero();
            assertThat(page.eval("[...document.querySelectorAll('dl.kv dt')].filter(dt => dt.textContent === 'not timed'"
                    + " && dt.nextElementSibling.textContent === '" + BATCH + "').length").asInt())
                    .as("each cell's timings say why there are none").isEqualTo(28);
            assertThat(page.eval("document.querySelector('.banner.untimed').textContent").asText())
                    .startsWith("No trial was timed: " + BATCH + ". Checks that need a timing");
            assertThat(page.eval("document.querySelector('[data-kpi=\"pass-rate\"] .value').className").asText())
                    .contains("pass");
            for (String model : List.of("sonnet", "haiku")) {
                String gate = "tr.gate[data-gate=\"ttft_p95 [" + model + "]\"]";
                assertThat(page.eval("document.querySelector('" + gate.replace("'", "\\'") + "').className").asText())
                        .contains("skip");
                assertThat(page.eval("document.querySelector('" + gate.replace("'", "\\'") + "').textContent").asText())
                        .contains("its 14 trials on " + model + " were " + BATCH);
            }
            assertThat(page.eval("document.querySelector('tr.gate[data-gate=\"new_failures\"]').className").asText())
                    .contains("pass");
            assertThat(page.dialogs).isEmpty();
            assertThat(page.log).noneMatch(l -> l.contains("Refused") || l.startsWith("exception"));
            Path keep = Files.createDirectories(HtmlReportBrowserTest.buildDir().resolve("sonde-report"));
            page.click("tr.case[data-case=\"capital-france\"] td.cell[data-model=\"sonnet\"] summary");
            page.screenshot(keep.resolve("report-regression-batch.png"), 1400);
        }
    }

    @Test
    void a_case_checked_only_by_latency_is_not_evaluated_and_counted_apart_in_every_output() throws Exception {
        Files.writeString(dir.resolve("emu.yaml"), """
                batch_processing_ms: 100
                rules: [rules.yaml]
                """);
        Files.writeString(dir.resolve("rules.yaml"), "rules:\n  - {match: {contains: France}, reply: {text: \"Paris.\"}}\n");
        Path suite = dir.resolve("suite.yaml");
        Files.writeString(suite, """
                name: latency-only
                models:
                  - {id: haiku, model: claude-haiku-4-5, params: {max_tokens: 40}}
                cases:
                  - {id: france, prompt: "Capital of France?", assert: [{type: contains, value: Paris}, {type: latency, max_ms: 30000}]}
                  - {id: quick, prompt: "Say hi.", assert: [{type: latency, max_ms: 5000}, {type: ttft, max_ms: 2000}]}
                emulator: {seed: 7, config: emu.yaml}
                """);
        Path out = dir.resolve("out");
        StringWriter console = new StringWriter();
        PrintWriter pw = new PrintWriter(console, true);
        int code = Main.execute(Map.of(), pw, pw, "run", suite.toString(), "--batch", "--out", out.toString(), "-q");

        assertThat(code).as("what was evaluated passed; the rest is no failure").as(console.toString())
                .isEqualTo(Main.PASSED);
        assertThat(console.toString())
                .contains("PASS  latency-only: 1/1 passed, 0 failed, 0 errored, 1 not evaluated (no check applied)");
        String why = "not evaluated, no check applies (latency, ttft): " + BATCH;

        List<JsonNode> trials = trials(out);
        JsonNode quick = trials.stream().filter(t -> t.get("case").asText().equals("quick")).findFirst().orElseThrow();
        assertThat(quick.get("pass").asBoolean()).isFalse();
        assertThat(quick.get("error").isNull()).isTrue();

        JsonNode results = Journal.JSON.readTree(out.resolve("results.json").toFile());
        assertThat(results.get("verdict").asText()).isEqualTo("pass");
        assertThat(results.at("/summary/total/trials").asLong()).isEqualTo(2);
        assertThat(results.at("/summary/total/passed").asLong()).isEqualTo(1);
        assertThat(results.at("/summary/total/failed").asLong()).isZero();
        assertThat(results.at("/summary/total/not_evaluated").asLong()).isEqualTo(1);
        assertThat(results.at("/aggregates/cases/quick/haiku/not_evaluated").asLong()).isEqualTo(1);
        assertThat(results.at("/aggregates/cases/quick/haiku/failed").asLong()).isZero();

        String junit = Files.readString(out.resolve("junit.xml"));
        assertThat(junit).contains("tests=\"2\" failures=\"0\" errors=\"0\" skipped=\"1\"")
                .contains("<skipped message=\"" + why + "\"").doesNotContain("<failure");
        assertThat(Files.readString(out.resolve("summary.md"))).contains("**1/1** passed · 1 not evaluated")
                .contains("### Not evaluated (1)").contains("| quick \\[haiku\\] | " + why + " |")
                .doesNotContain("Failing trials");
        List<List<String>> csv = CsvResultsTest.parse(Files.readString(out.resolve("results.csv")));
        int status = CsvResults.COLUMNS.indexOf("status");
        assertThat(csv.subList(1, csv.size())).extracting(r -> r.get(status))
                .containsExactlyInAnyOrder("passed", "not_evaluated");

        String html = Files.readString(out.resolve("report.html"));
        assertThat(html).contains("<tr class=\"case not_evaluated\" data-case=\"quick\"")
                .contains("<span class=\"status not_evaluated\">– not evaluated</span>")
                .contains("<div class=\"why\">" + why + "</div>")
                .contains("1 of 1 · 0 failed · 0 errored · 1 not evaluated")
                .contains("every trial evaluated passed, 1 not evaluated (no check applied)")
                .contains("<title>PASS · latency-only");
    }
}
