package dev.sonde.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.journal.Journal;
import dev.sonde.journal.TrialResult;
import dev.sonde.analysis.RunSummary;
import dev.sonde.metrics.Timings;
import dev.sonde.metrics.TimingsMillis;
import dev.sonde.metrics.Usage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What every finished trial costs: a journal append (flushed) while the run goes, and its summary
 * update in the analysis pass after it (from the journaled trial, as {@code RunAnalysis} does).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RecordingBenchmark {
    private Journal journal;
    private Path dir;
    private TrialResult result;
    private RunSummary summary;
    private Usage usage;
    private Timings timings;

    @Setup
    public void setup() throws IOException {
        dir = Files.createTempDirectory("sonde-jmh");
        journal = Journal.open(dir.resolve("trials.jsonl"));
        usage = Usage.fromJson(new ObjectMapper().readTree("{\"input_tokens\":812,\"output_tokens\":240,"
                + "\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":1500}"));
        long[] gaps = new long[239];
        java.util.Arrays.fill(gaps, 12_000_000L);
        timings = new Timings(80_000_000L, 400_000_000L, 400_000_000L, 3_300_000_000L, gaps, 240);
        result = TrialResult.builder("capital/sonnet/0", "capital", "sonnet", "claude-sonnet-4-6", 0).pass(true)
                .requestId("req_1").stopReason("end_turn").outputText("The capital of France is Paris. ".repeat(20))
                .timings(TimingsMillis.of(timings, 240)).usage(usage.raw()).costUsd(0.0042).cacheSavingsUsd(0.001)
                .attempts(1).startedAt(Instant.EPOCH).build();
        summary = new RunSummary();
    }

    @TearDown
    public void tearDown() throws IOException {
        journal.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public void journalAppend() throws IOException {
        journal.append(result);
    }

    @Benchmark
    public void summaryAdd() {
        summary.add(result);
    }
}
