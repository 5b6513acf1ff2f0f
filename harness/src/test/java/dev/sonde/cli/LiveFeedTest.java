package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.journal.Journal;
import dev.sonde.testing.Suites;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run learns from each trial as its journal takes it; {@code sonde report} learns the same from
 * one read of the journal afterwards. Both must come to the same numbers: the live trial is the
 * one the file holds, in the same order. Checked on a run with passes, failures, repeats, two
 * models and a baseline, key by key through {@code results.json}.
 */
class LiveFeedTest {
    @TempDir
    Path dir;

    @Test
    void results_written_from_the_live_trials_equal_those_rendered_from_the_journal_afterwards() throws Exception {
        Path suite = Suites.write(dir.resolve("suites"), "live.yaml", """
                name: live
                emulator: {config: fast.yaml}
                models: [{id: a, model: claude-haiku-4-5, params: {max_tokens: 40}}, {id: b, model: claude-sonnet-4-6}]
                cases:
                  - {id: one, prompt: "Tell me about harbours", assert: [{type: contains, value: " "}]}
                  - {id: two, prompt: "Tell me about bridges", assert: [{type: contains, value: "zebra-unlikely"}]}
                  - {id: three, prompt: "Tell me about rivers", assert: [{type: regex, value: "^[A-Z]"}]}
                run: {repeat: 3, concurrency: 4}
                baseline: {}
                """);
        SecretEchoTest.Run first = SecretEchoTest.run(Map.of(), "run", suite.toString(), "-q", "--out",
                dir.resolve("first").toString(), "--update-baseline");
        assertThat(first.exit()).as(first.err()).isEqualTo(Main.CHECK_FAILED);
        Path out = dir.resolve("second");
        SecretEchoTest.Run second = SecretEchoTest.run(Map.of(), "run", suite.toString(), "-q", "--out", out.toString());
        assertThat(second.exit()).as(second.err()).isEqualTo(Main.CHECK_FAILED);
        JsonNode live = Journal.JSON.readTree(out.resolve("results.json").toFile());

        SecretEchoTest.Run report = SecretEchoTest.run(Map.of(), "report", out.toString(), "--format", "json");
        assertThat(report.exit()).as(report.err()).isZero();
        JsonNode reread = Journal.JSON.readTree(out.resolve("results.json").toFile());

        assertThat(live.at("/summary/total/trials").asInt()).isEqualTo(18);
        assertThat(live.at("/summary/total/failed").asInt()).isGreaterThanOrEqualTo(6);
        assertThat(live.path("aggregates").path("cases").size()).isEqualTo(3);
        List<String> differences = new ArrayList<>();
        compare("", live, reread, differences);
        assertThat(differences).isEmpty();
    }

    /** Every path where the two trees differ: a missing key, another value, a number off by more than 1e-9 relative. */
    private static void compare(String path, JsonNode a, JsonNode b, List<String> out) {
        if (a.isNumber() && b.isNumber()) {
            double x = a.asDouble();
            double y = b.asDouble();
            if (Math.abs(x - y) > 1e-9 * Math.max(1, Math.max(Math.abs(x), Math.abs(y)))) {
                out.add(path + ": " + a + " vs " + b);
            }
            return;
        }
        if (a.isObject() && b.isObject()) {
            for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!b.has(k)) {
                    out.add(path + "/" + k + ": only live");
                } else {
                    compare(path + "/" + k, a.get(k), b.get(k), out);
                }
            }
            for (Iterator<String> it = b.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!a.has(k)) {
                    out.add(path + "/" + k + ": only re-read");
                }
            }
            return;
        }
        if (a.isArray() && b.isArray() && a.size() == b.size()) {
            for (int i = 0; i < a.size(); i++) {
                compare(path + "/" + i, a.get(i), b.get(i), out);
            }
            return;
        }
        if (!a.equals(b)) {
            out.add(path + ": " + a + " vs " + b);
        }
    }
}
