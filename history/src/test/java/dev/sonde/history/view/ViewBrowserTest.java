package dev.sonde.history.view;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.api.SecretMask;
import dev.sonde.history.Added;
import dev.sonde.history.HistoryStore;
import dev.sonde.history.RunSpool;
import dev.sonde.history.ViewOptions;
import dev.sonde.history.Viewer;
import dev.sonde.history.duckdb.DuckDbStore;
import dev.sonde.journal.Journal;
import dev.sonde.lib.Sonde;
import dev.sonde.testing.Cdp;
import dev.sonde.testing.Layout;
import dev.sonde.testing.Suites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sonde view} over a real DuckDB store of three real emulator runs of one suite, the third
 * with the emulator answering one case differently so that it flips, opened in headless Chromium
 * ({@link Cdp}) as a person would: the runs list, the suite's trend (one dot per run on every chart),
 * the compare form picked and submitted, and the diff page showing the flipped case and its changed
 * words. No page may log an error or a CSP violation, or open a dialog.
 */
class ViewBrowserTest {
    private static final String SUITE = """
            name: view-demo
            models: [{id: sonnet, model: claude-sonnet-4-6}]
            emulator: {config: fast.yaml, rules: [answers.yaml]}
            cases:
              - {id: capital, prompt: "What is the capital of France?", assert: [{type: contains, value: Paris}]}
              - {id: colour, prompt: "What colour is a clear sky?", assert: [{type: contains, value: blue}]}
            """;
    private static final String ANSWERS = """
            rules:
              - {name: capital, match: {contains: "capital of France"}, reply: {text: "The capital of France is %s, on the Seine."}}
              - {name: colour, match: {contains: "clear sky"}, reply: {text: "A clear sky is blue."}}
            """;

    @TempDir
    static Path dir;
    static final List<Path> RUNS = new ArrayList<>();
    static final List<String> IDS = new ArrayList<>();

    @BeforeAll
    static void threeRuns() throws Exception {
        for (String city : List.of("Paris", "Paris", "Lyon")) {
            if (!RUNS.isEmpty()) {
                Thread.sleep(1_000); // a run's id has its start to the second: three runs, three ids
            }
            Path suiteDir = dir.resolve("suite-" + RUNS.size());
            Path suite = Suites.write(suiteDir, "suite.yaml", SUITE);
            Files.writeString(suiteDir.resolve("answers.yaml"), ANSWERS.formatted(city));
            Path out = dir.resolve("runs/run-" + RUNS.size());
            Sonde.suite(suite).endpoint("emulator").outDir(out).workDir(suiteDir).run();
            RUNS.add(out);
            IDS.add(Journal.JSON.readTree(out.resolve("results.json").toFile()).path("run")
                    .path("run_id").asText());
        }
        assertThat(IDS).doesNotHaveDuplicates();
    }

    static Path spool(Path runDir) throws Exception {
        return RunSpool.write(runDir, Files.createTempFile(dir, "spool-", ".jsonl"), SecretMask.NONE).file();
    }

    @Test
    void pick_two_runs_see_the_flip_and_its_words_and_one_dot_per_run() throws Exception {
        HistoryStore store = new DuckDbStore();
        Path file = dir.resolve("browse/history.duckdb");
        for (Path run : RUNS) {
            assertThat(store.add(file, spool(run), Duration.ofSeconds(30))).singleElement()
                    .isInstanceOf(Added.Imported.class);
        }
        try (Viewer viewer = store.view(file, ViewOptions.anyPort());
                Cdp page = Cdp.start(dir.resolve("profile"), 1280, 1000)) {
            page.open(viewer.uri());
            assertThat(page.eval("document.querySelectorAll('table.runs tr[data-run]').length").asInt()).isEqualTo(3);

            page.open(viewer.uri().resolve("/suite?name=view-demo"));
            for (String chart : List.of("pass-rate", "ttft-p95", "e2e-p95", "cost-per-trial", "cache-hit-ratio")) {
                assertThat(page.eval("document.querySelectorAll('figure[data-chart=\"" + chart + "\"] circle').length")
                        .asInt()).as(chart).isEqualTo(3);
            }
            Layout.fitsAtEveryWidth(page, "view-suite");
            page.open(viewer.uri().resolve("/suite?name=view-demo&model=sonnet"));
            assertThat(page.eval("document.querySelectorAll('figure[data-chart=\"pass-rate\"] circle').length").asInt())
                    .as("one model's trend").isEqualTo(3);
            assertThat(Raw.get(viewer.uri().getPort(), "/suite?name=view-demo&model=haiku").status()).isEqualTo(404);
            page.open(viewer.uri().resolve("/suite?name=view-demo"));

            page.eval("document.getElementById('compare-a').value = " + Cdp.json(IDS.get(1)) + ";"
                    + " document.getElementById('compare-b').value = " + Cdp.json(IDS.get(2)) + "; true");
            page.click("#compare-go");
            waitFor(page, "location.pathname === '/diff' && document.readyState === 'complete'");
            assertThat(page.eval("location.search").asText()).isEqualTo("?a=" + IDS.get(1) + "&b=" + IDS.get(2));

            JsonNode flips = page.eval("[...document.querySelectorAll('table[data-flips] tbody tr')]"
                    + ".map(r => [...r.cells].map(c => c.textContent.trim()))");
            assertThat(flips).hasSize(1);
            assertThat(flips.get(0).get(0).asText()).isEqualTo("capital");
            assertThat(flips.get(0).get(3).asText()).isEqualTo("passed → failed");
            assertThat(flips.get(0).get(4).asText()).contains("contains");
            assertThat(page.eval("[...document.querySelectorAll('section.output[data-case=\"capital\"] del')]"
                    + ".map(e => e.textContent)").toString()).isEqualTo("[\"Paris\"]");
            assertThat(page.eval("[...document.querySelectorAll('section.output[data-case=\"capital\"] ins')]"
                    + ".map(e => e.textContent)").toString()).isEqualTo("[\"Lyon\"]");
            assertThat(page.eval("document.querySelectorAll('section.output').length").asInt())
                    .as("the unchanged case shows no output diff").isEqualTo(1);
            Layout.fitsAtEveryWidth(page, "view-diff");

            page.open(viewer.uri());
            Layout.fitsAtEveryWidth(page, "view-runs");

            assertThat(page.dialogs).isEmpty();
            assertThat(page.log).as("console errors or CSP violations").isEmpty();
        }
    }

    @Test
    void an_open_viewer_never_blocks_an_import_and_the_next_page_shows_it() throws Exception {
        HistoryStore store = new DuckDbStore();
        Path file = dir.resolve("live/history.duckdb");
        store.add(file, spool(RUNS.get(0)), Duration.ofSeconds(30));
        try (Viewer viewer = store.view(file, ViewOptions.anyPort())) {
            int port = viewer.uri().getPort();
            assertThat(Raw.get(port, "/").body()).contains(IDS.get(0)).doesNotContain(IDS.get(1));
            List<Added> added = store.add(file, spool(RUNS.get(1)), Duration.ZERO);
            assertThat(added).singleElement().isInstanceOf(Added.Imported.class);
            Raw after = Raw.get(port, "/");
            assertThat(after.status()).isEqualTo(200);
            assertThat(after.body()).contains(IDS.get(0), IDS.get(1));
            Raw report = Raw.get(port, "/runs/report?id=" + IDS.get(1));
            assertThat(report.status()).isEqualTo(200);
            assertThat(report.body()).contains("view-demo").contains("Content-Security-Policy");
            assertThat(report.headers().get("content-security-policy")).contains("script-src 'sha256-")
                    .endsWith("frame-ancestors 'none'");
        }
    }

    private static void waitFor(Cdp page, String condition) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!page.eval("(() => { try { return " + condition + "; } catch (e) { return false; } })()").asBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + condition).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
