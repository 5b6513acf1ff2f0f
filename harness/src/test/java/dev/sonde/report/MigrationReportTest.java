package dev.sonde.report;

import dev.sonde.testing.Cdp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.cli.Main;
import dev.sonde.cli.ReportCommand;
import dev.sonde.testing.ParagraphFigures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The shipped migration suite end to end, offline as the README runs it: {@code sonde run
 * suites/migration.yaml} exits 0, and every figure of its {@code model_comparison} and of each
 * recommendation paragraph is recomputed here by hand from {@code trials.jsonl} — independent code:
 * case verdicts over repeats, the agreement table, the pass-rate difference, the exact McNemar p
 * (binomial sums), Newcombe's paired interval, cost totals, cost per request, the monthly
 * projection, TTFT p95, the smallest detectable drop and the upgrade's price — then every number
 * of each paragraph is looked up in {@code results.json}, and the report is re-rendered from the
 * run folder and opened in Chromium.
 */
class MigrationReportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BASELINE = "sonnet";
    private static final double REQUESTS_PER_MONTH = 250_000; // suites/migration.yaml compare.volume

    @TempDir
    static Path dir;

    static Path out;
    static String console;
    static int exit;
    static JsonNode comparison;
    /** model → case → that model's trials of the case. */
    static final Map<String, Map<String, List<JsonNode>>> TRIALS = new LinkedHashMap<>();

    @BeforeAll
    static void run() throws Exception {
        out = dir.resolve("run");
        StringWriter text = new StringWriter();
        exit = Main.execute(Map.of(), new PrintWriter(text, true), new PrintWriter(text, true), "run",
                Path.of("../suites/migration.yaml").toString(), "--out", out.toString(), "-q");
        console = text.toString();
        comparison = JSON.readTree(out.resolve("results.json").toFile()).get("model_comparison");
        for (String line : Files.readAllLines(out.resolve("trials.jsonl"))) {
            JsonNode t = JSON.readTree(line);
            TRIALS.computeIfAbsent(t.get("model").asText(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(t.get("case").asText(), k -> new ArrayList<>()).add(t);
        }
    }

    @Test
    void runs_offline_exits_0_and_prints_each_recommendation() {
        assertThat(exit).as(console).isZero();
        assertThat(TRIALS.keySet()).containsExactly("sonnet", "haiku", "opus");
        assertThat(TRIALS.get("haiku")).hasSize(14);
        assertThat(comparison.get("candidates")).hasSize(2);
        for (JsonNode c : comparison.get("candidates")) {
            assertThat(console).contains("recommendation: " + c.at("/recommendation/text").asText());
        }
    }

    @Test
    void every_figure_matches_a_hand_computation_from_the_journal() {
        for (JsonNode c : comparison.get("candidates")) {
            String cand = c.get("model").asText();
            List<String> cases = new ArrayList<>(TRIALS.get(BASELINE).keySet());
            int both = 0;
            int bothFail = 0;
            List<String> newlyFailing = new ArrayList<>();
            List<String> newlyPassing = new ArrayList<>();
            for (String id : cases) {
                boolean b = TRIALS.get(BASELINE).get(id).stream().allMatch(t -> t.get("pass").asBoolean());
                boolean k = TRIALS.get(cand).get(id).stream().allMatch(t -> t.get("pass").asBoolean());
                if (b && k) {
                    both++;
                } else if (b) {
                    newlyFailing.add(id);
                } else if (k) {
                    newlyPassing.add(id);
                } else {
                    bothFail++;
                }
            }
            int n = cases.size();
            JsonNode g = c.get("agreement");
            assertThat(g.get("cases").asInt()).isEqualTo(n);
            assertThat(g.get("both_pass").asInt()).isEqualTo(both);
            assertThat(g.get("both_fail").asInt()).isEqualTo(bothFail);
            assertThat(JSON.convertValue(g.get("newly_failing_cases"), List.class)).isEqualTo(newlyFailing);
            assertThat(JSON.convertValue(g.get("newly_passing_cases"), List.class)).isEqualTo(newlyPassing);

            int b = newlyFailing.size();
            int k = newlyPassing.size();
            double diffPp = 100.0 * (k - b) / n;
            double[] ci = newcombe(both, b, k, bothFail);
            double mcnemar = mcnemar(b, k);
            JsonNode p = c.get("pass_rate");
            assertThat(p.get("difference_pp").asDouble()).isCloseTo(diffPp, within(1e-9));
            assertThat(p.get("ci_low_pp").asDouble()).isCloseTo(100 * ci[0], within(1e-9));
            assertThat(p.get("ci_high_pp").asDouble()).isCloseTo(100 * ci[1], within(1e-9));
            assertThat(p.get("mcnemar_p").asDouble()).isCloseTo(mcnemar, within(1e-12));

            double baseTotal = total(BASELINE);
            double candTotal = total(cand);
            double basePerRequest = cases.stream().mapToDouble(id -> meanCost(BASELINE, id)).average().orElseThrow();
            double candPerRequest = cases.stream().mapToDouble(id -> meanCost(cand, id)).average().orElseThrow();
            JsonNode cost = c.get("cost");
            assertThat(cost.get("baseline_total_usd").asDouble()).isCloseTo(baseTotal, within(1e-12));
            assertThat(cost.get("candidate_total_usd").asDouble()).isCloseTo(candTotal, within(1e-12));
            assertThat(cost.get("baseline_per_request_usd").asDouble()).isCloseTo(basePerRequest, within(1e-12));
            assertThat(cost.get("ratio").asDouble()).isCloseTo(candPerRequest / basePerRequest, within(1e-9));
            assertThat(cost.get("baseline_monthly_usd").asDouble())
                    .isCloseTo(REQUESTS_PER_MONTH * basePerRequest, within(1e-6));
            assertThat(cost.get("candidate_monthly_usd").asDouble())
                    .isCloseTo(REQUESTS_PER_MONTH * candPerRequest, within(1e-6));
            assertThat(cost.get("baseline_monthly_ci_low").asDouble()).isLessThan(REQUESTS_PER_MONTH * basePerRequest);
            assertThat(cost.get("baseline_monthly_ci_high").asDouble())
                    .isGreaterThan(REQUESTS_PER_MONTH * basePerRequest);

            double ttftChange = p95(cand) / p95(BASELINE) - 1;
            assertThat(c.at("/latency/0/metric").asText()).isEqualTo("ttft_ms");
            assertThat(c.at("/latency/0/p95/change").asDouble()).isCloseTo(ttftChange, within(1e-9));

            String name = c.get("name").asText();
            String decision = c.at("/recommendation/decision").asText();
            boolean except = decision.equals("migrate_except");
            double blendPerRequest = cases.stream().mapToDouble(id -> meanCost(newlyFailing.contains(id) ? BASELINE
                    : cand, id)).average().orElseThrow();
            double ratio = candPerRequest / basePerRequest;
            String expected = name + " passes " + both + " of the " + (both + b) + " cases claude-sonnet-4-6 passes"
                    + (k > 0 ? " and " + k + (k == 1 ? " case" : " cases") + " claude-sonnet-4-6 fails" : "") + " ("
                    + pp(diffPp) + " pp, 95 % CI [" + pp(100 * ci[0]) + ", " + pp(100 * ci[1]) + "]), "
                    + (ratio < 1 ? "costs " + Math.round(100 * ratio) + " % as much"
                            : String.format(Locale.ROOT, "%.1f× the cost", ratio))
                    + " (" + usd(REQUESTS_PER_MONTH * basePerRequest) + " → "
                    + usd(REQUESTS_PER_MONTH * (except ? blendPerRequest : candPerRequest)) + " a month at your volume"
                    + (except ? ", with the excepted case" + (b > 1 ? "s" : "") + " kept on claude-sonnet-4-6" : "")
                    + "), TTFT p95 " + signedPct(ttftChange) + " %: ";
            // the smallest drop these cases can show: the fewest discordant cases, all one way, the exact
            // McNemar test finds significant at 5 %, counted here with the hand-written binomial sum
            int fewest = 1;
            while (mcnemar(fewest, 0) >= 0.05) {
                fewest++;
            }
            assertThat(p.get("min_detectable_drop_cases").asInt()).isEqualTo(fewest).isEqualTo(6);
            assertThat(p.get("min_detectable_drop_pp").asDouble()).isCloseTo(100.0 * fewest / n, within(1e-9));
            assertThat(p.get("ci_width_pp").asDouble()).isCloseTo(100 * (ci[1] - ci[0]), within(1e-9));
            String resolution = n + " cases cannot show a drop as small as 5.0 pp: the smallest they can show is "
                    + pp(100.0 * fewest / n) + " pp (" + fewest + " cases newly failing, none newly passing, by the"
                    + " exact McNemar test) and the 95 % CI of the difference is " + pp(100 * (ci[1] - ci[0]))
                    + " pp wide; the decision rests on case agreement: " + (both + bothFail) + " of " + n
                    + " cases agree.";
            String upgrade = decision.equals("upgrade") ? " — +" + k + (k == 1 ? " case" : " cases") + ", +"
                    + usd(REQUESTS_PER_MONTH * (candPerRequest - basePerRequest)) + " a month" : "";
            assertThat(c.at("/recommendation/text").asText()).startsWith(expected)
                    .endsWith(upgrade + " (" + c.at("/recommendation/reasons/0").asText() + "). " + resolution);
            assertThat(c.at("/recommendation/resolves_tolerance").asBoolean()).isFalse();
            assertThat(c.at("/recommendation/basis").asText()).isEqualTo("case_agreement");
            if (except) {
                assertThat(cost.get("except_monthly_usd").asDouble())
                        .isCloseTo(REQUESTS_PER_MONTH * blendPerRequest, within(1e-6));
            }
            assertThat(c.get("param_differences")).as("the shipped suite sends every model the same params").isEmpty();
            assertThat(c.get("candidate_errored").asInt()).isZero();
        }
    }

    @Test
    void every_number_of_each_paragraph_is_a_field_of_results_json() throws Exception {
        JsonNode results = JSON.readTree(out.resolve("results.json").toFile());
        JsonNode models = results.get("model_comparison");
        for (JsonNode c : models.get("candidates")) {
            String text = c.at("/recommendation/text").asText();
            assertThat(ParagraphFigures.figures(text, c)).as(text).hasSizeGreaterThan(15);
            assertThat(ParagraphFigures.missing(text, models, c)).as(text).isEmpty();
        }
    }

    @Test
    void haiku_migrates_except_the_case_it_breaks_and_opus_is_an_upgrade_at_its_price() {
        JsonNode haiku = comparison.at("/candidates/0");
        JsonNode opus = comparison.at("/candidates/1");
        assertThat(haiku.at("/agreement/newly_failing_cases/0").asText()).isEqualTo("legal-summary");
        assertThat(haiku.at("/recommendation/decision").asText()).isEqualTo("migrate_except");
        assertThat(haiku.at("/recommendation/text").asText()).contains(": migrate, except case `legal-summary` (1 case"
                + " newly fails, at most 2 may stay on claude-sonnet-4-6). 14 cases cannot show a drop as small as 5.0"
                + " pp: ");
        assertThat(haiku.at("/cost/ratio").asDouble()).isLessThan(1);
        assertThat(haiku.at("/tokens/output_difference").asDouble()).as("haiku answers shorter").isNegative();
        assertThat(haiku.at("/cost/ratio_ci_high").asDouble()).as("cheaper beyond noise").isLessThan(1);
        assertThat(opus.at("/agreement/newly_passing_cases/0").asText()).isEqualTo("weekday");
        assertThat(opus.at("/agreement/newly_failing").asInt()).isZero();
        assertThat(opus.at("/cost/ratio_ci_low").asDouble()).as("dearer beyond noise").isGreaterThan(1);
        assertThat(opus.at("/recommendation/decision").asText()).isEqualTo("upgrade");
        assertThat(opus.at("/cost/monthly_change_usd").asDouble()).isCloseTo(
                opus.at("/cost/candidate_monthly_usd").asDouble() - opus.at("/cost/baseline_monthly_usd").asDouble(),
                within(1e-9));
        assertThat(opus.at("/recommendation/text").asText())
                .contains(": upgrade — +1 case, +$").contains(" a month (it passes 1 case claude-sonnet-4-6 fails"
                        + " and none of the cases claude-sonnet-4-6 passes fails on it, but it is neither cheaper nor"
                        + " faster beyond noise: the cost ratio's 95 % CI [");
    }

    @Test
    void same_output_counts_the_byte_identical_answers_of_each_paired_trial_in_json_markdown_and_html()
            throws Exception {
        String md = Files.readString(out.resolve("summary.md"), StandardCharsets.UTF_8);
        String html = Files.readString(out.resolve("report.html"), StandardCharsets.UTF_8);
        for (JsonNode c : comparison.get("candidates")) {
            String cand = c.get("model").asText();
            int paired = 0;
            int identical = 0;
            for (Map.Entry<String, List<JsonNode>> e : TRIALS.get(BASELINE).entrySet()) {
                for (JsonNode b : e.getValue()) {
                    JsonNode k = TRIALS.get(cand).get(e.getKey()).stream()
                            .filter(t -> t.get("repeat").asInt() == b.get("repeat").asInt()).findFirst().orElseThrow();
                    if (answered(b) && answered(k)) {
                        paired++;
                        identical += answer(b).equals(answer(k)) ? 1 : 0;
                    }
                }
            }
            assertThat(paired).isEqualTo(42);
            assertThat(identical).as("different models agree verbatim on few trials").isBetween(0, paired - 1);
            assertThat(c.get("same_output").get("paired").asInt()).isEqualTo(paired);
            assertThat(c.get("same_output").get("identical").asInt()).isEqualTo(identical);
            String shown = identical + " of " + paired + " paired trials (";
            assertThat(md).contains("| Same output |  |  | " + shown);
            assertThat(html).contains("<td>Same output</td><td class=\"n\"></td><td class=\"n\"></td><td>" + shown);
        }
    }

    @Test
    void a_results_json_written_before_same_output_renders_without_the_row() throws Exception {
        Path old = dir.resolve("before-same-output");
        try (java.util.stream.Stream<Path> files = Files.list(out)) {
            Files.createDirectories(old);
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, old.resolve(f.getFileName()));
            }
        }
        com.fasterxml.jackson.databind.node.ObjectNode results =
                (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(old.resolve("results.json").toFile());
        results.at("/model_comparison/candidates").forEach(c ->
                ((com.fasterxml.jackson.databind.node.ObjectNode) c).remove("same_output"));
        JSON.writeValue(old.resolve("results.json").toFile(), results);
        Files.delete(old.resolve("summary.md"));
        StringWriter err = new StringWriter();
        CommandLine report = new CommandLine(new ReportCommand());
        report.setOut(new PrintWriter(new StringWriter(), true)).setErr(new PrintWriter(err, true));
        assertThat(report.execute(old.toString(), "--format", "md")).as(err.toString()).isZero();
        String md = Files.readString(old.resolve("summary.md"), StandardCharsets.UTF_8);
        assertThat(md).contains("### 🔀 Model migration").contains("| Case agreement |").doesNotContain("Same output");
    }

    private static boolean answered(JsonNode t) {
        return t.path("error").isNull() && t.path("skipped").isNull();
    }

    /** What "byte-identical" compares: the final text and each tool call's name and input, not its id. */
    private static String answer(JsonNode t) {
        StringBuilder sb = new StringBuilder(t.path("output_text").asText("\u0000null"));
        for (JsonNode call : t.path("tool_calls")) {
            sb.append('\u0001').append(call.path("name").asText()).append('\u0001').append(call.path("input"));
        }
        return sb.toString();
    }

    @Test
    void the_console_and_every_file_give_the_same_verdict() throws Exception {
        JsonNode results = JSON.readTree(out.resolve("results.json").toFile());
        assertThat(results.at("/summary/total/failed").asInt()).as("failed checks are the measurement").isPositive();
        assertThat(results.get("verdict").asText()).isEqualTo("compared");
        assertThat(console).startsWith("COMPARED  migration: ");
        assertThat(Files.readString(out.resolve("summary.md"), StandardCharsets.UTF_8))
                .startsWith("## ✅ Sonde · migration — **COMPARED**");
        assertThat(Files.readString(out.resolve("junit.xml"), StandardCharsets.UTF_8))
                .contains("<property name=\"sonde.verdict\" value=\"compared\"");
        int failed = results.at("/summary/total/failed").asInt();
        int trials = results.at("/summary/total/trials").asInt();
        assertThat(Files.readString(out.resolve("report.html"), StandardCharsets.UTF_8)).contains("✓ Compared")
                .contains("<title>COMPARED · migration").doesNotContain("every trial passed")
                .contains(failed + " of " + trials + " trials did not pass (the comparison");
    }

    @Test
    void no_output_calls_the_missing_baseline_not_compared_beside_the_runs_compared() throws Exception {
        // the suite has no baseline: section; "not compared" beside COMPARED read as a contradiction
        String md = Files.readString(out.resolve("summary.md"), StandardCharsets.UTF_8);
        String html = Files.readString(out.resolve("report.html"), StandardCharsets.UTF_8);
        for (String text : List.of(console, md, html)) {
            assertThat(text.toLowerCase(Locale.ROOT)).doesNotContain("not compared").doesNotContain("nothing compared");
        }
        assertThat(console).contains("note: the suite has no baseline: section, so no baseline gates apply");
        assertThat(md).contains("### ➖ Baseline: no baseline\n\nthe suite has no baseline: section, so no baseline"
                + " gates apply");
        assertThat(html).contains(">no baseline</span>"); // as the page shows it: below, in Chromium
    }

    @Test
    void the_summary_table_uses_the_paragraphs_minus_sign() throws Exception {
        String md = Files.readString(out.resolve("summary.md"), StandardCharsets.UTF_8);
        String section = md.substring(md.indexOf("### 🔀 Model migration"));
        assertThat(section).contains("−").doesNotContainPattern("[ (\\[]-[0-9$]");
        // opus costs more a month: the difference carries its sign
        assertThat(section).containsPattern("\\| \\+\\$[0-9]");
    }

    @Test
    void the_report_rerendered_from_the_run_folder_shows_the_recommendations() throws Exception {
        String md = Files.readString(out.resolve("summary.md"), StandardCharsets.UTF_8);
        assertThat(md).contains("### 🔀 Model migration from claude-sonnet-4-6 (sonnet)")
                .contains("**claude-haiku-4-5: migrate, except** — ").contains("| Cases passed (of 14 run on both) |");
        assertThat(md.replace("\\", "")).contains(comparison.at("/candidates/0/recommendation/text").asText());

        Files.delete(out.resolve("report.html"));
        Files.delete(out.resolve("summary.md"));
        StringWriter err = new StringWriter();
        CommandLine report = new CommandLine(new ReportCommand());
        report.setOut(new PrintWriter(new StringWriter(), true)).setErr(new PrintWriter(err, true));
        assertThat(report.execute(out.toString(), "--format", "html,md")).as(err.toString()).isZero();
        assertThat(Files.readString(out.resolve("summary.md"), StandardCharsets.UTF_8)).isEqualTo(md);

        try (Cdp page = Cdp.start(dir.resolve("profile"), 1400, 1000)) {
            page.open(out.resolve("report.html").toUri());
            JsonNode shown = page.eval("[...document.querySelectorAll('section.migration [data-candidate]')]"
                    + ".map(c => ({d: c.dataset.decision, p: c.querySelector('p.recommendation span').textContent,"
                    + " code: [...c.querySelectorAll('p.recommendation code')].map(e => e.textContent),"
                    + " rows: c.querySelectorAll('tbody tr').length}))");
            assertThat(shown).hasSize(2);
            for (int i = 0; i < 2; i++) {
                JsonNode c = comparison.at("/candidates/" + i);
                assertThat(shown.get(i).get("p").asText()).as("the paragraph, its `case` ids as code")
                        .isEqualTo(c.at("/recommendation/text").asText().replace("`", ""));
                assertThat(shown.get(i).get("rows").asInt()).isGreaterThanOrEqualTo(11);
            }
            assertThat(shown.findValuesAsText("d")).containsExactly("migrate, except", "upgrade");
            JsonNode same = page.eval("[...document.querySelectorAll('section.migration [data-candidate] tbody tr')]"
                    + ".filter(r => r.cells[0].textContent === 'Same output').map(r => r.cells[3].innerText)");
            assertThat(same).hasSize(2);
            for (int i = 0; i < 2; i++) {
                JsonNode s = comparison.at("/candidates/" + i + "/same_output");
                assertThat(same.get(i).asText()).startsWith(s.get("identical").asInt() + " of "
                        + s.get("paired").asInt() + " paired trials (").endsWith(" %)");
            }
            assertThat(shown.get(0).get("code").toString()).isEqualTo("[\"legal-summary\"]");
            JsonNode words = page.eval("[document.querySelector('.title-row .badge.verdict').innerText,"
                    + " document.querySelector('section[aria-label=\"Baseline comparison\"] h3 .badge').innerText]");
            assertThat(words.get(0).asText()).as("upper-case by the style sheet").isEqualTo("✓ COMPARED");
            assertThat(words.get(1).asText()).as("not NOT COMPARED beside it").isEqualTo("NO BASELINE");
            assertThat(page.log).noneMatch(l -> l.contains("Refused") || l.startsWith("exception"));
            Path keep = Files.createDirectories(HtmlReportBrowserTest.buildDir().resolve("sonde-report"));
            page.screenshot(keep.resolve("report-migration.png"), 1400);
        }
    }

    private static double total(String model) {
        return TRIALS.get(model).values().stream().flatMap(List::stream).mapToDouble(t -> t.get("cost_usd").asDouble())
                .sum();
    }

    private static double meanCost(String model, String caseId) {
        return TRIALS.get(model).get(caseId).stream().mapToDouble(t -> t.get("cost_usd").asDouble()).average()
                .orElseThrow();
    }

    /** Nearest-rank p95 of the TTFT of every successful trial of the model. */
    private static double p95(String model) {
        double[] v = TRIALS.get(model).values().stream().flatMap(List::stream)
                .filter(t -> t.get("error").isNull() && t.at("/timings/ttft_ms").isNumber())
                .mapToDouble(t -> t.at("/timings/ttft_ms").asDouble()).sorted().toArray();
        return v[(int) Math.ceil(0.95 * v.length) - 1];
    }

    /** Exact McNemar: twice the smaller binomial tail of b in b + c at ½, at most 1. */
    static double mcnemar(int b, int c) {
        int m = b + c;
        if (m == 0) {
            return 1;
        }
        double tail = 0;
        for (int i = 0; i <= Math.min(b, c); i++) {
            tail += choose(m, i) / Math.pow(2, m);
        }
        return Math.min(1, 2 * tail);
    }

    private static double choose(int n, int k) {
        double r = 1;
        for (int i = 1; i <= k; i++) {
            r = r * (n - k + i) / i;
        }
        return r;
    }

    /** Newcombe (1998) method 10 for candidate − baseline, written out from the paper's formulas. */
    static double[] newcombe(int a, int b, int c, int d) {
        double n = a + b + c + d;
        double z = 1.959963984540054;
        double pCand = (a + c) / n;
        double pBase = (a + b) / n;
        double[] wc = wilsonBounds(a + c, n, z);
        double[] wb = wilsonBounds(a + b, n, z);
        double num = (double) a * d - (double) b * c;
        double adjusted = num > n / 2 ? num - n / 2 : Math.min(num, 0);
        double den = Math.sqrt((double) (a + b) * (c + d) * (a + c) * (b + d));
        double phi = den == 0 ? 0 : adjusted / den;
        double dl = pCand - wc[0];
        double du = wb[1] - pBase;
        double el = wc[1] - pCand;
        double eu = pBase - wb[0];
        return new double[] {pCand - pBase - Math.sqrt(dl * dl - 2 * phi * dl * du + du * du),
            pCand - pBase + Math.sqrt(el * el - 2 * phi * el * eu + eu * eu)};
    }

    private static double[] wilsonBounds(double x, double n, double z) {
        double root = z * Math.sqrt(z * z + 4 * x * (1 - x / n));
        return new double[] {(2 * x + z * z - root) / (2 * (n + z * z)), (2 * x + z * z + root) / (2 * (n + z * z))};
    }

    private static String pp(double v) {
        String s = String.format(Locale.ROOT, "%.1f", Math.abs(v));
        return v < 0 && !s.equals("0.0") ? "−" + s : s;
    }

    private static String signedPct(double change) {
        long v = Math.round(change * 100);
        return v < 0 ? "−" + (-v) : v > 0 ? "+" + v : "0";
    }

    private static String usd(double v) {
        if (v >= 100) {
            return String.format(Locale.ROOT, "$%,.0f", v);
        }
        if (v >= 1) {
            return String.format(Locale.ROOT, "$%.2f", v);
        }
        return "$" + new BigDecimal(v).round(new MathContext(2)).stripTrailingZeros().toPlainString();
    }

    @Test
    void the_hand_formulas_agree_with_textbook_values() {
        // Wilson 95 % for 0/10 has upper bound 0.2775 and for 81/263 [0.2553, 0.3662] (Newcombe 1998).
        assertThat(wilsonBounds(0, 10, 1.959963984540054)[1]).isCloseTo(0.2775, within(5e-5));
        assertThat(wilsonBounds(81, 263, 1.959963984540054)).containsExactly(new double[] {0.2553, 0.3662},
                within(5e-5));
        assertThat(mcnemar(8, 2)).isCloseTo(2 * (1 + 10 + 45) / 1024.0, within(1e-15));
        assertThat(Arrays.stream(newcombe(10, 3, 3, 4)).sum()).as("symmetric when b = c").isCloseTo(0, within(1e-12));
        // Newcombe 1998 method 10, worked example (36, 12, 2, 0): 0.0569 to 0.3404 for (b − c)/n.
        assertThat(newcombe(36, 2, 12, 0)).containsExactly(new double[] {0.0569, 0.3404}, within(5e-5));
    }
}
