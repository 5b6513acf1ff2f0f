package dev.sonde.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one way tests write suite files: a suite's YAML into a folder, with — when the suite names
 * {@code emulator: {config: fast.yaml}} — the emulator config that answers at once beside it
 * (no time to first token, no prefill or decode time, no jitter), so runs take milliseconds.
 */
public final class Suites {
    /** The file name of the instant emulator config that {@link #write} puts beside a suite. */
    public static final String FAST = "fast.yaml";
    /** The instant emulator config: every model answers with no latency at all. */
    public static final String FAST_CONFIG = "latency: [{model: \"*\", ttft_base_ms: 0, prefill_us_per_token: 0, "
            + "output_tokens_per_second: 0, jitter_sigma: 0}]\n";

    private Suites() {}

    /** Writes {@link #FAST_CONFIG} as {@code dir/fast.yaml} (creating {@code dir}) and returns its path. */
    public static Path fastEmulator(Path dir) {
        try {
            Files.createDirectories(dir);
            return Files.writeString(dir.resolve(FAST), FAST_CONFIG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes {@code dir/suite.yaml}: one model, {@code cases} cases {@code c00}, {@code c01}, … whose
     * prompt is {@code question N} and whose one check is {@code contains: Paris} (what
     * {@link StubServer#messagesStream} answers), sent {@code concurrency} at a time.
     */
    public static Path numbered(Path dir, String name, int cases, int concurrency) {
        StringBuilder yaml = new StringBuilder("name: " + name + "\nmodels: [{id: s, model: claude-sonnet-4-6}]\ncases:\n");
        for (int i = 0; i < cases; i++) {
            yaml.append(String.format("  - {id: c%02d, prompt: \"question %d\", assert: [{type: contains, value: Paris}]}\n", i, i));
        }
        yaml.append("run: {concurrency: ").append(concurrency).append(", timeout_s: 120}\n");
        try {
            Files.createDirectories(dir);
            return Files.writeString(dir.resolve("suite.yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes {@code yaml} as {@code dir/<file>} (creating {@code dir}), and the instant emulator
     * config beside it; returns the suite's path.
     */
    public static Path write(Path dir, String file, String yaml) {
        fastEmulator(dir);
        try {
            return Files.writeString(dir.resolve(file), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
