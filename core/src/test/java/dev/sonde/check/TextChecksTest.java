package dev.sonde.check;

import static dev.sonde.check.Fixtures.check;
import static dev.sonde.check.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TextChecksTest {

    @Test
    void equals_compares_a_mapping_value_as_json_with_the_parsed_output() throws Exception {
        Check c = check("{type: equals, value: {a: 1, b: [x, {c: true}]}}");
        assertThat(c.evaluate(text(" {\"b\": [\"x\", {\"c\": true}], \"a\": 1.0}\n").build(), null).pass())
                .as("keys in any order, numbers by value").isTrue();
        CheckResult other = c.evaluate(text("{\"a\": 2, \"b\": [\"x\", {\"c\": true}]}").build(), null);
        assertThat(other.pass()).isFalse();
        assertThat(other.reason()).startsWith("expected JSON equal to ");
        assertThat(c.evaluate(text("```json\n{\"a\": 1}\n```").build(), null).reason()).contains("the output is not JSON");
        assertThat(c.evaluate(text("{\"a\": 1, \"b\": [\"x\", {\"c\": true}]} trailing").build(), null).pass()).isFalse();
        assertThat(check("{type: not-equals, value: {a: 1}}").evaluate(text("{\"a\": 1}").build(), null).pass()).isFalse();
        assertThat(check("{type: equals, value: [Paris, Rome]}").evaluate(text("Rome").build(), null).pass())
                .as("a list stays any of").isTrue();
    }

    @Test
    void levenshtein_allows_five_edits_without_max_distance() throws Exception {
        assertThat(check("{type: levenshtein, value: abcdefgh}").evaluate(text("abcdefgh12345").build(), null).pass()).isTrue();
        assertThat(check("{type: levenshtein, value: abcdefgh}").evaluate(text("abcdefgh123456").build(), null).reason())
                .startsWith("edit distance more than 5 from");
    }

    @Test
    void contains_any_names_what_it_found_and_contains_all_names_what_is_missing() throws Exception {
        var answer = text("Refund approved; ticket closed.").build();

        CheckResult any = check("{type: contains-any, value: [escalated, closed, approved]}").evaluate(answer, null);
        CheckResult all = check("{type: contains-all, value: [approved, escalated, closed, reopened]}").evaluate(answer, null);

        assertThat(any.pass()).isTrue();
        assertThat(any.reason()).isEqualTo("contains \"closed\", \"approved\" (any of 3)");
        assertThat(all.pass()).isFalse();
        assertThat(all.reason()).startsWith("expected to contain \"escalated\", \"reopened\" but the output was");
    }

    @Test
    void icontains_variants_ignore_case_and_plain_contains_does_not() throws Exception {
        var answer = text("TLS handshake failed").build();

        assertThat(check("{type: icontains-all, value: [tls, HANDSHAKE]}").evaluate(answer, null).pass()).isTrue();
        assertThat(check("{type: icontains-any, value: [dns, Failed]}").evaluate(answer, null).pass()).isTrue();
        assertThat(check("{type: contains-any, value: [tls, failed]}").evaluate(answer, null).pass()).isTrue();
        assertThat(check("{type: contains-any, value: [tls, FAILED]}").evaluate(answer, null).pass()).isFalse();
        assertThat(check("{type: contains, value: [TLS, failed]}").evaluate(answer, null).pass()).isTrue();
        assertThat(check("{type: contains, value: [TLS, dns]}").evaluate(answer, null).pass()).isFalse();
    }

    @Test
    void equals_and_affixes_with_a_list_accept_any_one_value() throws Exception {
        var answer = text(" negative \n").build();

        assertThat(check("{type: equals, value: [positive, negative]}").evaluate(answer, null).pass()).isTrue();
        assertThat(check("{type: equals, value: [positive, neutral]}").evaluate(answer, null).reason())
                .isEqualTo("expected to equal one of \"positive\", \"neutral\" but the output was \"negative\"");
        assertThat(check("{type: starts-with, value: [pos, neg]}").evaluate(answer, null).pass()).isTrue();
        assertThat(check("{type: ends-with, value: [ive, ral]}").evaluate(answer, null).pass()).isTrue();
        assertThat(check("{type: ends-with, value: Negative}").evaluate(answer, null).pass()).isFalse();
    }

    @Test
    void regex_finds_anywhere_requires_every_pattern_and_quotes_the_match() throws Exception {
        var answer = text("Order #4521 shipped on 2026-11-20.").build();

        CheckResult r = check("{type: regex, value: ['#\\d+', '\\d{4}-\\d{2}-\\d{2}']}").evaluate(answer, null);
        assertThat(r.pass()).isTrue();
        assertThat(r.reason()).isEqualTo("expected to match 2 patterns, matched \"#4521\"");
        assertThat(check("{type: regex, value: ['#\\d+', 'delivered']}").evaluate(answer, null).reason())
                .startsWith("expected to match \"delivered\" but the output was");
    }

    @Test
    void levenshtein_reports_the_distance_and_compares_stripped_text() throws Exception {
        CheckResult near = check("{type: levenshtein, value: 'colour', max_distance: 1}").evaluate(text(" color\n").build(), null);
        CheckResult exact = check("{type: levenshtein, value: abc, max_distance: 0}").evaluate(text("abc").build(), null);
        CheckResult far = check("{type: levenshtein, value: 'colour', max_distance: 1}").evaluate(text("colors").build(), null);

        assertThat(near.pass()).isTrue();
        assertThat(near.reason()).isEqualTo("edit distance 1 ≤ 1 from \"colour\"");
        assertThat(exact.pass()).isTrue();
        assertThat(far.pass()).isFalse();
        assertThat(far.reason()).isEqualTo("edit distance more than 1 from \"colour\": the output was \"colors\"");
    }

    @Test
    void banded_levenshtein_agrees_with_the_full_table_on_random_strings() {
        Random random = new Random(7);
        for (int trial = 0; trial < 3000; trial++) {
            String a = randomString(random);
            String b = randomString(random);
            int limit = random.nextInt(8);
            int full = fullDistance(a, b);
            assertThat(LevenshteinCheck.distance(a, b, limit)).as("%s / %s / %d", a, b, limit)
                    .isEqualTo(Math.min(full, limit + 1));
        }
    }

    @Test
    void word_and_char_counts_report_the_count_and_the_bound_it_broke() throws Exception {
        var answer = text("  The quick\nbrown   fox  ").build();

        assertThat(check("{type: word-count, min: 4, max: 4}").evaluate(answer, null).reason()).isEqualTo("words 4 in [4, 4]");
        assertThat(check("{type: word-count, max: 3}").evaluate(answer, null).reason()).isEqualTo("words 4 > max 3");
        assertThat(check("{type: word-count, min: 5}").evaluate(answer, null).reason()).isEqualTo("words 4 < min 5");
        assertThat(check("{type: char-count, min: 21}").evaluate(answer, null).reason()).isEqualTo("chars 21 ≥ 21");
        assertThat(check("{type: word-count, max: 0}").evaluate(text("  \n").build(), null).pass()).isTrue();
        assertThat(check("{type: char-count, max: 2}").evaluate(text("👍👍").build(), null).pass()).isTrue();
    }

    private static String randomString(Random random) {
        StringBuilder s = new StringBuilder();
        int n = random.nextInt(12);
        for (int i = 0; i < n; i++) {
            s.append((char) ('a' + random.nextInt(3)));
        }
        return s.toString();
    }

    private static int fullDistance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            for (int j = 0; j <= b.length(); j++) {
                d[i][j] = i == 0 ? j : j == 0 ? i : Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1),
                        d[i - 1][j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
        }
        return d[a.length()][b.length()];
    }
}
