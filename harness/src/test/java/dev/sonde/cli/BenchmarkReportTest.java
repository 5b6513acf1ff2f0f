package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.journal.Journal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A benchmark run on the embedded emulator leaves its interval log beside its results, and
 * {@code sonde report} writes its results, report and interval log again from the journal alone.
 */
class BenchmarkReportTest {
    @TempDir
    Path dir;

    private Path suite() throws Exception {
        Files.writeString(dir.resolve("fast.yaml"), """
                latency:
                  - {model: "claude-*", ttft_base_ms: 5, prefill_us_per_token: 0, output_tokens_per_second: 2000, jitter_sigma: 0}
                """);
        Path f = dir.resolve("bench.yaml");
        Files.writeString(f, """
                name: bench
                models: [{id: h, model: claude-haiku-4-5, params: {max_tokens: 20}}]
                cases:
                  - {id: a, prompt: "Tell me about harbours"}
                load: {mode: closed, concurrency: [1, 2], duration_s: 0.8, warmup_s: 0.2, max_requests: 60}
                emulator: {seed: 7, config: fast.yaml}
                """);
        return f;
    }

    /** tag → samples in the interval log, read with HdrHistogram's own reader. */
    private static Map<String, Long> counts(Path hlog) throws Exception {
        Map<String, Long> out = new TreeMap<>();
        try (HistogramLogReader reader = new HistogramLogReader(hlog.toFile())) {
            for (EncodableHistogram h; (h = reader.nextIntervalHistogram()) != null; ) {
                out.merge(h.getTag(), ((Histogram) h).getTotalCount(), Long::sum);
            }
        }
        return out;
    }

    @Test
    void a_benchmark_writes_an_interval_log_whose_samples_are_its_steps_samples() throws Exception {
        Path out = dir.resolve("out");
        SecretEchoTest.Run r = SecretEchoTest.run(Map.of(), "run", suite().toString(), "--out", out.toString(), "-q");
        assertThat(r.exit()).as(r.out() + r.err()).isZero();

        JsonNode doc = Journal.JSON.readTree(out.resolve("results.json").toFile());
        assertThat(doc.path("interval_log").asText()).isEqualTo("latency.hlog");
        Map<String, Long> counts = counts(out.resolve("latency.hlog"));
        for (int k = 0; k < 2; k++) {
            long n = doc.path("steps").get(k).path("succeeded").asLong();
            assertThat(n).isPositive();
            assertThat(counts.get("ttft.step" + k)).as("step " + k).isEqualTo(n);
            assertThat(counts.get("e2e.step" + k)).isEqualTo(n);
            assertThat(counts.get("response.step" + k)).isEqualTo(n);
        }
        assertThat(Files.readString(out.resolve("latency.hlog"))).contains("#[StartTime: ");
    }

    @Test
    void sonde_report_writes_a_benchmarks_results_report_and_interval_log_again_from_its_journal() throws Exception {
        Path out = dir.resolve("out");
        assertThat(SecretEchoTest.run(Map.of(), "run", suite().toString(), "--out", out.toString(), "-q").exit()).isZero();
        JsonNode before = Journal.JSON.readTree(out.resolve("results.json").toFile());
        String hlog = Files.readString(out.resolve("latency.hlog"));
        Files.delete(out.resolve("report.html"));
        Files.delete(out.resolve("latency.hlog"));
        Files.move(dir.resolve("bench.yaml"), dir.resolve("gone.yaml")); // the suite is not needed

        SecretEchoTest.Run r = SecretEchoTest.run(Map.of(), "report", out.toString());

        assertThat(r.exit()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("json: " + out.resolve("results.json")).contains("html: " + out.resolve("report.html"))
                .contains("hlog: " + out.resolve("latency.hlog"));
        JsonNode after = Journal.JSON.readTree(out.resolve("results.json").toFile());
        assertThat(after.path("steps")).isEqualTo(before.path("steps"));
        assertThat(after.path("load")).isEqualTo(before.path("load"));
        assertThat(after.path("provenance")).isEqualTo(before.path("provenance"));
        assertThat(after.path("knee_step")).isEqualTo(before.path("knee_step"));
        assertThat(Files.readString(out.resolve("latency.hlog"))).isEqualTo(hlog);
        assertThat(Files.readString(out.resolve("report.html"))).contains("bench");
    }
}
