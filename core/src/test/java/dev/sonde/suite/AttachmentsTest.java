package dev.sonde.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttachmentsTest {
    @TempDir
    Path dir;

    private Path suite(String block) throws Exception {
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, """
                name: vision
                models: [{id: m, model: claude-sonnet-4-6}]
                cases:
                  - id: look
                    messages:
                      - role: user
                        content:
                          - %s
                          - {type: text, text: "What colour is this?"}
                """.formatted(block));
        return f;
    }

    private static byte[] png() throws Exception {
        BufferedImage img = new BufferedImage(2, 2, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, 0xFF0000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    @Test
    void an_image_file_becomes_a_base64_block_with_the_media_type_from_its_bytes() throws Exception {
        byte[] bytes = png();
        Files.createDirectories(dir.resolve("img"));
        Files.write(dir.resolve("img/red.jpg"), bytes); // the name lies; the bytes decide
        Suite s = SuiteLoader.load(suite("{type: image, file: img/red.jpg}"));

        JsonNode block = Plan.expand(s).get(0).body().at("/messages/0/content/0");
        assertThat(block.has("file")).isFalse();
        assertThat(block.at("/source/type").asText()).isEqualTo("base64");
        assertThat(block.at("/source/media_type").asText()).isEqualTo("image/png");
        assertThat(Base64.getDecoder().decode(block.at("/source/data").asText())).isEqualTo(bytes);
    }

    @Test
    void a_pdf_becomes_a_document_block_and_mismatches_missing_files_and_unknown_bytes_are_load_errors() throws Exception {
        Files.writeString(dir.resolve("a.pdf"), "%PDF-1.4\n%%EOF\n");
        Suite s = SuiteLoader.load(suite("{type: document, file: a.pdf}"));
        assertThat(Plan.expand(s).get(0).body().at("/messages/0/content/0/source/media_type").asText())
                .isEqualTo("application/pdf");

        Path wrongKind = suite("{type: image, file: a.pdf}");
        assertThatThrownBy(() -> SuiteLoader.load(wrongKind))
                .isInstanceOf(SuiteException.class)
                .hasMessageContaining(":8:13: cases[0].messages[0].content[0].file: ")
                .hasMessageContaining("is application/pdf: use a document block");
        Path missing = suite("{type: image, file: nope.png}");
        assertThatThrownBy(() -> SuiteLoader.load(missing)).hasMessageContaining("cannot read");
        Files.writeString(dir.resolve("notes.png"), "just text");
        Path text = suite("{type: image, file: notes.png}");
        assertThatThrownBy(() -> SuiteLoader.load(text)).hasMessageContaining("is not a PNG, JPEG, GIF, WebP or PDF file");
    }

    @Test
    void an_oversized_image_is_refused_at_load() throws Exception {
        byte[] big = new byte[(int) Attachments.MAX_IMAGE_BYTES + 1];
        byte[] head = png();
        System.arraycopy(head, 0, big, 0, head.length);
        Files.write(dir.resolve("big.png"), big);
        Path f = suite("{type: image, file: big.png}");
        assertThatThrownBy(() -> SuiteLoader.load(f)).hasMessageContaining("the API takes at most 5242880 for an image");
    }

    @Test
    void a_block_with_both_file_and_source_is_a_load_error_at_the_block() throws Exception {
        Files.write(dir.resolve("red.png"), png());
        Path f = suite("{type: image, file: red.png, source: {type: url, url: \"https://example.com/a.png\"}}");
        assertThatThrownBy(() -> SuiteLoader.load(f)).isInstanceOf(SuiteException.class).hasMessage(f
                + ":8:13: cases[0].messages[0].content[0].file: a block has either 'file' or 'source', not both"
                + " (the file becomes the source)");
    }
}
