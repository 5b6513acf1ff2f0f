package dev.sonde.report;

import dev.sonde.testing.Cdp;
import dev.sonde.testing.Layout;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.baseline.Comparison;
import dev.sonde.run.RunResult;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens report.html in a real headless Chromium over the DevTools protocol ({@link Cdp}) and
 * checks what a person would: the charts drew (SVG shapes with real geometry per model), clicking
 * the "failed only" filter changes the table, the model/check filters and sort work, the hostile
 * output shows as text with no dialog and no extra element, the page's own script passed its
 * Content-Security-Policy, and no text is clipped or outside its card at 1280, 1440 and 1920 px
 * with a detail open ({@link Layout}). Full-page screenshots are kept under
 * {@code <build dir>/sonde-report/} for people to look at.
 */
class HtmlReportBrowserTest {
    @TempDir
    Path dir;

    private Path html;

    @BeforeEach
    void render() throws Exception {
        RunResult run = RichFixture.run(dir, "run", 1.0, true);
        Comparison comparison = RichFixture.compared(dir, run);
        Reports.Outputs out = Reports.writeAll(run, comparison);
        assertThat(out.failures()).isEmpty();
        html = out.html();
    }

    @Test
    void charts_draw_real_shapes_for_every_model() throws Exception {
        try (Cdp page = Cdp.start(dir.resolve("profile"), 1400, 1000)) {
            page.open(html.toUri());
            for (String cdf : new String[] {"ttft-cdf", "e2e-cdf"}) {
                JsonNode lines = page.eval("[...document.querySelectorAll('figure[data-chart=\"" + cdf
                        + "\"] svg path.line')].map(p => ({s: p.dataset.series, len: p.getTotalLength(),"
                        + " h: p.getBBox().height}))");
                assertThat(lines).as(cdf).hasSize(2);
                assertThat(lines.findValuesAsText("s")).containsExactly("sonnet", "haiku");
                for (JsonNode l : lines) {
                    assertThat(l.get("len").asDouble()).as(cdf + " line length").isGreaterThan(150);
                    assertThat(l.get("h").asDouble()).as(cdf + " climbs 0→100%").isGreaterThan(150);
                }
            }
            JsonNode itl = page.eval("[...document.querySelectorAll('figure[data-chart=\"itl-histogram\"] rect.bar')]"
                    + ".filter(r => r.getBBox().height > 1).map(r => r.dataset.series)");
            assertThat(itl.size()).as("ITL bars with height").isGreaterThan(6);
            assertThat(page.eval("new Set([...document.querySelectorAll('figure[data-chart=\"itl-histogram\"]"
                    + " rect.bar')].filter(r => r.getBBox().height > 1).map(r => r.dataset.series)).size").asInt())
                    .isEqualTo(2);
            JsonNode kinds = page.eval("[...new Set([...document.querySelectorAll('figure[data-chart=\"cost-by-kind\"]"
                    + " rect.bar')].filter(r => r.getBBox().width > 0.5).map(r => r.classList[1]))].sort()");
            assertThat(kinds.toString()).as("input, 5m write, 1h write, cache read, output all drawn")
                    .isEqualTo("[\"k0\",\"k1\",\"k2\",\"k3\",\"k4\"]");
            assertThat(page.eval("[...document.querySelectorAll('figure[data-chart=\"cache-by-case\"] rect.bar')]"
                    + ".filter(r => r.getBBox().width > 20).length").asInt()).as("cases with cache reads").isEqualTo(4);
            assertThat(page.eval("document.querySelectorAll('section.baseline tr.gate').length").asInt())
                    .isGreaterThan(2);
            assertThat(page.log).noneMatch(l -> l.contains("Refused") || l.startsWith("exception"));
            page.screenshot(keep("report-rich.png"), 1400);
            assertPng(keep("report-rich.png"));
            page.screenshotOf("section.charts", keep("report-charts.png"));
            assertPng(keep("report-charts.png"));
        }
    }

    @Test
    void the_rich_report_with_hostile_output_and_an_open_detail_fits_at_every_width() throws Exception {
        try (Cdp page = Cdp.start(dir.resolve("profile"), 1280, 1000)) {
            page.open(html.toUri());
            page.click("tr.case[data-case=\"xss-output\"] td.cell[data-model=\"haiku\"] summary");
            Layout.fitsAtEveryWidth(page, "layout-rich");
        }
    }

    @Test
    void clicking_failed_only_filters_the_table_and_other_filters_and_sort_work() throws Exception {
        try (Cdp page = Cdp.start(dir.resolve("profile"), 1400, 1000)) {
            page.open(html.toUri());
            assertThat(visible(page)).isEqualTo(RichFixture.CASES);
            assertThat(page.eval("document.getElementById('f-controls').hidden").asBoolean()).isFalse();

            page.click("#f-failed");

            assertThat(page.eval("document.getElementById('f-failed').checked").asBoolean()).isTrue();
            assertThat(visible(page)).isEqualTo(RichFixture.NOT_PASSING_CASES);
            assertThat(page.eval("[...document.querySelectorAll('tr.case:not([hidden])')].every(r =>"
                    + " r.dataset.status !== 'passed')").asBoolean()).isTrue();
            assertThat(page.eval("location.hash").asText()).isEqualTo("#failed=1");
            assertThat(page.eval("document.getElementById('f-count').textContent").asText())
                    .isEqualTo("Showing 1–3 of 3 cases (of 8)");

            select(page, "f-check", "is-json");
            assertThat(page.eval("[...document.querySelectorAll('tr.case:not([hidden])')].map(r => r.dataset.case)")
                    .toString()).isEqualTo("[\"invoice-json\"]");

            select(page, "f-check", "");
            select(page, "f-model", "sonnet");
            assertThat(visible(page)).as("sonnet failed nowhere").isZero();
            assertThat(page.eval("document.getElementById('f-empty').hidden").asBoolean()).isFalse();
            page.click("#f-failed");
            assertThat(visible(page)).isEqualTo(RichFixture.CASES);
            assertThat(page.eval("[...document.querySelectorAll('#cases [data-model]')].filter(e => !e.hidden)"
                    + ".every(e => e.dataset.model === 'sonnet')").asBoolean()).isTrue();

            select(page, "f-model", "");
            select(page, "f-sort", "ttft");
            JsonNode ttfts = page.eval("[...document.querySelectorAll('tr.case:not([hidden])')].map(r => +r.dataset.ttft)");
            for (int i = 1; i < ttfts.size(); i++) {
                assertThat(ttfts.get(i).asDouble()).isLessThanOrEqualTo(ttfts.get(i - 1).asDouble());
            }
            page.click("#f-failed");
            page.click("tr.case[data-case=\"xss-output\"] td.cell[data-model=\"haiku\"] summary");
            page.screenshot(keep("report-filtered.png"), 1400);
            assertPng(keep("report-filtered.png"));
        }
    }

    @Test
    void a_filter_in_the_link_applies_on_load() throws Exception {
        try (Cdp page = Cdp.start(dir.resolve("profile"), 1400, 1000)) {
            page.open(URI.create(html.toUri() + "#failed=1&model=haiku"));
            assertThat(visible(page)).isEqualTo(RichFixture.NOT_PASSING_CASES);
            assertThat(page.eval("document.getElementById('f-model').value").asText()).isEqualTo("haiku");
        }
    }

    @Test
    void hostile_output_is_inert_text() throws Exception {
        try (Cdp page = Cdp.start(dir.resolve("profile"), 1400, 1000)) {
            page.open(html.toUri());
            page.click("tr.case[data-case=\"xss-output\"] td.cell[data-model=\"haiku\"] summary");
            Thread.sleep(300);

            assertThat(page.dialogs).as("no alert() ran").isEmpty();
            assertThat(page.eval("document.scripts.length").asInt()).as("only the report's own script").isEqualTo(1);
            assertThat(page.eval("document.querySelectorAll('img').length").asInt()).isZero();
            JsonNode shown = page.eval("[...document.querySelectorAll('tr.case[data-case=\"xss-output\"] pre')]"
                    + ".filter(p => p.textContent.includes(" + Cdp.json(RichFixture.XSS) + ") && p.offsetHeight > 0)"
                    + ".length");
            assertThat(shown.asInt()).as("the markup is visible as text").isGreaterThanOrEqualTo(2);
            assertThat(page.eval("document.body.innerText").asText()).contains(RichFixture.XSS);
            assertThat(page.log).noneMatch(l -> l.contains("Refused") || l.startsWith("exception"));
        }
        String source = Files.readString(html, StandardCharsets.UTF_8);
        assertThat(source).doesNotContain(RichFixture.XSS)
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;");
    }

    private static int visible(Cdp page) throws Exception {
        return page.eval("document.querySelectorAll('tr.case:not([hidden])').length").asInt();
    }

    private static void select(Cdp page, String id, String value) throws Exception {
        page.eval("(() => { const s = document.getElementById('" + id + "'); s.value = " + Cdp.json(value)
                + "; s.dispatchEvent(new Event('change')); })()");
    }

    private static void assertPng(Path png) throws Exception {
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes.length).isGreaterThan(50_000);
        assertThat(new String(bytes, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    }

    /** A file under {@code <build dir>/sonde-report/}, kept after the test for people to look at. */
    private Path keep(String name) throws Exception {
        Path folder = Files.createDirectories(buildDir().resolve("sonde-report"));
        Files.copy(html, folder.resolve("report-rich.html"), StandardCopyOption.REPLACE_EXISTING);
        return folder.resolve(name);
    }

    /** {@code <build dir>/test-classes/..}, so the artefacts land beside surefire's reports. */
    static Path buildDir() throws URISyntaxException {
        return Path.of(HtmlReportBrowserTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .getParent();
    }
}
