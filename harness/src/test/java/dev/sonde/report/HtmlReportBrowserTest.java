package dev.sonde.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.run.RunResult;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens report.html in a real headless Chromium. The screenshot and the report are kept under
 * the build directory ({@code <build dir>/sonde-report/}) for a human to look at.
 */
class HtmlReportBrowserTest {
    @TempDir
    Path dir;

    @Test
    void chromium_renders_every_trial_and_injected_script_never_runs() throws Exception {
        RunResult run = ReportFixture.run(dir, false);
        Path html = HtmlReport.write(run, run.outDir().resolve(HtmlReport.FILE));

        String dom = Chromium.dumpDom(html, dir.resolve("profile"));

        assertThat(dom).contains("<title>FAIL · regression · Sonde report</title>")
                .doesNotContain("PWNED</title>")
                .containsPattern("<html lang=\"en\">")
                .doesNotContainPattern("<[^>]*\\sdata-pwned=")
                .doesNotContainPattern("(?i)<script");
        assertThat(count(dom, "<tr class=\"trial ")).isEqualTo(ReportFixture.TRIALS);
        assertThat(count(dom, "<tr class=\"trial passed\"")).isEqualTo(ReportFixture.PASSED);
        assertThat(dom).contains("&lt;script&gt;document.title='PWNED';")
                .contains("Emulator · offline")
                .contains("<svg");
    }

    @Test
    void chromium_takes_a_screenshot_of_a_live_report() throws Exception {
        RunResult run = ReportFixture.run(dir, true);
        Path html = HtmlReport.write(run, run.outDir().resolve(HtmlReport.FILE));
        Path keep = Files.createDirectories(buildDir().resolve("sonde-report"));
        Path png = keep.resolve("report-live.png");
        Files.deleteIfExists(png);

        Chromium.screenshot(html, dir.resolve("profile"), png, 1400, 2000);

        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes.length).isGreaterThan(20_000);
        assertThat(new String(bytes, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        Files.copy(html, keep.resolve("report-live.html"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** {@code <build dir>/test-classes/..}, so the artefacts land beside surefire's reports. */
    private static Path buildDir() throws URISyntaxException {
        return Path.of(HtmlReportBrowserTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .getParent();
    }

    private static long count(String s, String needle) {
        return Pattern.compile(Pattern.quote(needle)).matcher(s).results().count();
    }
}
