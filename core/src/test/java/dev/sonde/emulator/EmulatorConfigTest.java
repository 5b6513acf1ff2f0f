package dev.sonde.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmulatorConfigTest {
    @TempDir
    Path dir;

    @Test
    void loads_a_standalone_config_with_rules_relative_to_the_file() throws Exception {
        Files.createDirectories(dir.resolve("sub"));
        Path config = dir.resolve("sub/emulator.yaml");
        Files.writeString(config, """
                port: 8089
                seed: 42
                accepted_keys: [sk-local]
                rules: [rules.yaml]
                latency:
                  - {model: "claude-haiku-*", ttft_base_ms: 300, prefill_us_per_token: 10, output_tokens_per_second: 150, jitter_sigma: 0.2}
                """);
        EmulatorConfig loaded = EmulatorConfig.load(config);
        assertThat(loaded.port()).isEqualTo(8089);
        assertThat(loaded.seed()).isEqualTo(42);
        assertThat(loaded.acceptedKeys()).containsExactly("sk-local");
        assertThat(loaded.rules()).containsExactly(dir.resolve("sub/rules.yaml").toAbsolutePath());
        assertThat(loaded.latency()).containsExactly(new LatencyProfile("claude-haiku-*", 300, 10, 150, 0.2));
        assertThat(loaded.toBuilder().port(0).build().port()).isZero();
        assertThat(loaded.toBuilder().port(0).build().acceptedKeys()).containsExactly("sk-local");
    }

    @Test
    void unknown_keys_and_bad_values_are_reported_with_their_place() throws Exception {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, "prot: 1\n");
        assertThatThrownBy(() -> EmulatorConfig.load(config)).hasMessageContaining("prot: unknown key");
        Files.writeString(config, "latency:\n  - {model: x, ttft_base_ms: -1}\n");
        assertThatThrownBy(() -> EmulatorConfig.load(config)).hasMessageContaining("latency[0]")
                .hasMessageContaining(">= 0");
        Files.writeString(config, "latency:\n  - {model: x, ttft: 1}\n");
        assertThatThrownBy(() -> EmulatorConfig.load(config)).hasMessageContaining("latency[0].ttft: unknown key");
    }

    @Test
    void a_malformed_rules_file_fails_start() throws Exception {
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, "rules:\n  - reply: {error: {status: 200}}\n");
        EmulatorConfig config = EmulatorConfig.builder().rules(java.util.List.of(rules)).build();
        assertThatThrownBy(() -> Emulator.start(config)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("rules[0].reply.error.status");
    }
}
