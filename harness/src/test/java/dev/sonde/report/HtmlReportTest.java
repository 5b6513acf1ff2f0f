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
    void renders_header_cards_chart_and_one_row_per_trial() throws Exception {
        String html = render(ReportFixture.run(dir, false));
        assertThat(html).startsWith("<!DOCTYPE html>")
                .contains("<title>FAIL · regression · Sonde report</title>")
                .contains("Emulator · offline").doesNotContain("Live API")
                .contains("<h3>sonnet</h3>").contains("<h3>local</h3>")
                .contains("Time to first token").contains("<rect");
        assertThat(count(html, "<tr class=\"trial ")).isEqualTo(ReportFixture.TRIALS);
        assertThat(count(html, "<details>")).isEqualTo(ReportFixture.FAILED + ReportFixture.ERRORED);
    }

    @Test
    void live_run_is_flagged_loudly() throws Exception {
        String html = render(ReportFixture.run(dir, true));
        assertThat(html).contains("class=\"badge live\"").contains("Live run against <code>https://api.anthropic.com</code>")
                .doesNotContain("Emulator · offline");
    }

    @Test
    void unpriced_model_shows_unpriced_instead_of_zero_dollars() throws Exception {
        String html = render(ReportFixture.run(dir, false));
        assertThat(html).contains("⚠ UNPRICED").contains("2 of 6 trials unpriced: not in this total")
                .contains("<span class=\"unpriced\">unpriced</span>");
    }

    @Test
    void user_text_is_escaped() throws Exception {
        String html = render(ReportFixture.run(dir, false));
        assertThat(html).doesNotContain("<script").doesNotContain("<b>bold</b>")
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
                .contains("Content-Security-Policy\" content=\"default-src 'none'");
        String withoutEndpoint = html.replace("https://api.anthropic.com", "");
        assertThat(withoutEndpoint).doesNotContain("http://").doesNotContain("https://");
    }

    @Test
    void passing_run_has_no_detail_rows() throws Exception {
        String html = render(ReportFixture.allPassing(dir));
        assertThat(html).contains("<title>PASS · regression").doesNotContain("<details>");
        assertThat(count(html, "<tr class=\"trial passed\"")).isEqualTo(2);
    }

    @Test
    void empty_run_renders_and_says_no_trial_finished() throws Exception {
        String html = render(ReportFixture.empty(dir));
        assertThat(html).contains("No trial finished in this run.").doesNotContain("<tr class=\"trial ");
    }

    private static long count(String s, String needle) {
        return Pattern.compile(Pattern.quote(needle)).matcher(s).results().count();
    }
}
