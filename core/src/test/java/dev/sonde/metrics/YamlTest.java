package dev.sonde.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one YAML reader gives SnakeYAML's answers (tokens, values, line and column of each, errors
 * and where they are) from its linear reader, takes documents past SnakeYAML's 3 MB default, and the
 * bounded streams refuse what passes their limits.
 */
@Tag("hostile")
class YamlTest {
    @TempDir
    Path dir;

    /** Every token with its text and position, or the error and its position. */
    private static List<String> trace(YAMLFactory factory, String text) throws IOException {
        List<String> out = new ArrayList<>();
        try (JsonParser p = factory.createParser(text)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                JsonLocation at = p.currentTokenLocation();
                out.add(t + " " + p.getText() + " @" + at.getLineNr() + ":" + at.getColumnNr() + "/" + at.getCharOffset());
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            out.add("error " + e.getOriginalMessage().lines().toList() + " @" + (at == null ? "-" : at.getLineNr() + ":"
                    + at.getColumnNr()));
        }
        return out;
    }

    @Test
    void the_linear_reader_answers_as_snakeyamls_own() throws IOException {
        String wide = "😀".repeat(3_000); // surrogate pairs across the reader's chunk boundaries
        String[] documents = {
            "name: x\nlist:\n  - a\n  - \"b c\"\n  - 'd''e'\nblock: |\n  one\n  two\nfolded: >\n  three\n  four\n",
            "k: " + "v".repeat(20_000) + "\nother: " + wide + "\n\r\nwin: crlf\r\nend: 1\n",
            "\uFEFFbom: first\nflow: {a: 1, b: [2, 3]}\n# comment\nquoted: \"tab\\tand \\u00e9\"\n",
            "bad: [unclosed\nnext: 1\n",
            "key: value\n  indented: wrong\n",
            "ctrl: a\u0001b\n",
            "x: " + "y".repeat(9_000) + "\u0007\n",
        };
        YAMLFactory snake = new YAMLFactory();
        YAMLFactory linear = Yaml.factory();
        for (String doc : documents) {
            assertThat(trace(linear, doc)).as(doc.length() > 80 ? doc.substring(0, 80) : doc).isEqualTo(trace(snake, doc));
        }
    }

    @Test
    void a_document_past_snakeyamls_3_mb_default_is_read() throws IOException {
        String big = "text: " + "a ".repeat(2_000_000) + "\n"; // 4 MB
        assertThat(Yaml.mapper().build().readTree(big).path("text").asText()).hasSize(3_999_999);
        assertThatThrownBy(() -> new YAMLMapper().readTree(big))
                .as("SnakeYAML's default").hasMessageContaining("exceeds the limit");
    }

    @Test
    void a_bounded_stream_refuses_a_line_or_a_total_past_its_limit_naming_the_line() throws IOException {
        byte[] text = "one\ntwo\nthree-is-long\n".getBytes(StandardCharsets.US_ASCII);
        InputStream lines = BoundedInput.of(new ByteArrayInputStream(text), "f.jsonl", 1000, 8);
        assertThatThrownBy(lines::readAllBytes).isInstanceOf(BoundedFiles.Refused.class)
                .hasMessage("f.jsonl:3: a line of more than 8 bytes");
        InputStream total = BoundedInput.of(new ByteArrayInputStream(text), "answer", 10, Long.MAX_VALUE);
        assertThatThrownBy(total::readAllBytes).isInstanceOf(BoundedFiles.Refused.class)
                .hasMessage("answer: more than 10 bytes");
        assertThat(BoundedInput.of(new ByteArrayInputStream(text), "fits", text.length, 13).readAllBytes()).isEqualTo(text);
    }

    @Test
    void a_pricing_table_that_is_not_a_regular_file_is_one_line_naming_it() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("prices.yaml"));
        assertThatThrownBy(() -> PricingTable.defaults().extendedBy(folder))
                .hasMessage("pricing file " + folder + " is not a regular file (a folder, device or pipe)");
    }
}
