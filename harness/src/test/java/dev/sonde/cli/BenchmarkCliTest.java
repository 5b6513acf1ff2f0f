package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.emulator.Emulator;
import dev.sonde.emulator.EmulatorConfig;
import dev.sonde.emulator.LatencyProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A benchmark ({@code load:}) end to end: its probe, failed steps, the console and its provenance. */
class BenchmarkCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "sonde-test-key-DO-NOT-LEAK-0123456789abcdef";
    @TempDir
    Path dir;

    private static SecretEchoTest.Run sonde(Map<String, String> env, String... args) {
        return SecretEchoTest.run(env, args);
    }

    private Path suite(String load) throws Exception {
        Files.writeString(dir.resolve("rules.yaml"), """
                rules:
                  - match: {contains: "bridges"}
                    reply: {error: {status: 500}}
                """);
        // fast answers (~15 ms), so even a short window on a loaded machine holds dozens
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
                  - {id: b, prompt: "Tell me about %s"}
                load: %s
                emulator: {seed: 7, rules: [rules.yaml], config: fast.yaml}
                """.formatted(load.contains("bridges") ? "bridges" : "lighthouses", load.replace(" # bridges", "")));
        return f;
    }

    private static EmulatorConfig.Builder fast() {
        return EmulatorConfig.builder().latency(List.of(new LatencyProfile("*", 2, 0, 0, 0)));
    }

    @Test
    void a_rejected_key_stops_a_benchmark_with_a_warm_up_after_one_request_with_exit_3() throws Exception {
        Path s = suite("{mode: closed, concurrency: [4], duration_s: 2, warmup_s: 1}");
        try (Emulator emu = Emulator.start(fast().acceptedKeys(Set.of("sk-the-right-key")).build())) {
            SecretEchoTest.Run r = sonde(Map.of("ANTHROPIC_API_KEY", SECRET), "run", s.toString(), "--endpoint",
                    emu.baseUri().toString(), "--out", dir.resolve("out").toString());

            assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(3);
            assertThat(emu.requestCount()).isEqualTo(1);
            assertThat(r.err().lines().filter(l -> !l.isBlank() && !l.startsWith("sonde: LIVE")).toList())
                    .as("after the live-run banner").singleElement().satisfies(line -> assertThat(line)
                    .startsWith("sonde: benchmark stopped by its probe request").contains("401")
                    .contains(emu.baseUri().toString().replaceAll("/$", "")));
            assertThat(r.out() + r.err()).doesNotContain(SECRET);
        }
    }

    @Test
    void nothing_listening_stops_a_benchmark_with_exit_3() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        SecretEchoTest.Run r = sonde(Map.of("ANTHROPIC_API_KEY", SECRET), "run",
                suite("{mode: open, rate_per_s: 20, duration_s: 1}").toString(), "--endpoint", "http://127.0.0.1:" + port,
                "--out", dir.resolve("out").toString());
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).contains("probe request").contains("unreachable");
    }

    @Test
    void a_step_whose_errors_pass_max_error_rate_fails_the_run_with_exit_1() throws Exception {
        // every request of case b gets a 500: half the requests fail, far past the default 5 %
        Path out = dir.resolve("out");
        SecretEchoTest.Run r = sonde(Map.of(), "run", suite("{mode: closed, concurrency: [2], duration_s: 1, warmup_s: 0.2} # bridges")
                .toString(), "--out", out.toString(), "-q");

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
        assertThat(r.out()).startsWith("FAIL  benchmark: 1 steps").contains("FAILED (errors ").contains("max_error_rate 5.0%");
        JsonNode doc = JSON.readTree(out.resolve("results.json").toFile());
        assertThat(doc.path("passed").asBoolean(true)).isFalse();
        JsonNode step = doc.path("steps").get(0);
        assertThat(step.path("failed").asText()).startsWith("errors ");
        assertThat(step.path("error_rate").asDouble()).isBetween(0.2, 0.8);
        assertThat(step.path("errors_by_class").path("server_error").asLong()).isPositive();
        assertThat(step.path("max_error_rate").asDouble()).isEqualTo(0.05);
        assertThat(step.has("warmup_errors")).isTrue();
    }

    @Test
    void a_healthy_benchmark_exits_0_and_states_its_provenance_on_the_console_and_in_results_json() throws Exception {
        Path out = dir.resolve("out");
        SecretEchoTest.Run r = sonde(Map.of(), "run", suite("{mode: closed, concurrency: [1, 2], duration_s: 0.8, warmup_s: 0.2, "
                + "max_requests: 60, slo: {ttft_ms: 5000}}").toString(), "--out", out.toString(), "-q");

        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(0);
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).startsWith("PASS  benchmark: 2 steps  (emulator").contains("claude-haiku-4-5")
                .contains("seed 7").contains("commit ").contains("started ");
        assertThat(r.out()).contains("slo: ttft ≤ 5,000 ms").contains("step load").contains(" n ").contains("goodput/s")
                .contains("ok, slo met by 100.0%").contains("errors outside the measured windows: 0 finished in a warm-up");
        // a handful of samples per step: the p99 is marked and the mark explained
        assertThat(r.out()).contains("* p99 from fewer than 100 samples");
        JsonNode doc = JSON.readTree(out.resolve("results.json").toFile());
        JsonNode p = doc.path("provenance");
        assertThat(p.path("source").asText()).isEqualTo("emulator");
        assertThat(p.path("emulator_seed").asLong()).isEqualTo(7);
        assertThat(p.path("models").get(0).asText()).isEqualTo("claude-haiku-4-5");
        assertThat(p.path("started_at").asText()).isNotBlank();
        assertThat(p.path("git_commit").asText()).isNotBlank();
        assertThat(doc.path("passed").asBoolean()).isTrue();
        for (JsonNode step : doc.path("steps")) {
            assertThat(step.path("goodput_per_s").asDouble()).isEqualTo(step.path("request_rate_per_s").asDouble());
        }
        assertThat(Files.readString(out.resolve("report.html"))).contains("emulator").contains("seed 7");
    }

    @Test
    void a_max_error_rate_outside_0_to_1_is_one_line_with_its_position_and_exit_2() throws Exception {
        SecretEchoTest.Run r = sonde(Map.of(), "run", suite("{mode: closed, concurrency: 1, duration_s: 1, max_error_rate: 5}")
                .toString(), "--out", dir.resolve("out").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).matches("(?s)[^\\n]*bench\\.yaml:6:\\d+: load\\.max_error_rate[^\\n]*");
    }
}
