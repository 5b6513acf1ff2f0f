package dev.sonde.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OldGenerationTest {
    private static final List<String> SERIAL = List.of("Copy", "MarkSweepCompact");

    @Test
    void only_a_large_plan_on_the_serial_collector_is_compacted() {
        assertThat(OldGeneration.worthIt(SERIAL, OldGeneration.MIN_TRIALS)).isTrue();
        assertThat(OldGeneration.worthIt(SERIAL, 100_000)).isTrue();
        assertThat(OldGeneration.worthIt(SERIAL, OldGeneration.MIN_TRIALS - 1)).as("a small plan").isFalse();
        assertThat(OldGeneration.worthIt(List.of("G1 Young Generation", "G1 Concurrent GC", "G1 Old Generation"), 100_000))
                .as("G1, chosen by the user").isFalse();
        assertThat(OldGeneration.worthIt(List.of("PS Scavenge", "PS MarkSweep"), 100_000)).as("parallel").isFalse();
        assertThat(OldGeneration.worthIt(List.of("ZGC Cycles", "ZGC Pauses"), 100_000)).isFalse();
    }
}
