package dev.sonde.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.run.RunResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {
    @TempDir
    Path dir;

    private String render(RunResult run) throws Exception {
        return Files.readString(HtmlReport.write(run, run.outDir().resolve(HtmlReport.FILE)), StandardCharsets.UTF_8);
    }

    @Test
    void renders_header_cards_charts_and_one_row_per_case_with_models_side_by_side() throws Exception {
        String html = render(ReportFixture.run(dir, false));
        assertThat(html).startsWith("<!DOCTYPE html>")
                .contains("<title>FAIL · regression · Sonde report</title>")
                .contains("Emulator · offline").doesNotContain("Live API")
                .contains("<h3>sonnet</h3>").contains("<h3>local</h3>")
                .contains("Time to first token — CDF").contains("<path class=\"line s0\"")
                .contains("<th data-model=\"sonnet\">sonnet</th><th data-model=\"local\">local</th>")
                .contains("Emulator seed").contains("Git commit");
        assertThat(count(html, "<tr class=\"case ")).as("greet, summarize <doc>").isEqualTo(2);
        assertThat(count(html, "<td class=\"cell ")).isEqualTo(4);
        assertThat(count(html, "<details>")).as("one detail per cell that ran").isEqualTo(4);
        assertThat(html).contains("2/2 passed").contains("0/2 passed");
    }

    @Test
    void every_chart_is_present_and_says_why_when_it_has_no_data() throws Exception {
        String html = render(ReportFixture.run(dir, false));
        for (String id : new String[] {"ttft-cdf", "e2e-cdf", "itl-histogram", "cost-by-kind", "cache-by-case"}) {
            assertThat(html).contains("data-chart=\"" + id + "\"");
        }
        String empty = render(ReportFixture.empty(dir));
        assertThat(empty).contains("No successful exchange recorded this metric.")
                .contains("No streamed response had two or more content deltas.");
    }

    @Test
    void only_the_reports_own_script_is_allowed_by_its_hash() throws Exception {
        String html = render(ReportFixture.run(dir, false));
        assertThat(count(html, "<script")).isEqualTo(1);
        assertThat(html).contains("script-src " + HtmlReport.Engine.SCRIPT_HASH.replace("'", "&#39;") + ";")
                .contains("<script>" + HtmlReport.Engine.SCRIPT + "</script>")
                .doesNotContain("unsafe-eval").doesNotContainPattern("script-src[^;]*unsafe-inline");
    }

    @Test
    void live_run_is_flagged_loudly() throws Exception {
        String html = render(ReportFixture.run(dir, true));
        assertThat(html).contains("class=\"badge live\"").contains("LIVE run against <code>https://api.anthropic.com</code>")
                .doesNotContain("Emulator · offline");
    }

    @Test
    void unpriced_model_shows_unpriced_instead_of_zero_dollars() throws Exception {
        String html = render(ReportFixture.run(dir, false));
        assertThat(html).contains("⚠ UNPRICED").contains("2 of 6 trials unpriced: not in this total")
                .contains("<span class=\"unpriced\">unpriced</span>").doesNotContain("$0.00<");
    }

    @Test
    void user_text_is_escaped() throws Exception {
        String html = render(ReportFixture.run(dir, false));
        assertThat(html.replace("<script>" + HtmlReport.Engine.SCRIPT + "</script>", ""))
                .doesNotContain("<script").doesNotContain("<b>bold</b>")
                .contains("&lt;script&gt;document.title=&#39;PWNED&#39;;")
                .contains("Tom &amp; &quot;Jerry&quot;")
                .contains("summarize &lt;doc&gt;")
                .doesNotContainPattern("\\sth:[a-z]")
                .contains("second line\uFFFD after-control");
    }

    @Test
    void report_is_self_contained() throws Exception {
        String html = render(ReportFixture.run(dir, true));
        assertThat(html).doesNotContainPattern("(?i)(src|href)\\s*=")
                .doesNotContainPattern("(?i)url\\(")
                .doesNotContainPattern("(?i)@import")
                .contains("Content-Security-Policy\" content=\"default-src &#39;none&#39;;")
                .doesNotContainPattern("(?i)\\son[a-z]+\\s*=");
        String withoutEndpoint = html.replace("https://api.anthropic.com", "");
        assertThat(withoutEndpoint).doesNotContain("http://").doesNotContain("https://");
    }

    @Test
    void passing_run_is_one_passed_row_with_its_repeats_aggregated() throws Exception {
        String html = render(ReportFixture.allPassing(dir));
        assertThat(html).contains("<title>PASS · regression").contains("every trial passed");
        assertThat(count(html, "<tr class=\"case passed\"")).isEqualTo(1);
        assertThat(html).contains("2/2 passed").contains("not run on this model");
    }

    @Test
    void empty_run_renders_and_says_no_trial_finished() throws Exception {
        String html = render(ReportFixture.empty(dir));
        assertThat(html).contains("No trial finished in this run.").doesNotContain("<tr class=\"case ");
    }

    private static long count(String s, String needle) {
        return Pattern.compile(Pattern.quote(needle)).matcher(s).results().count();
    }
}
