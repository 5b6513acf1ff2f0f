package dev.sonde.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The load's set of case ids refuses exactly the ids it has already seen. */
class CaseIdsTest {
    @Test
    void two_hundred_thousand_ids_go_in_once_each_and_a_second_of_any_is_refused() {
        CaseIds ids = new CaseIds();
        Set<String> exact = new HashSet<>();
        for (int i = 0; i < 200_000; i++) {
            String id = (i % 3 == 0 ? "case-" : i % 3 == 1 ? "c-" : "row.") + Integer.toString(i, i % 2 == 0 ? 10 : 36);
            assertThat(ids.add(id)).as(id).isEqualTo(exact.add(id));
        }
        assertThat(ids).hasSize(exact.size());
        for (String id : exact) {
            assertThat(ids.add(id)).as(id).isFalse();
            assertThat(ids.contains(id)).isTrue();
        }
        assertThat(ids.contains("case-200000")).isFalse();
        assertThat(ids.contains("")).isFalse();
        assertThat(ids.add("")).isTrue();
        assertThat(ids.add("")).isFalse();
        assertThat(ids.contains(42)).isFalse();
    }
}
