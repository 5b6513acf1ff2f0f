package dev.sonde.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Small suites the engine's tests run offline: two cases on two models against the embedded emulator,
 * answering at once from rules beside them, with a baseline file of their own (its latency gate wide open: these runs time noise, not a model).
 */
final class TinySuites {
    static final String FAST = "latency: [{model: \"*\", ttft_base_ms: 0, prefill_us_per_token: 0, "
            + "output_tokens_per_second: 0, jitter_sigma: 0}]\n";
    static final String RULES = """
            rules:
              - name: capital
                match: {contains: "capital of France"}
                reply: {text: "Paris is the capital of France."}
              - name: greeting
                match: {contains: "Say hello"}
                reply: {text: "hello there"}
            """;

    private TinySuites() {}

    /** {@code dir/NAME.yaml}: cases {@code capital} and {@code greeting} on {@code sonnet} and {@code haiku}. */
    static Path passing(Path dir, String name) {
        return write(dir, name, "Paris");
    }

    /** As {@link #passing}, but {@code capital} expects Berlin, so it fails on both models. */
    static Path failing(Path dir, String name) {
        return write(dir, name, "Berlin");
    }

    static Path write(Path dir, String name, String capital) {
        return file(dir, name + ".yaml", """
                name: %s
                endpoint: emulator
                emulator: {config: fast.yaml, rules: [rules.yaml]}
                models:
                  - {id: sonnet, model: claude-sonnet-4-6}
                  - {id: haiku, model: claude-haiku-4-5}
                cases:
                  - id: capital
                    prompt: "What is the capital of France?"
                    assert: [{type: contains, value: %s}]
                  - id: greeting
                    prompt: "Say hello"
                    assert: [{type: contains, value: hello}]
                baseline:
                  file: %s-baseline.json
                  gates: {new_failures: {max: 0}, pass_rate: {max_drop: 0.0}, ttft_p95: {max_increase: 1000.0}}
                """.formatted(name, capital, name));
    }

    /** Writes {@code text} as {@code dir/name}, with the emulator's rules and instant config beside it. */
    static Path file(Path dir, String name, String text) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("fast.yaml"), FAST);
            Files.writeString(dir.resolve("rules.yaml"), RULES);
            return Files.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
