package dev.sonde.report;

import dev.sonde.testing.Cdp;
import dev.sonde.testing.Layout;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report of each shipped evaluation suite kind — a regression run, a model comparison and a
 * cache-placement run — run offline as the README runs them, opened in headless Chromium at 1280,
 * 1440 and 1920 px: no text clipped or outside its card ({@link Layout}), and what each kind adds
 * reads as meant (labelled token counts, a one-line cache chart without caching, case ids of the
 * recommendation as code, a chart row per cache variant). The benchmark's report is checked the
 * same way in {@link LoadReportBrowserTest}. Screenshots are kept as
 * {@code <build dir>/sonde-report/layout-<suite>-<width>.png}.
 */
class ReportLayoutBrowserTest {
    @TempDir
    Path dir;

    @Test
    void a_regression_report_fits_at_every_width_labels_token_counts_and_draws_no_all_zero_cache_chart()
            throws Exception {
        try (Cdp page = open("regression")) {
            Layout.fitsAtEveryWidth(page, "layout-regression");
            JsonNode tokens = page.eval("[...document.querySelectorAll('tr.case .cell-head span')]"
                    + ".map(s => s.textContent).filter(t => t.includes('→'))");
            assertThat(tokens.size()).isEqualTo(28);
            tokens.forEach(t -> assertThat(t.asText()).matches("[\\d,]+ in → [\\d,]+ out tokens"));
            String cache = "figure[data-chart=\"cache-by-case\"]";
            assertThat(page.eval("document.querySelectorAll('" + cache.replace("'", "\\'") + " svg').length").asInt())
                    .isZero();
            assertThat(page.eval("document.querySelector('" + cache + " p').textContent").asText())
                    .startsWith("No prompt caching in this run");
        }
    }

    @Test
    void a_model_comparison_report_fits_at_every_width_and_shows_the_recommendations_case_ids_as_code()
            throws Exception {
        try (Cdp page = open("migration")) {
            Layout.fitsAtEveryWidth(page, "layout-migration");
            assertThat(page.eval("[...document.querySelectorAll('p.recommendation code')].map(c => c.textContent)")
                    .toString()).isEqualTo("[\"legal-summary\"]");
            assertThat(page.eval("[...document.querySelectorAll('p.recommendation')].map(p => p.textContent).join()")
                    .asText()).doesNotContain("`");
        }
    }

    @Test
    void a_cache_placement_report_fits_at_every_width_with_a_chart_row_per_variant() throws Exception {
        try (Cdp page = open("cache-placement")) {
            Layout.fitsAtEveryWidth(page, "layout-cache-placement");
            JsonNode table = page.eval("[...document.querySelectorAll('section.cache-variants tr[data-variant]')]"
                    + ".map(r => r.dataset.variant)");
            assertThat(table.size()).isEqualTo(7);
            assertThat(page.eval("[...document.querySelectorAll('figure[data-chart]')].map(f => f.dataset.chart)")
                    .toString()).as("per-variant charts instead of one line for the one model")
                    .isEqualTo("[\"variant-cost\",\"variant-prompt\",\"variant-ttft\"]");
            for (String chart : new String[] {"variant-cost", "variant-prompt", "variant-ttft"}) {
                JsonNode drawn = page.eval("[...new Set([...document.querySelectorAll('figure[data-chart=\"" + chart
                        + "\"] rect.bar')].filter(r => r.getBBox().width > 1).map(r => r.dataset.series))]");
                assertThat(drawn.toString()).as(chart + ": every variant, in the table's order")
                        .isEqualTo(table.toString());
            }
        }
    }

    /** Runs the shipped suite offline and opens its report. */
    private Cdp open(String suite) throws Exception {
        Path out = dir.resolve("run");
        StringWriter console = new StringWriter();
        int exit = Main.execute(Map.of(), new PrintWriter(console, true), new PrintWriter(console, true), "run",
                Path.of("../suites/" + suite + ".yaml").toString(), "--out", out.toString(), "-q");
        assertThat(exit).as(console.toString()).isZero();
        Cdp page = Cdp.start(dir.resolve("profile"), 1280, 1000);
        try {
            page.open(out.resolve("report.html").toUri());
            assertThat(page.log).noneMatch(l -> l.contains("Refused") || l.startsWith("exception"));
            return page;
        } catch (Exception | AssertionError e) {
            page.close();
            throw e;
        }
    }
}
