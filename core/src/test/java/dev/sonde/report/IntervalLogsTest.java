package dev.sonde.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.journal.RunInfo;
import dev.sonde.journal.TrialResult;
import dev.sonde.testing.LoadRuns;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogProcessor;
import org.HdrHistogram.HistogramLogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A benchmark's HdrHistogram interval log, read back with HdrHistogram's own reader and log processor. */
class IntervalLogsTest {
    @TempDir
    Path dir;

    private static final RunInfo INFO = new RunInfo("bench", "suites/bench.yaml", "bench-1", "emulator", false,
            LoadRuns.START, null, 0, 0, 0, List.of(), null, "test", "21");

    private Path write(List<TrialResult> trials) throws Exception {
        IntervalLogs logs = IntervalLogs.begin(INFO, dir);
        trials.forEach(logs::add);
        return logs.finish();
    }

    /** tag → second → count, as HdrHistogram's reader reads the file. */
    private static Map<String, TreeMap<Long, Long>> read(Path file) throws Exception {
        Map<String, TreeMap<Long, Long>> out = new TreeMap<>();
        try (HistogramLogReader reader = new HistogramLogReader(file.toFile())) {
            for (EncodableHistogram h; (h = reader.nextIntervalHistogram()) != null; ) {
                assertThat(reader.getStartTimeSec()).isEqualTo(LoadRuns.START.getEpochSecond());
                long second = Math.round(h.getStartTimeStamp() / 1000.0) - LoadRuns.START.getEpochSecond();
                out.computeIfAbsent(h.getTag(), t -> new TreeMap<>()).merge(second, ((Histogram) h).getTotalCount(),
                        Long::sum);
            }
        }
        return out;
    }

    @Test
    void each_step_and_metric_is_a_tag_holding_exactly_the_measured_successes_by_second_of_completion() throws Exception {
        List<TrialResult> trials = LoadRuns.requests(1, 0, 0);
        Map<String, TreeMap<Long, Long>> log = read(write(trials));

        assertThat(log.keySet()).containsExactly("e2e.step0", "e2e.step1", "itl.step0", "itl.step1", "response.step0",
                "response.step1", "ttft.step0", "ttft.step1");
        for (int step = 0; step < 2; step++) {
            TreeMap<Long, Long> expected = new TreeMap<>();
            for (TrialResult t : trials) {
                if (t.load().step() == step && t.load().measured() && t.error() == null) {
                    // completion on the run's clock: the step's start (3.5 s apart) plus done_ms
                    long second = (long) Math.floor((step * LoadRuns.STEP_EVERY_MS + t.load().doneMs()) / 1000);
                    expected.merge(second, 1L, Long::sum);
                }
            }
            assertThat(expected).isNotEmpty();
            assertThat(log.get("ttft.step" + step)).as("step " + step).isEqualTo(expected);
            assertThat(log.get("response.step" + step)).isEqualTo(expected);
            // three gaps per request
            assertThat(log.get("itl.step" + step).values().stream().mapToLong(Long::longValue).sum())
                    .isEqualTo(3 * expected.values().stream().mapToLong(Long::longValue).sum());
        }
        // the warm-up (step 0 completes its measured requests from second 1 on) and the probe are in no interval
        assertThat(log.get("ttft.step0").firstKey()).isEqualTo(1L);
    }

    @Test
    void values_are_microseconds_and_hdrhistograms_log_processor_reads_the_file_by_tag() throws Exception {
        List<TrialResult> trials = LoadRuns.requests(1, 0, 0);
        Path file = write(trials);
        long successes = trials.stream().filter(t -> t.load().step() == 1 && t.load().measured() && t.error() == null)
                .count();
        double maxTtftMs = trials.stream().filter(t -> t.load().step() == 1 && t.load().measured() && t.error() == null)
                .mapToDouble(t -> t.timings().ttftMs()).max().orElseThrow();

        Path out = dir.resolve("ttft1");
        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            new HistogramLogProcessor(new String[] {"-i", file.toString(), "-o", out.toString(), "-tag", "ttft.step1",
                    "-outputValueUnitRatio", "1000"}).run();
        } finally {
            System.setOut(stdout);
        }
        String distribution = Files.readString(Path.of(out + ".hgrm"));
        assertThat(distribution).containsPattern("Total count\\s+=\\s+" + successes + "\\b");
        // the largest value, back in milliseconds (to HdrHistogram's 3 significant digits)
        java.util.regex.Matcher max = java.util.regex.Pattern.compile("Max\\s+=\\s+([0-9.]+)").matcher(distribution);
        assertThat(max.find()).isTrue();
        assertThat(Double.parseDouble(max.group(1))).isCloseTo(maxTtftMs, org.assertj.core.api.Assertions.withinPercentage(0.1));
    }

    @Test
    void a_request_journaled_after_its_second_was_written_is_still_counted_in_its_own_second() throws Exception {
        List<TrialResult> trials = new java.util.ArrayList<>(LoadRuns.requests(1, 0, 0));
        TrialResult early = trials.stream().filter(t -> t.load().step() == 0 && t.load().measured() && t.error() == null)
                .findFirst().orElseThrow();
        trials.remove(early);
        trials.add(early); // journaled last, seconds after its own second was written
        Map<String, TreeMap<Long, Long>> log = read(write(trials));

        long total = log.get("ttft.step0").values().stream().mapToLong(Long::longValue).sum();
        assertThat(total).isEqualTo(trials.stream().filter(t -> t.load().step() == 0 && t.load().measured()
                && t.error() == null).count());
        assertThat(log.get("ttft.step0").firstKey()).isEqualTo(1L);
    }

    @Test
    void an_aborted_log_leaves_no_file() throws Exception {
        IntervalLogs logs = IntervalLogs.begin(INFO, dir);
        LoadRuns.requests(1, 0, 0).forEach(logs::add);
        logs.abort();
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).isEmpty();
        }
    }

    @Test
    void hostile_times_are_left_out_and_a_far_future_second_does_not_hold_every_earlier_one_open() throws Exception {
        TrialResult honest = LoadRuns.requests(1, 0, 0).stream().filter(t -> t.load().measured() && t.error() == null)
                .findFirst().orElseThrow();
        List<TrialResult> trials = new java.util.ArrayList<>();
        // first a request done a day into its step, and one whose TTFT is absurd: neither is a sample
        trials.add(honest.toBuilder().load(new dev.sonde.journal.LoadRecord(0, 0, 1, 1e12, true, true)).build());
        trials.add(honest.toBuilder().timings(new dev.sonde.metrics.TimingsMillis(null, 1e15, null, 5.0, null, 1,
                null, null)).build());
        // one just under a day in (a sample), so every later one falls in an earlier second, held open...
        trials.add(honest.toBuilder().load(new dev.sonde.journal.LoadRecord(0, 0, 1, 86_000_000, true, true)).build());
        // ...then 10,000 requests, each in a second of its own: past 4,096 open seconds the earliest is written
        for (int i = 0; i < 10_000; i++) {
            trials.add(honest.toBuilder().load(new dev.sonde.journal.LoadRecord(0, 0, 1, 1_000.0 * i + 500, true, true))
                    .build());
        }
        IntervalLogs logs = IntervalLogs.begin(INFO, dir);
        trials.forEach(logs::add);
        Map<String, TreeMap<Long, Long>> log = read(logs.finish());

        assertThat(log.get("ttft.step0").values().stream().mapToLong(Long::longValue).sum())
                .as("the day-long request is no sample; the absurd TTFT is left out of ttft alone").isEqualTo(10_001);
        assertThat(log.get("e2e.step0").values().stream().mapToLong(Long::longValue).sum()).isEqualTo(10_002);
        assertThat(log.get("ttft.step0").headMap(10_000L).values()).as("each of the 10,000 in its own second")
                .hasSize(10_000).allMatch(n -> n == 1);
    }
}
