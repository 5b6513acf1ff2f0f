package dev.sonde.history.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class WordDiffTest {
    @Test
    void marks_the_changed_words_on_each_side_and_keeps_the_text() {
        WordDiff.Sides d = WordDiff.of("The quick brown fox jumps.", "The slow brown fox jumps!");
        assertThat(changed(d.a())).containsExactly("quick", ".");
        assertThat(changed(d.b())).containsExactly("slow", "!");
        assertThat(join(d.a())).isEqualTo("The quick brown fox jumps.");
        assertThat(join(d.b())).isEqualTo("The slow brown fox jumps!");
    }

    @Test
    void equal_texts_have_nothing_changed() {
        WordDiff.Sides d = WordDiff.of("same  text\nhere", "same  text\nhere");
        assertThat(changed(d.a())).isEmpty();
        assertThat(d.a()).hasSize(1);
        assertThat(join(d.b())).isEqualTo("same  text\nhere");
    }

    @Test
    void an_added_sentence_is_one_insertion() {
        WordDiff.Sides d = WordDiff.of("Paris.", "Paris. It is the capital.");
        assertThat(changed(d.a())).isEmpty();
        assertThat(changed(d.b())).containsExactly(" It is the capital.");
    }

    @Test
    void texts_too_long_to_diff_are_shown_whole_as_changed() {
        String a = "w ".repeat(WordDiff.MAX_TOKENS);
        WordDiff.Sides d = WordDiff.of(a, a + "x");
        assertThat(d.a()).hasSize(1);
        assertThat(d.a().get(0).changed()).isTrue();
        assertThat(join(d.b())).isEqualTo(a + "x");
    }

    private static List<String> changed(List<WordDiff.Segment> s) {
        return s.stream().filter(WordDiff.Segment::changed).map(WordDiff.Segment::text).toList();
    }

    private static String join(List<WordDiff.Segment> s) {
        return s.stream().map(WordDiff.Segment::text).collect(Collectors.joining());
    }
}
