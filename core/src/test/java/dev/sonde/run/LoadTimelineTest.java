package dev.sonde.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sonde.journal.LoadRecord;
import dev.sonde.journal.TrialError;
import dev.sonde.journal.TrialResult;
import dev.sonde.metrics.TimingsMillis;
import dev.sonde.suite.LoadSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The run per second from fixed journal records: a probe of 300 ms, then step 0 (three requests
 * one after another, the last done at 2.6 s) and step 1 (one request of 3.5 s beside a short
 * success and an error), so step 0 starts at 0.3 s and step 1 at 0.3 + 2.6 = 2.9 s.
 */
class LoadTimelineTest {
    private static final LoadSpec SPEC = new LoadSpec("closed", List.of(1, 2), List.of(), false, Duration.ofSeconds(2),
            Duration.ZERO, 1000, 1000, new LoadSpec.Slo(150.0, null, null), 1, 0.05);

    private static int n;

    private static TrialResult request(int step, double sentMs, double doneMs, Double ttftMs) {
        TrialResult.Builder b = TrialResult.builder("t" + n++, "a", "h", "claude-haiku-4-5", 0).pass(ttftMs != null)
                .attempts(1).load(new LoadRecord(step, sentMs, sentMs, doneMs, true, true));
        if (ttftMs == null) {
            b.error(new TrialError("server_error", 500, "api_error", "boom"));
        } else {
            b.timings(new TimingsMillis(ttftMs, ttftMs, ttftMs, doneMs - sentMs, new double[0], 1, null, null));
        }
        return b.build();
    }

    private static List<TrialResult> journal() {
        return List.of(request(LoadRunner.PROBE_STEP, 0, 300, 120.0),
                request(0, 0, 500, 100.0), request(0, 500, 1500, 100.0), request(0, 1500, 2600, 100.0),
                request(1, 0, 3500, 100.0), request(1, 100, 900, 200.0), request(1, 0, 1200, null));
    }

    private static LoadTimeline fold(List<TrialResult> records) {
        LoadTimeline.Fold fold = LoadTimeline.fold(SPEC);
        records.forEach(fold);
        return fold.timeline();
    }

    private static LoadTimeline.Second at(LoadTimeline t, int step, int k) {
        return t.seconds().stream().filter(s -> s.step() == step).toList().get(k);
    }

    @Test
    void steps_are_laid_end_to_end_each_starting_when_the_last_request_before_it_finished() {
        LoadTimeline t = fold(journal());

        assertThat(t.stepStartsS()).containsExactly(0.3, 2.9);
        assertThat(t.seconds()).extracting(LoadTimeline.Second::tS)
                .containsExactly(0.0, 0.3, 1.3, 2.3, 2.9, 3.9, 4.9, 5.9);
        assertThat(t.seconds()).extracting(LoadTimeline.Second::widthS)
                .containsExactly(0.3, 1.0, 1.0, 0.6, 1.0, 1.0, 1.0, 0.5);
    }

    @Test
    void counts_each_request_where_it_started_and_where_it_finished() {
        LoadTimeline t = fold(journal());

        assertThat(at(t, 0, 0)).extracting(LoadTimeline.Second::started, LoadTimeline.Second::finished)
                .containsExactly(2L, 1L);
        assertThat(at(t, 0, 2)).extracting(LoadTimeline.Second::started, LoadTimeline.Second::finished)
                .containsExactly(0L, 1L);
        LoadTimeline.Second first = at(t, 1, 0);
        assertThat(first.started()).isEqualTo(3);
        assertThat(first.ok()).isEqualTo(1);
        assertThat(at(t, 1, 1).errors()).isEqualTo(1);
        assertThat(at(t, 1, 1).ok()).isZero();
        long finished = t.seconds().stream().mapToLong(LoadTimeline.Second::finished).sum();
        assertThat(finished).as("every journaled request finishes once").isEqualTo(journal().size());
    }

    @Test
    void in_flight_is_the_time_requests_spent_in_each_second_over_its_width() {
        LoadTimeline t = fold(journal());

        // step 0: one request at a time throughout, the last second 0.6 s wide
        assertThat(List.of(at(t, 0, 0), at(t, 0, 1), at(t, 0, 2))).extracting(LoadTimeline.Second::inFlight).containsExactly(1.0, 1.0, 1.0);
        // step 1: the 3.5 s request whole in seconds 1 and 2 (the difference count), half of second 3
        assertThat(List.of(at(t, 1, 0), at(t, 1, 1), at(t, 1, 2), at(t, 1, 3)))
                .extracting(LoadTimeline.Second::inFlight).containsExactly(2.8, 1.2, 1.0, 1.0);
    }

    @Test
    void goodput_and_ttft_per_second_are_those_of_the_successes_that_finished_in_it() {
        LoadTimeline t = fold(journal());

        LoadTimeline.Second first = at(t, 1, 0);
        assertThat(first.ttftN()).isEqualTo(1);
        assertThat(first.ttftP50Ms()).as("HdrHistogram, 3 significant digits").isCloseTo(200.0, within(0.2));
        assertThat(first.good()).as("200 ms misses the 150 ms TTFT bound").isZero();
        LoadTimeline.Second last = at(t, 1, 3);
        assertThat(last.good()).isEqualTo(1);
        assertThat(last.ttftP99Ms()).isCloseTo(100.0, within(0.1));
        assertThat(at(t, 1, 1).ttftP50Ms()).as("a second without successes has no TTFT").isNull();
    }

    @Test
    void the_order_of_the_journal_does_not_matter() {
        List<TrialResult> shuffled = new ArrayList<>(journal());
        Collections.shuffle(shuffled, new Random(3));
        assertThat(fold(shuffled)).isEqualTo(fold(journal()));
    }

    @Test
    void impossible_times_are_left_out_and_counted_and_other_steps_ignored() {
        List<TrialResult> records = new ArrayList<>(journal());
        records.add(request(0, 900, 100, 100.0)); // done before sent
        records.add(request(0, 0, Double.NaN, 100.0));
        records.add(request(0, -5, 10, 100.0));
        records.add(request(1, 0, LoadTimeline.MAX_STEP_SECONDS * 1000.0, 100.0)); // a day: no bins allocated for it
        records.add(request(7, 0, 100, 100.0)); // a step the spec does not have

        LoadTimeline t = fold(records);

        assertThat(t.skipped()).isEqualTo(4);
        assertThat(t).usingRecursiveComparison().ignoringFields("skipped").isEqualTo(fold(journal()));
    }
}
