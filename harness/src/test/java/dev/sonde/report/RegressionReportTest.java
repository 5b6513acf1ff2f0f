package dev.sonde.report;

import dev.sonde.testing.Cdp;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.cli.Main;
import dev.sonde.cli.ReportCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The shipped regression suite end to end: {@code sonde run} against the embedded emulator (two
 * models side by side, compared with the committed baseline), then {@code sonde report RUN_DIR}
 * re-renders every format from the run's files alone, and the re-rendered report opens in
 * Chromium with every section drawn. The screenshot {@code report-regression.png} is kept under
 * {@code <build dir>/sonde-report/}.
 */
class RegressionReportTest {
    @TempDir
    Path dir;

    @Test
    void regression_run_rerenders_from_its_files_and_shows_every_section() throws Exception {
        Path out = dir.resolve("run");
        StringWriter console = new StringWriter();
        int code = Main.execute(Map.of(), new PrintWriter(console, true), new PrintWriter(console, true), "run",
                Path.of("../suites/regression.yaml").toString(), "--out", out.toString(), "-q");
        assertThat(code).as(console.toString()).isIn(Main.PASSED, Main.CHECK_FAILED);
        for (String f : new String[] {"report.html", "results.csv", "summary.md", "junit.xml"}) {
            Files.delete(out.resolve(f));
        }

        StringWriter stdout = new StringWriter();
        StringWriter stderr = new StringWriter();
        CommandLine report = new CommandLine(new ReportCommand());
        report.setOut(new PrintWriter(stdout, true)).setErr(new PrintWriter(stderr, true));
        int rc = report.execute(out.toString(), "--format", "html,csv,md,junit");

        assertThat(rc).as(stderr.toString()).isZero();
        assertThat(stdout.toString()).contains("html: ").contains("csv: ").contains("md: ").contains("junit: ")
                .doesNotContain("json: ");
        String html = Files.readString(out.resolve("report.html"), StandardCharsets.UTF_8);
        assertThat(html).contains("Baseline comparison").contains("data-chart=\"ttft-cdf\"")
                .contains("<th data-model=\"sonnet\">sonnet</th><th data-model=\"haiku\">haiku</th>")
                .contains("&quot;messages&quot;").doesNotContain(">unknown<");
        assertThat(CsvResultsTest.parse(Files.readString(out.resolve("results.csv")))).hasSize(1 + 28);
        assertThat(Files.readString(out.resolve("summary.md"))).startsWith("## ");

        try (Cdp page = Cdp.start(dir.resolve("profile"), 1400, 1000)) {
            page.open(out.resolve("report.html").toUri());
            assertThat(page.eval("document.querySelectorAll('tr.case:not([hidden])').length").asInt()).isEqualTo(14);
            assertThat(page.eval("document.querySelectorAll('figure[data-chart] svg path.line').length").asInt())
                    .isEqualTo(4);
            assertThat(page.eval("document.querySelectorAll('section.baseline tr.gate').length").asInt())
                    .isGreaterThan(3);
            assertThat(page.dialogs).isEmpty();
            assertThat(page.log).noneMatch(l -> l.contains("Refused") || l.startsWith("exception"));
            Path keep = Files.createDirectories(HtmlReportBrowserTest.buildDir().resolve("sonde-report"));
            page.click("tr.case[data-case=\"invoice-to-json\"] td.cell[data-model=\"sonnet\"] summary");
            page.screenshot(keep.resolve("report-regression.png"), 1400);
            assertThat(Files.size(keep.resolve("report-regression.png"))).isGreaterThan(50_000);
            Files.copy(out.resolve("report.html"), keep.resolve("report-regression.html"),
                    StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Test
    void report_command_says_why_a_folder_is_not_a_run_and_rejects_an_unknown_format() throws Exception {
        StringWriter err = new StringWriter();
        CommandLine report = new CommandLine(new ReportCommand());
        report.setErr(new PrintWriter(err, true));

        assertThat(report.execute(dir.toString())).isEqualTo(Main.BAD_INPUT);
        assertThat(err.toString()).contains("is not a finished run: it needs results.json and trials.jsonl");
        assertThat(report.execute(dir.toString(), "--format", "pdf")).isEqualTo(Main.BAD_INPUT);
        assertThat(err.toString()).contains("unknown format 'pdf': expected html, json, junit, md, csv or all");
    }
}
