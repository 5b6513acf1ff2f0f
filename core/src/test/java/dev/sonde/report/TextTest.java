package dev.sonde.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.check.CheckResult;
import dev.sonde.journal.TrialError;
import dev.sonde.journal.TrialResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextTest {

    @Test
    void xml_safe_replaces_only_characters_xml_1_0_forbids() {
        assertThat(Text.xmlSafe("a\u0000b\u0008c\u000Bd\u001Fe")).isEqualTo("a\uFFFDb\uFFFDc\uFFFDd\uFFFDe");
        assertThat(Text.xmlSafe("tab\tlf\ncr\r<&>\"'é😀")).isEqualTo("tab\tlf\ncr\r<&>\"'é😀");
        assertThat(Text.xmlSafe("lone \uD83D high, lone \uDE00 low, \uFFFE")).isEqualTo("lone \uFFFD high, lone \uFFFD low, \uFFFD");
        assertThat(Text.xmlSafe(null)).isEmpty();
    }

    @Test
    void truncate_never_splits_a_surrogate_pair_and_says_how_much_was_cut() {
        assertThat(Text.truncate("abc", 3)).isEqualTo("abc");
        assertThat(Text.truncate("ab😀cd", 3)).isEqualTo("ab… [truncated: 4 more characters]");
        assertThat(Text.truncate("x".repeat(1_234_567 + 10), 10)).endsWith("[truncated: 1,234,567 more characters]");
    }

    @Test
    void code_spans_become_code_tags_around_text_escaped_first() {
        assertThat(Text.codeSpans("migrate, except `legal-summary` and `a<b>`"))
                .isEqualTo("migrate, except <code>legal-summary</code> and <code>a&lt;b&gt;</code>");
        assertThat(Text.codeSpans("`<script>alert(1)</script>` & <img src=x onerror=alert(2)>"))
                .isEqualTo("<code>&lt;script&gt;alert(1)&lt;/script&gt;</code> &amp; &lt;img src=x onerror=alert(2)&gt;");
        assertThat(Text.codeSpans("`$1 \\1` is literal, a lone ` stays")).isEqualTo("<code>$1 \\1</code> is literal, a lone ` stays");
        assertThat(Text.codeSpans("no pair across\n`lines\n`")).isEqualTo("no pair across\n`lines\n`");
        assertThat(Text.codeSpans(null)).isEmpty();
    }

    @Test
    void one_line_folds_line_breaks() {
        assertThat(Text.oneLine(" a\r\nb\n\nc ")).isEqualTo("a ⏎ b ⏎ c");
    }

    @Test
    void why_not_names_the_error_or_every_failed_check() {
        TrialResult failed = trial(null, List.of(CheckResult.pass("a", "ok"), CheckResult.fail("b", "no b"),
                CheckResult.fail("c", "no c")));
        assertThat(Text.whyNot(failed)).isEqualTo("b: no b; c: no c");
        TrialResult errored = trial(new TrialError("overloaded", 529, "overloaded_error", "busy"), List.of());
        assertThat(Text.whyNot(errored)).isEqualTo("overloaded (529 overloaded_error): busy");
        assertThat(Text.whyNot(trial(null, List.of()))).isEqualTo("failed (no failing check recorded)");
    }

    private static TrialResult trial(TrialError error, List<CheckResult> checks) {
        return TrialResult.builder("t", "case", "m", "m-id", 0).error(error).unpriced(true).checks(checks).attempts(1)
                .build();
    }
}
