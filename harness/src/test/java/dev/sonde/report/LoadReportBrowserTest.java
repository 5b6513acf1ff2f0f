package dev.sonde.report;

import dev.sonde.testing.Cdp;
import dev.sonde.testing.Layout;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.cli.Main;
import dev.sonde.journal.Journal;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real short benchmark against the emulator (a closed sweep of 1, 4 and 12 workers on a server
 * that generates at most 4 answers at once, so it saturates past 4), its {@code report.html} opened
 * in headless Chromium ({@link Cdp}) and clicked through as a person would: from the step table to
 * each step's distribution, the per-step percentile values opened, the charts over load and over
 * time drawn with real geometry and their SLO lines. The full-page screenshot at 1280 px is kept as
 * {@code <build dir>/sonde-report/benchmark-report.png}; {@code docs/images/benchmark-report.png}
 * is a copy of it (README, "Latency benchmarks"). At 1280, 1440 and 1920 px no text is clipped or
 * outside its card ({@link Layout}).
 */
class LoadReportBrowserTest {
    @TempDir
    static Path dir;

    private static Path out;
    private static String console;

    @BeforeAll
    static void benchmark() throws Exception {
        Files.writeString(dir.resolve("server.yaml"), """
                capacity:
                  - {model: "claude-haiku-*", max_concurrent: 4}
                latency:
                  - {model: "claude-*", ttft_base_ms: 150, prefill_us_per_token: 0, output_tokens_per_second: 200, jitter_sigma: 0.3}
                """);
        Path suite = dir.resolve("bench.yaml");
        Files.writeString(suite, """
                name: latency-tour
                models: [{id: haiku, model: claude-haiku-4-5, params: {max_tokens: 30, temperature: 0}}]
                cases:
                  - {id: short, prompt: "In two sentences, why do harbours need breakwaters?"}
                  - {id: list, prompt: "List five uses of a lighthouse, one per line."}
                load:
                  mode: closed
                  concurrency: [1, 4, 12]
                  duration_s: 4
                  warmup_s: 1
                  max_requests: 400
                  slo: {ttft_ms: 400, itl_ms: 8, e2e_ms: 800}
                emulator: {seed: 7, config: server.yaml}
                """);
        out = dir.resolve("out");
        StringWriter console = new StringWriter();
        int exit = Main.execute(Map.of(), new PrintWriter(console, true), new PrintWriter(console, true), "run",
                suite.toString(), "--out", out.toString());
        assertThat(exit).as(console.toString()).isZero();
        LoadReportBrowserTest.console = console.toString();
        Path kept = Files.createDirectories(HtmlReportBrowserTest.buildDir().resolve("sonde-report"));
        Files.copy(out.resolve("report.html"), kept.resolve("benchmark-report.html"), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(kept.resolve("benchmark-console.txt"), console.toString());
    }

    @Test
    void results_json_carries_the_timeline_of_every_journaled_request() throws Exception {
        JsonNode results = Journal.JSON.readTree(out.resolve("results.json").toFile());
        JsonNode timeline = results.path("timeline");
        assertThat(timeline.path("step_starts_s")).hasSize(3);
        double previous = 0;
        for (JsonNode start : timeline.path("step_starts_s")) {
            assertThat(start.asDouble()).isGreaterThan(previous);
            previous = start.asDouble();
        }
        long finished = 0;
        for (JsonNode second : timeline.path("seconds")) {
            finished += second.path("finished").asLong();
        }
        long journaled;
        try (var lines = Files.lines(out.resolve("trials.jsonl"))) {
            journaled = lines.filter(l -> !l.isBlank()).count();
        }
        assertThat(finished).as("each journaled request finishes in one second of the timeline").isEqualTo(journaled);
        assertThat(timeline.path("skipped").asLong()).isZero();
    }

    @Test
    void the_step_table_links_to_each_steps_distribution_whose_charts_draw_with_their_slo_lines() throws Exception {
        try (Cdp page = Cdp.start(dir.resolve("profile-steps"), 1280, 900)) {
            page.open(out.resolve("report.html").toUri());
            for (int step = 0; step < 3; step++) {
                page.click("table.steps tr[data-step=\"" + step + "\"] a.to-step");
                Thread.sleep(100);
                assertThat(page.eval("location.hash").asText()).isEqualTo("#step-" + step);
                assertThat(page.eval("Math.round(document.getElementById('step-" + step
                        + "').getBoundingClientRect().top)").asInt()).as("step " + step + " scrolled into view")
                        .isBetween(-2, page.eval("innerHeight").asInt() / 2);
                String latency = "#step-" + step + " figure[data-chart=\"step-" + step + "-latency\"]";
                JsonNode svg = page.eval(box(latency + " svg"));
                assertThat(svg.get("w").asDouble()).isGreaterThan(300);
                assertThat(svg.get("h").asDouble()).isGreaterThan(100);
                JsonNode curves = page.eval("[...document.querySelectorAll('" + latency.replace("'", "\\'")
                        + " path.line')].map(p => ({s: p.dataset.series, len: p.getTotalLength()}))");
                assertThat(curves.findValuesAsText("s")).containsExactly("TTFT", "E2E (service time)");
                for (JsonNode c : curves) {
                    assertThat(c.get("len").asDouble()).as("step " + step + " " + c.get("s")).isGreaterThan(100);
                }
                assertThat(sloLines(page, latency)).as("TTFT and E2E bounds").isEqualTo(2);
                assertThat(sloLines(page, "#step-" + step + " figure[data-chart=\"step-" + step + "-tpot\"]"))
                        .as("the ITL bound on TPOT").isEqualTo(1);
            }
            JsonNode results = Journal.JSON.readTree(out.resolve("results.json").toFile());
            for (String role : new String[] {"knee", "saturation"}) {
                JsonNode step = results.path(role + "_step");
                JsonNode badges = page.eval("[...document.querySelectorAll('section.step .badge')]"
                        + ".filter(b => b.textContent === '" + role + "').map(b => b.closest('section').id)");
                assertThat(badges.toString()).as(role + " marked where results.json puts it")
                        .isEqualTo(step.isNull() ? "[]" : "[\"step-" + step.asInt() + "\"]");
            }

            String details = "#step-1 details.curve";
            assertThat(page.eval("document.querySelector('" + details + "').open").asBoolean()).isFalse();
            page.click(details + " summary");
            Thread.sleep(100);
            assertThat(page.eval("document.querySelector('" + details + "').open").asBoolean()).isTrue();
            assertThat(page.eval("[...document.querySelectorAll('" + details + " tbody tr')].filter(r => r.offsetHeight > 0)"
                    + ".length").asInt()).as("every percentile of the curve shown").isEqualTo(31);

            page.click("#step-1 a[href=\"#steps\"]");
            Thread.sleep(100);
            assertThat(page.eval("location.hash").asText()).isEqualTo("#steps");
            assertThat(page.log).noneMatch(l -> l.contains("Refused") || l.startsWith("exception"));
        }
    }

    @Test
    void the_run_over_time_and_against_load_draws_with_step_marks_slo_lines_and_the_provenance_badge() throws Exception {
        try (Cdp page = Cdp.start(dir.resolve("profile-time"), 1280, 900)) {
            page.open(out.resolve("report.html").toUri());
            page.click("nav.toc a[href=\"#over-time\"]");
            String requests = "figure[data-chart=\"requests-over-time\"]";
            JsonNode lines = page.eval("[...document.querySelectorAll('" + requests + " path.line')]"
                    + ".map(p => ({s: p.dataset.series, len: p.getTotalLength()}))");
            assertThat(lines.findValuesAsText("s")).containsExactly("started", "finished", "throughput (successes)",
                    "goodput", "errors");
            for (JsonNode l : lines) {
                assertThat(l.get("len").asDouble()).as(l.get("s").asText()).isGreaterThan(200);
            }
            for (String chart : new String[] {"requests-over-time", "in-flight-over-time", "ttft-over-time"}) {
                String fig = "figure[data-chart=\"" + chart + "\"]";
                assertThat(page.eval(box(fig + " svg")).get("w").asDouble()).as(chart).isGreaterThan(300);
                assertThat(page.eval("document.querySelectorAll('" + fig + " line.step-mark').length").asInt())
                        .as(chart + ": one mark per step").isEqualTo(3);
                assertThat(page.eval("[...document.querySelectorAll('" + fig + " rect.band')]"
                        + ".filter(r => r.getBBox().width > 1).length").asInt()).as(chart + ": warm-ups").isEqualTo(3);
            }
            assertThat(sloLines(page, "figure[data-chart=\"ttft-over-time\"]")).isEqualTo(1);
            assertThat(sloLines(page, "figure[data-chart=\"latency\"]")).isEqualTo(2);
            assertThat(page.eval("[...document.querySelectorAll('figure[data-chart=\"throughput\"] circle.dot')]"
                    + ".filter(c => c.getBBox().width > 1).length").asInt()).as("throughput and goodput per step")
                    .isEqualTo(6);

            JsonNode badge = page.eval("(() => { const b = document.querySelector('header .badge.emu'); const r = "
                    + "b.getBoundingClientRect(); return {t: b.textContent, w: r.width, h: r.height}; })()");
            assertThat(badge.get("t").asText()).isEqualTo("Emulator · offline");
            assertThat(badge.get("w").asDouble()).isGreaterThan(40);
            String knee = page.eval("document.querySelector('.knee-found').textContent").asText();
            assertThat(knee).as("stated as the console states it").containsAnyOf("knee at", "saturation at", "no saturation");
            assertThat(console.lines().map(String::strip)).contains(knee);
            assertThat(page.eval("document.querySelector('.knee-rule').textContent").asText()).contains("90 %");
            assertThat(page.eval("document.querySelector('h1').textContent").asText()).isEqualTo("latency-tour");
            assertThat(page.eval("document.scripts.length").asInt()).isZero();
            assertThat(page.eval("document.documentElement.scrollWidth <= 1280").asBoolean())
                    .as("nothing wider than the window at 1280 px").isTrue();

            Path png = keep("benchmark-report.png");
            page.screenshot(png, 1280);
            byte[] bytes = Files.readAllBytes(png);
            assertThat(bytes.length).isGreaterThan(50_000);
            assertThat(new String(bytes, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        }
    }

    @Test
    void the_benchmark_report_fits_at_every_width() throws Exception {
        try (Cdp page = Cdp.start(dir.resolve("profile-layout"), 1280, 1000)) {
            page.open(out.resolve("report.html").toUri());
            Layout.fitsAtEveryWidth(page, "layout-benchmark");
        }
    }

    private static int sloLines(Cdp page, String figure) throws Exception {
        return page.eval("[...document.querySelectorAll('" + figure.replace("'", "\\'") + " line.slo')]"
                + ".filter(l => l.getBBox().width > 100).length").asInt();
    }

    private static String box(String selector) {
        return "(() => { const r = document.querySelector('" + selector.replace("'", "\\'")
                + "').getBoundingClientRect(); return {w: r.width, h: r.height}; })()";
    }

    /** A file under {@code <build dir>/sonde-report/}, kept after the test beside the report and its console. */
    private static Path keep(String name) throws Exception {
        return HtmlReportBrowserTest.buildDir().resolve("sonde-report").resolve(name);
    }
}
