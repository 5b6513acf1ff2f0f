package dev.sonde.history.view;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.history.HistoryStore;
import dev.sonde.history.RunDiff;
import dev.sonde.history.ViewOptions;
import dev.sonde.history.Viewer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The viewer's HTTP rules and escaping, over a {@link FixedStore} (no database). */
class ViewServerTest {
    static final String EVIL_SUITE = "\"><img src=x onerror=alert(1)>";
    static final String SCRIPT_OUTPUT = "The answer <script>alert(1)</script> is 42.";

    @TempDir
    Path dir;

    private Viewer viewer;
    private int port;
    private Path runDir;

    @BeforeEach
    void start() throws Exception {
        runDir = Files.createDirectories(dir.resolve("runs/r2"));
        Files.writeString(runDir.resolve("report.html"), "<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
                + "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;; style-src"
                + " &#39;unsafe-inline&#39;; img-src data:; script-src &#39;sha256-SlCDj4YaJW1cg3XzyXR6Jo6KMiBdVoH"
                + "+w85ZiaOSiy4=&#39;; base-uri &#39;none&#39;; form-action &#39;none&#39;\">"
                + "<title>report r2</title>");
        Files.writeString(runDir.resolve("results.json"), "{\"verdict\":\"fail\"}");
        Files.writeString(dir.resolve("secret.txt"), "outside the run");
        Files.createSymbolicLink(runDir.resolve("escape.txt"), dir.resolve("secret.txt"));
        List<HistoryStore.StoredRun> runs = List.of(
                FixedStore.run("r1", "regression", "pass", "abc1234def", 0, null),
                FixedStore.run("r2", "regression", "fail", "bcd2345eee", 1, runDir),
                FixedStore.run("r3", "regression", "pass", "cde3456fff", 2, null),
                FixedStore.run("x1", EVIL_SUITE, "pass", null, 3, null));
        FixedStore store = new FixedStore(runs, "The answer is 42.", SCRIPT_OUTPUT);
        viewer = store.view(dir.resolve("history.duckdb"), ViewOptions.anyPort());
        port = viewer.uri().getPort();
    }

    @AfterEach
    void stop() {
        viewer.close();
    }

    @Test
    void listens_on_loopback_and_says_where() {
        assertThat(viewer.uri().toString()).isEqualTo("http://127.0.0.1:" + port + "/");
    }

    @Test
    void refuses_another_host_with_421_against_dns_rebinding() throws Exception {
        Raw evil = Raw.send(port, "GET", "/", "evil.example:" + port);
        assertThat(evil.status()).isEqualTo(421);
        assertThat(evil.body()).doesNotContain("regression");
        assertThat(Raw.send(port, "GET", "/", "127.0.0.1").status()).as("no port").isEqualTo(421);
        assertThat(Raw.send(port, "GET", "/", "127.0.0.1:" + (port + 1)).status()).isEqualTo(421);
        assertThat(Raw.send(port, "GET", "/", "localhost:" + port).status()).isEqualTo(200);
        assertThat(Raw.send(port, "GET", "/", "[::1]:" + port).status()).isEqualTo(200);
    }

    @Test
    void reads_only_post_is_405_with_allow() throws Exception {
        Raw post = Raw.send(port, "POST", "/", "127.0.0.1:" + port);
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.headers()).containsEntry("allow", "GET, HEAD");
        assertThat(Raw.send(port, "DELETE", "/runs/report?id=r2", "127.0.0.1:" + port).status()).isEqualTo(405);
    }

    @Test
    void head_sends_the_headers_of_get_without_a_body() throws Exception {
        Raw get = Raw.get(port, "/");
        Raw head = Raw.send(port, "HEAD", "/", "127.0.0.1:" + port);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().get("content-length")).isEqualTo(get.headers().get("content-length"));
    }

    @Test
    void pages_carry_a_policy_without_script_and_no_referrer() throws Exception {
        for (String path : List.of("/", "/suite?name=regression", "/diff?a=r1&b=r2", "/nowhere", "/a/%2e%2e/b")) {
            Raw page = Raw.get(port, path);
            assertThat(page.headers()).as(path)
                    .containsEntry("content-security-policy", "default-src 'none'; style-src 'unsafe-inline';"
                            + " img-src data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
                    .containsEntry("x-content-type-options", "nosniff").containsEntry("referrer-policy", "no-referrer")
                    .containsEntry("cache-control", "no-store");
            assertThat(page.body()).as(path).doesNotContain("<script");
        }
        Raw badHost = Raw.send(port, "GET", "/", "bad host:" + port);
        assertThat(badHost.status()).isEqualTo(400);
        assertThat(badHost.headers()).containsKey("content-security-policy").containsEntry("cache-control", "no-store")
                .containsEntry("x-content-type-options", "nosniff");
    }

    @Test
    void a_suite_name_with_markup_is_shown_as_text() throws Exception {
        Raw list = Raw.get(port, "/");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body()).doesNotContain("<img").contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
        Matcher link = Pattern.compile("href=\"(/suite\\?name=[^\"]*onerror[^\"]*)\"").matcher(list.body());
        assertThat(link.find()).as("the suite's link").isTrue();
        assertThat(link.group(1)).doesNotContain("<", ">", "\"", " ");
        Raw trend = Raw.get(port, link.group(1).replace("&amp;", "&"));
        assertThat(trend.status()).isEqualTo(200);
        assertThat(trend.body()).doesNotContain("<img").contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;");
    }

    @Test
    void an_output_with_a_script_is_shown_as_text_in_the_diff() throws Exception {
        Raw diff = Raw.get(port, "/diff?a=r1&b=r2");
        assertThat(diff.status()).isEqualTo(200);
        assertThat(diff.body()).doesNotContain("<script", "<b>bold")
                .contains("&lt;script&gt;alert(1)&lt;/script&gt;").contains("expected &quot;&lt;b&gt;bold&lt;/b&gt;&quot;")
                .contains("passed → failed");
        assertThat(insertions(diff.body())).containsExactly("&lt;script&gt;alert(1)&lt;/script&gt; ");
    }

    @Test
    void the_diff_shows_errored_skipped_one_sided_trials_and_changed_tool_calls() throws Exception {
        FixedStore store = new FixedStore(List.of(FixedStore.run("r1", "s", "pass", null, 0, null),
                FixedStore.run("r2", "s", "fail", null, 1, null)), "same", "same");
        store.morePairs = List.of(
                new RunDiff.TrialPair("e", "case-e", "m", 0, FixedStore.side("e", true, null, null, "x", null),
                        FixedStore.side("e", false, "overloaded", null, null, null), false),
                new RunDiff.TrialPair("k", "case-k", "m", 0, FixedStore.side("k", true, null, null, "x", null),
                        FixedStore.side("k", false, null, "budget", null, null), false),
                new RunDiff.TrialPair("n", "case-n", "m", 1, null,
                        FixedStore.side("n", true, null, null, "x", null), false),
                new RunDiff.TrialPair("g", "case-g", "m", 0, FixedStore.side("g", false, null, null, "x", null),
                        null, false),
                new RunDiff.TrialPair("t", "case-t", "m", 0,
                        FixedStore.side("t", true, null, null, "same", "[{\"name\":\"lookup\",\"input\":{\"q\":\"paris\"}}]"),
                        FixedStore.side("t", true, null, null, "same", "[{\"name\":\"lookup\",\"input\":{\"q\":\"rome\"}}]"),
                        true));
        try (Viewer v = store.view(dir.resolve("d.duckdb"), ViewOptions.anyPort())) {
            String body = Raw.get(v.uri().getPort(), "/diff?a=r1&b=r2").body();
            assertThat(body).contains("6 trial ids compared: 4 in both runs, 1 only in the first, 1 only in the second")
                    .contains("passed → errored", "error: overloaded")
                    .contains("Other changes of state (1)", "passed → skipped", "skipped: budget")
                    .contains("New in the second run (1)", "Gone from the second run (1)")
                    .contains("tool calls changed");
            assertThat(body.substring(body.indexOf("data-new"), body.indexOf("data-gone"))).contains("case-n", "passed");
            assertThat(insertions(body)).containsExactly("rome");
            assertThat(body).contains("<del class=\"w\">paris</del>");
        }
    }

    @Test
    void a_pruned_output_says_so_beside_the_one_kept() throws Exception {
        FixedStore store = new FixedStore(List.of(FixedStore.run("r1", "s", "pass", null, 0, null),
                FixedStore.run("r2", "s", "fail", null, 1, null)), "Kept answer.", null);
        try (Viewer pruned = store.view(dir.resolve("p.duckdb"), ViewOptions.anyPort())) {
            Raw diff = Raw.get(pruned.uri().getPort(), "/diff?a=r1&b=r2");
            assertThat(diff.status()).isEqualTo(200);
            assertThat(diff.body()).contains("Kept answer.").contains(">output pruned<").doesNotContain("<ins");
        }
    }

    @Test
    void bad_parameters_are_400_and_unknown_runs_404() throws Exception {
        assertThat(Raw.get(port, "/?verdict=maybe").status()).isEqualTo(400);
        assertThat(Raw.get(port, "/?commit=xyz").status()).isEqualTo(400);
        assertThat(Raw.get(port, "/?colour=red").status()).isEqualTo(400);
        assertThat(Raw.get(port, "/suite?name=regression&last=-1").status()).isEqualTo(400);
        assertThat(Raw.get(port, "/diff?a=r1").status()).isEqualTo(400);
        assertThat(Raw.get(port, "/diff?a=r1&b=r1&b=r2").status()).isEqualTo(400);
        Raw unknown = Raw.get(port, "/diff?a=r1&b=nope");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).contains("no run &#39;nope&#39; in the store");
        assertThat(Raw.get(port, "/suite?name=nosuch").status()).isEqualTo(404);
        assertThat(Raw.get(port, "/suite").status()).isEqualTo(400);
        assertThat(Raw.get(port, "/runs/report?id=nope").status()).isEqualTo(404);
        assertThat(Raw.get(port, "/?verdict=fail").body()).contains("r2").doesNotContain("data-run=\"r1\"");
    }

    @Test
    void serves_a_runs_report_with_its_own_policy_as_a_header() throws Exception {
        Raw report = Raw.get(port, "/runs/report?id=r2");
        assertThat(report.status()).isEqualTo(200);
        assertThat(report.body()).contains("report r2");
        assertThat(report.headers()).containsEntry("content-security-policy", "default-src 'none';"
                        + " style-src 'unsafe-inline'; img-src data:; script-src 'sha256-"
                        + "SlCDj4YaJW1cg3XzyXR6Jo6KMiBdVoH+w85ZiaOSiy4='; base-uri 'none'; form-action 'none';"
                        + " frame-ancestors 'none'")
                .containsEntry("x-content-type-options", "nosniff").containsEntry("cache-control", "no-store");
    }

    @Test
    void a_report_whose_policy_is_not_sonde_s_runs_no_script() {
        byte[] foreign = ("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src *;"
                + " script-src 'unsafe-inline'\">").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(RunFiles.policy(foreign)).isEqualTo(RunFiles.NO_SCRIPT + "; frame-ancestors 'none'");
        assertThat(RunFiles.policy(new byte[0])).doesNotContain("script-src");
    }

    @Test
    void serves_no_other_file_of_the_run_folder() throws Exception {
        for (String path : List.of("/runs/r2/results.json", "/runs/r2/trials.jsonl", "/runs/r2/report.html",
                "/runs/r2/../../secret.txt", "/runs/r2/%2e%2e/%2e%2e/secret.txt", "/runs/r2/..%2f..%2fsecret.txt",
                "/runs/r2/escape.txt", "/runs/report?id=r2&file=results.json")) {
            Raw r = Raw.get(port, path);
            assertThat(r.status()).as(path).isBetween(400, 499);
            assertThat(r.body()).as(path).doesNotContain("outside the run", "verdict\":");
            assertThat(r.headers()).as(path).containsKey("content-security-policy")
                    .containsEntry("x-content-type-options", "nosniff").containsEntry("cache-control", "no-store");
        }
    }

    @Test
    void run_files_refuses_all_but_the_report_and_a_report_that_leaves_the_folder() throws Exception {
        assertThat(RunFiles.find(runDir, "results.json")).isInstanceOf(RunFiles.Refused.class);
        assertThat(RunFiles.find(runDir, "../secret.txt")).isInstanceOf(RunFiles.Refused.class);
        assertThat(RunFiles.find(runDir, "escape.txt")).isInstanceOf(RunFiles.Refused.class);
        assertThat(RunFiles.find(runDir, "/etc/passwd")).isInstanceOf(RunFiles.Refused.class);
        assertThat(RunFiles.find(runDir, "report.html")).isInstanceOf(RunFiles.Served.class);
        Path linked = Files.createDirectories(dir.resolve("linked"));
        Files.createSymbolicLink(linked.resolve("report.html"), dir.resolve("secret.txt"));
        assertThat(RunFiles.find(linked, "report.html")).isEqualTo(
                new RunFiles.Refused("the run's report.html is not a file of its folder"));
        Path folder = Files.createDirectories(dir.resolve("folder/report.html"));
        assertThat(RunFiles.find(folder.getParent(), "report.html")).isInstanceOf(RunFiles.Refused.class);
        assertThat(RunFiles.find(dir.resolve("none"), "report.html")).isInstanceOf(RunFiles.Refused.class);
    }

    @Test
    void a_suite_and_a_run_named_with_semicolons_and_dots_route_as_themselves() throws Exception {
        Path odd = Files.createDirectories(dir.resolve("runs/odd"));
        Files.writeString(odd.resolve("report.html"), "<title>report of rc;x</title>");
        FixedStore store = new FixedStore(List.of(FixedStore.run("rc;x", "regression;v2", "pass", "aaa1111", 0, odd),
                FixedStore.run("..", "..", "pass", "bbb2222", 1, null)), "a", "b");
        try (Viewer v = store.view(dir.resolve("o.duckdb"), ViewOptions.anyPort())) {
            int p = v.uri().getPort();
            String list = Raw.get(p, "/").body();
            Matcher suite = Pattern.compile("href=\"(/suite\\?name=regression[^\"]*)\"").matcher(list);
            assertThat(suite.find()).isTrue();
            Raw trend = Raw.get(p, suite.group(1).replace("&amp;", "&"));
            assertThat(trend.status()).isEqualTo(200);
            assertThat(trend.body()).contains("regression;v2").contains("data-run=\"rc;x\"");
            Matcher run = Pattern.compile("href=\"(/runs/report\\?id=rc[^\"]*)\"").matcher(list);
            assertThat(run.find()).isTrue();
            assertThat(Raw.get(p, run.group(1).replace("&amp;", "&")).body()).contains("report of rc;x");
            assertThat(Raw.get(p, "/suite?name=..").body()).contains("data-run=\"..\"");
        }
    }

    @Test
    void the_trend_page_says_how_many_shard_runs_it_left_out_and_shows_them_when_asked() throws Exception {
        FixedStore store = new FixedStore(List.of(FixedStore.run("r1", "s", "pass", null, 0, null)), "a", "b");
        store.shards = 2;
        try (Viewer v = store.view(dir.resolve("s.duckdb"), ViewOptions.anyPort())) {
            int p = v.uri().getPort();
            assertThat(Raw.get(p, "/suite?name=s").body()).contains("; 2 shard or part runs left out (not comparable to a whole run)");
            assertThat(Raw.get(p, "/suite?name=s&shards=1").body()).doesNotContain("part runs left out")
                    .contains("name=\"shards\" value=\"1\" checked");
            assertThat(Raw.get(p, "/suite?name=s&shards=2").status()).isEqualTo(400);
        }
    }

    @Test
    void a_store_being_written_is_503_with_retry_after() throws Exception {
        FixedStore store = new FixedStore(List.of(FixedStore.run("r1", "s", "pass", null, 0, null)), "a", "b");
        store.held = true;
        try (Viewer v = store.view(dir.resolve("h.duckdb"), ViewOptions.anyPort())) {
            Raw page = Raw.get(v.uri().getPort(), "/");
            assertThat(page.status()).isEqualTo(503);
            assertThat(page.headers()).containsEntry("retry-after", "5");
            assertThat(page.body()).contains("being written by another program");
        }
    }

    @Test
    void the_trend_draws_one_dot_per_run_on_each_chart() throws Exception {
        String body = Raw.get(port, "/suite?name=regression").body();
        for (String chart : List.of("pass-rate", "ttft-p95", "e2e-p95", "cost-per-trial", "cache-hit-ratio")) {
            int start = body.indexOf("data-chart=\"" + chart + "\"");
            assertThat(start).as(chart).isPositive();
            String figure = body.substring(start, body.indexOf("</figure>", start));
            assertThat(Pattern.compile("<circle").matcher(figure).results().count()).as(chart).isEqualTo(3);
        }
        assertThat(body).contains("abc1234", "bcd2345", "cde3456");
    }

    private static List<String> insertions(String html) {
        return Pattern.compile("<ins class=\"w\">(.*?)</ins>", Pattern.DOTALL).matcher(html).results()
                .map(m -> m.group(1)).toList();
    }
}
