package dev.sonde.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SpliceTest {
    private static final String MARKER = "<!--rows-->";

    @Test
    void the_marker_is_replaced_wherever_the_writes_split_it_and_near_misses_pass_through() throws Exception {
        String page = "<html><!--row<p>a < b<!--rows--></p><!<!--rows-->x<!--rows-";
        String expected = "<html><!--row<p>a < b[ROWS]</p><![ROWS]x<!--rows-";
        Random random = new Random(3);
        for (int attempt = 0; attempt < 200; attempt++) {
            StringWriter out = new StringWriter();
            Splice splice = new Splice(out, MARKER, w -> w.write("[ROWS]"));
            for (int at = 0; at < page.length(); ) {
                int n = Math.min(page.length() - at, random.nextInt(6));
                if (n == 1 && random.nextBoolean()) {
                    splice.write(page.charAt(at)); // one character at a time too
                } else {
                    splice.write(page, at, n);
                }
                at += n;
            }
            splice.close();
            assertThat(out.toString()).isEqualTo(expected);
            assertThat(splice.inserted()).isEqualTo(2);
        }
    }

    @Test
    void a_marker_whose_first_character_recurs_is_refused() {
        assertThatThrownBy(() -> new Splice(new StringWriter(), "<a<", w -> {})).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Splice(new StringWriter(), "", w -> {})).isInstanceOf(IllegalArgumentException.class);
    }
}
