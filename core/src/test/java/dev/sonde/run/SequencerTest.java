package dev.sonde.run;

import dev.sonde.journal.SequenceManifest;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.metrics.Clock;
import dev.sonde.metrics.ManualClock;
import dev.sonde.metrics.VirtualClock;
import dev.sonde.suite.Trial;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Sequences: arrivals at their planned gaps, waves sent together, virtual skips and cool-downs, stops. */
class SequencerTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long REQUEST_NANOS = 200_000_000L;

    private static SequenceManifest manifest(boolean virtual) {
        return new SequenceManifest(1, virtual, virtual ? 3601 : 0, List.of(
                new SequenceManifest.Variant("a", null, "1h TTL on system", List.of(new SequenceManifest.Placement("system", "1h")),
                        3, List.of(420.0), 1, true),
                new SequenceManifest.Variant("b", null, "no caching", List.of(), 4, List.of(60.0), 2, false)));
    }

    private static List<Trial> plan() {
        List<Trial> trials = new ArrayList<>();
        dev.sonde.suite.CaseSpec c = new dev.sonde.suite.CaseSpec("c", null, null, null, null, List.of(), List.of(), null,
                null, null);
        dev.sonde.suite.ModelSpec m = new dev.sonde.suite.ModelSpec("m", "claude-sonnet-4-6", "anthropic", true, null, Map.of());
        for (String id : List.of("c/m/a/warmup", "c/m/a/0", "c/m/a/1", "c/m/a/2", "c/m/b/0", "c/m/b/1", "c/m/b/2", "c/m/b/3")) {
            String[] parts = id.split("/");
            int index = parts[3].equals("warmup") ? -1 : Integer.parseInt(parts[3]);
            trials.add(new Trial(id, c, m, index, null, Map.of(), parts[2]));
        }
        return trials;
    }

    /** Runs the plan; each send of sequence a takes {@value #REQUEST_NANOS} ns on the base clock. */
    private static Map<String, Long> sendTimes(ManualClock base, Clock seen, VirtualClock virtual) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        new Sequencer(base, virtual, manifest(virtual != null)).run(plan(), (t, queued) -> {
            sentAt.put(t.id(), seen.nanoTime());
            if (t.id().contains("/a/")) {
                base.sleepNanos(REQUEST_NANOS);
            }
        }, (t, why) -> { }, new AtomicReference<>());
        return sentAt;
    }

    @Test
    void offline_gaps_and_cool_downs_are_skipped_on_the_virtual_clock_only() throws Exception {
        ManualClock base = new ManualClock();
        VirtualClock virtual = new VirtualClock(base);
        Map<String, Long> at = sendTimes(base, virtual, virtual);
        assertThat(at.get("c/m/a/warmup")).isZero();
        assertThat(at.get("c/m/a/0")).isEqualTo(420 * SECOND);
        assertThat(at.get("c/m/a/1")).isEqualTo(840 * SECOND);
        assertThat(at.get("c/m/a/2")).isEqualTo(1260 * SECOND);
        long bStart = 1260 * SECOND + REQUEST_NANOS + 3601 * SECOND;
        assertThat(at.get("c/m/b/0")).isEqualTo(bStart);
        assertThat(at.get("c/m/b/1")).isEqualTo(bStart);
        assertThat(at.get("c/m/b/2")).isEqualTo(bStart + 60 * SECOND);
        assertThat(at.get("c/m/b/3")).isEqualTo(bStart + 60 * SECOND);
        assertThat(base.nanoTime()).as("only the requests took base time").isEqualTo(4 * REQUEST_NANOS);
    }

    @Test
    void live_gaps_are_slept_and_sequences_follow_each_other() throws Exception {
        ManualClock base = new ManualClock();
        Map<String, Long> at = sendTimes(base, base, null);
        assertThat(at.get("c/m/a/0")).isEqualTo(420 * SECOND);
        assertThat(at.get("c/m/a/2")).isEqualTo(1260 * SECOND);
        assertThat(at.get("c/m/b/0")).isEqualTo(1260 * SECOND + REQUEST_NANOS);
        assertThat(at.get("c/m/b/3")).isEqualTo(1320 * SECOND + REQUEST_NANOS);
    }

    @Test
    @Tag("hostile")
    void a_stop_during_a_live_gap_ends_the_wait_at_once_and_skips_the_rest() throws Exception {
        AtomicReference<String> stop = new AtomicReference<>();
        List<String> sent = Collections.synchronizedList(new ArrayList<>());
        List<String> skipped = Collections.synchronizedList(new ArrayList<>());
        List<Long> slept = Collections.synchronizedList(new ArrayList<>());
        ManualClock base = new ManualClock();
        Clock live = new Clock() { // a signal arrives while the sequencer sleeps its first 420 s gap
            @Override
            public long nanoTime() {
                return base.nanoTime();
            }

            @Override
            public java.time.Instant now() {
                return base.now();
            }

            @Override
            public void sleepNanos(long nanos) {
                slept.add(nanos);
                base.sleepNanos(nanos);
                stop.compareAndSet(null, "interrupted (SIGINT)");
            }
        };
        new Sequencer(live, null, manifest(false)).run(plan(), (t, q) -> sent.add(t.id()),
                (t, why) -> skipped.add(t.id() + ": " + why), stop);
        assertThat(sent).containsExactly("c/m/a/warmup");
        assertThat(slept).as("one poll's worth of the gap, not 420 s").containsExactly(RunStop.POLL_NANOS);
        assertThat(skipped).hasSize(7).allMatch(s -> s.endsWith(": interrupted (SIGINT)"));
    }

    @Test
    void a_stop_skips_everything_not_yet_sent() throws Exception {
        AtomicReference<String> stop = new AtomicReference<>();
        List<String> sent = Collections.synchronizedList(new ArrayList<>());
        List<String> skipped = Collections.synchronizedList(new ArrayList<>());
        ManualClock base = new ManualClock();
        new Sequencer(base, new VirtualClock(base), manifest(true)).run(plan(), (t, q) -> {
            sent.add(t.id());
            stop.set("key rejected");
        }, (t, why) -> skipped.add(t.id() + ": " + why), stop);
        assertThat(sent).containsExactly("c/m/a/warmup");
        assertThat(skipped).hasSize(7).allMatch(s -> s.endsWith(": key rejected"));
    }
}
