package dev.sonde.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class Utf8KeysTest {
    /** Characters whose UTF-8 byte order and UTF-16 unit order disagree, and plain ones. */
    private static final String[] PARTS = {"a", "b", "c-1", "c-10", "c-2", "/", "-", ".", "Z", "é", "\uFFFD", "\uE000",
        "😀", "\uD83D\uDE00x", "ß", "", "9", "a/b"};

    @Test
    void keys_come_back_as_added_and_sort_as_strings_do_equal_ones_in_the_order_added() {
        Random random = new Random(7);
        Utf8Keys keys = new Utf8Keys(4); // grows past its first guess
        List<String> added = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            StringBuilder key = new StringBuilder();
            for (int p = random.nextInt(4); p >= 0; p--) {
                key.append(PARTS[random.nextInt(PARTS.length)]);
            }
            added.add(key.toString());
            assertThat(keys.add(key.toString())).isEqualTo(i);
        }
        assertThat(keys.size()).isEqualTo(added.size());
        for (int i = 0; i < added.size(); i++) {
            assertThat(keys.get(i)).isEqualTo(added.get(i));
        }

        int[] order = keys.sortedOrder();
        List<Integer> expected = IntStream.range(0, added.size()).boxed()
                .sorted(Comparator.comparing((Integer i) -> added.get(i)).thenComparing(i -> i)).toList();
        assertThat(IntStream.of(order).boxed().toList()).isEqualTo(expected);

        for (int n = 0; n < 5_000; n++) {
            int i = random.nextInt(added.size());
            int j = random.nextInt(added.size());
            assertThat(Integer.signum(keys.compare(i, j))).as("%s vs %s", added.get(i), added.get(j))
                    .isEqualTo(Integer.signum(added.get(i).compareTo(added.get(j))));
        }
    }

    @Test
    void where_utf8_and_utf16_orders_differ_the_string_order_wins() {
        Utf8Keys keys = new Utf8Keys(0);
        keys.add("x😀"); // U+1F600: UTF-8 F0..., UTF-16 D83D...
        keys.add("x\uFFFD"); // UTF-8 EF..., UTF-16 FFFD: after the surrogate as a string, before it as bytes
        keys.add("x");
        assertThat(keys.compare(0, 1)).isNegative();
        assertThat(keys.compare(2, 0)).isNegative();
        assertThat(keys.sortedOrder()).containsExactly(2, 0, 1);
    }

    @Test
    void a_selection_holds_the_chosen_keys_in_the_order_given() {
        Utf8Keys keys = new Utf8Keys(8);
        for (String k : List.of("zeta", "alpha", "mu", "beta")) {
            keys.add(k);
        }
        Utf8Keys picked = keys.select(new int[] {3, 1, 0, 2}, 2);
        assertThat(picked.size()).isEqualTo(2);
        assertThat(picked.get(0)).isEqualTo("beta");
        assertThat(picked.get(1)).isEqualTo("alpha");
        assertThatThrownBy(() -> picked.get(2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThat(new Utf8Keys(0).sortedOrder()).isEmpty();
    }
}
