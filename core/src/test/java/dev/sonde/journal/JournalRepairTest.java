package dev.sonde.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged line in the middle of a journal is one line naming the file, the line and the repair,
 * whatever the damage; {@link Journal#repair} keeps every intact record byte for byte, sets the
 * damaged lines aside with their numbers and content, and leaves a clean journal untouched.
 */
@Tag("hostile")
class JournalRepairTest {
    @TempDir
    Path dir;

    private static String line(String id) throws Exception {
        return Journal.JSON.writeValueAsString(TrialResult.builder(id, "c", "m", "claude-sonnet-4-6", 0).pass(true)
                .startedAt(Instant.parse("2026-01-01T00:00:00Z")).outputText("Paris, déjà vu").build());
    }

    private static String skippedLine(String id) throws Exception {
        return Journal.JSON.writeValueAsString(TrialResult.skipped(id, "c", "m", "claude-sonnet-4-6", 0,
                Instant.parse("2026-01-01T00:00:00Z"), "budget"));
    }

    private Path journal(byte[]... lines) throws Exception {
        Path run = Files.createDirectories(dir.resolve("run"));
        Path p = run.resolve("trials.jsonl");
        try (var out = Files.newOutputStream(p)) {
            for (byte[] l : lines) {
                out.write(l);
                out.write('\n');
            }
        }
        return p;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void dropLastNewline(Path p) throws Exception {
        byte[] all = Files.readAllBytes(p);
        Files.write(p, java.util.Arrays.copyOf(all, all.length - 1));
    }

    private static List<String> ids(Path p) throws Exception {
        try (Stream<TrialResult> s = Journal.read(p)) {
            return s.map(TrialResult::trialId).toList();
        }
    }

    private static List<JsonNode> aside(Path p) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(JsonlRepair.asideFile(p))) {
            out.add(Journal.JSON.readTree(l));
        }
        return out;
    }

    @Test
    void every_kind_of_damage_in_the_middle_is_one_line_naming_the_file_the_line_and_the_repair() throws Exception {
        String[][] damages = {
            {"not json at all", "not JSON (column 1)"},
            {"{\"trial_id\": \"x\", \"case\": ", "not JSON"},
            {"{\"unrelated\": true}", "not a trial record (no trial_id)"},
            {"{\"trial_id\":\"x\",\"case\":\"c\",\"model\":\"m\"}", "not a trial record (no model_id)"},
            {"[1, 2, 3]", "not a trial record (not a JSON object)"},
            {"null", "not a trial record (null)"},
            {"{\"trial_id\":\"x\",\"case\":\"c\",\"model\":\"m\",\"model_id\":\"i\",\"repeat\":\"sk-ant-api03-secret\"}",
                "not a trial record (repeat cannot be read)"},
            {line("a") + line("b"), "not a trial record (more than one JSON value on the line)"},
        };
        for (String[] d : damages) {
            Path p = journal(b(line("a")), b(d[0]), b(line("b")));
            assertThatThrownBy(() -> ids(p)).as(d[0]).isInstanceOf(UncheckedIOException.class)
                    .cause().isInstanceOf(JournalDamage.class)
                    .hasMessageStartingWith(p + ":2: " + d[1])
                    .hasMessageEndingWith("; run `sonde journal repair " + p.getParent()
                            + "` to keep every intact record and set the damaged lines aside")
                    .hasMessageNotContaining("\n").hasMessageNotContaining("secret");
        }
        Path p = journal(b(line("a")), new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}'}, b(line("b")));
        assertThatThrownBy(() -> ids(p)).cause().hasMessageStartingWith(p + ":2: not valid UTF-8 (byte 3)");
    }

    @Test
    void a_line_past_64_mb_is_damage_read_no_further_than_its_limit_and_a_torn_tail_of_junk_is_cut_at_once()
            throws Exception {
        Path p = journal(b(line("a")));
        long hugeEnd;
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            hugeEnd = f.length() + JsonlLines.MAX_LINE_BYTES + 10; // a hole of zeros: nothing written, nothing held
            f.seek(hugeEnd);
            f.write(b("\n" + line("b") + "\n"));
        }
        assertThatThrownBy(() -> ids(p)).cause()
                .hasMessageStartingWith(p + ":2: longer than 64 MB (" + (JsonlLines.MAX_LINE_BYTES + 10) + " bytes)");

        JsonlRepair.Outcome o = Journal.repair(p);
        assertThat(o.kept()).isEqualTo(2);
        assertThat(o.setAside()).isEqualTo(1);
        assertThat(ids(p)).containsExactly("a", "b");
        JsonNode set = aside(p).get(0);
        assertThat(set.path("line").asLong()).isEqualTo(2);
        assertThat(set.path("bytes").asLong()).isEqualTo(JsonlLines.MAX_LINE_BYTES + 10);
        assertThat(set.path("cut").asBoolean()).isTrue();
        assertThat(set.path("base64").binaryValue()).hasSize(JsonlLines.HEAD_BYTES);

        // 80 MB of junk after the last newline (a torn write, or worse): open cuts it without reading it byte by byte
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(f.length() + (80 << 20));
        }
        long before = System.nanoTime();
        try (Journal j = Journal.open(p)) {
            j.append(TrialResult.builder("c", "c", "m", "claude-sonnet-4-6", 0).build());
        }
        assertThat((System.nanoTime() - before) / 1e9).isLessThan(10);
        assertThat(ids(p)).containsExactly("a", "b", "c");
    }

    @Test
    void repair_keeps_every_intact_record_byte_for_byte_in_order_and_sets_the_damaged_lines_aside() throws Exception {
        byte[] notUtf8 = {'{', 'x', (byte) 0xFF, '}'};
        Path p = journal(b(line("a")), b("garbage"), b(skippedLine("b")), b(line("b")), notUtf8, b(line("a")),
                b(""), b(line("c")), b("{\"trial_id\":\"d\",\"case\":\"c\",\"mod"));
        // the last line lost its newline: a torn write
        dropLastNewline(p);

        JsonlRepair.Outcome o = Journal.repair(p);

        assertThat(o.kept()).isEqualTo(4);
        assertThat(o.setAside()).isEqualTo(4);
        assertThat(o.aside()).isEqualTo(p.resolveSibling("trials.damaged.jsonl"));
        assertThat(Files.readString(p)).isEqualTo(line("a") + "\n" + skippedLine("b") + "\n" + line("b") + "\n"
                + line("c") + "\n");
        List<JsonNode> set = aside(p);
        assertThat(set).extracting(n -> n.path("line").asLong()).containsExactly(2L, 5L, 6L, 9L);
        assertThat(set.get(0).path("reason").asText()).isEqualTo("not JSON (column 1)");
        assertThat(set.get(0).path("text").asText()).isEqualTo("garbage");
        assertThat(set.get(1).path("reason").asText()).isEqualTo("not valid UTF-8 (byte 3)");
        assertThat(Base64.getDecoder().decode(set.get(1).path("base64").asText())).isEqualTo(notUtf8);
        assertThat(set.get(2).path("reason").asText()).isEqualTo("the same record as line 1 (the first is kept)");
        assertThat(set.get(2).path("text").asText()).isEqualTo(line("a"));
        assertThat(set.get(3).path("reason").asText()).startsWith("not JSON").endsWith("a write cut short");
        assertThat(set).allSatisfy(n -> assertThat(n.has("cut")).isFalse());
        assertThat(ids(p)).containsExactly("a", "b", "b", "c");

        byte[] repaired = Files.readAllBytes(p);
        byte[] asideBytes = Files.readAllBytes(o.aside());
        JsonlRepair.Outcome again = Journal.repair(p);
        assertThat(again.rewritten()).isFalse();
        assertThat(again.setAside()).isZero();
        assertThat(again.kept()).isEqualTo(4);
        assertThat(Files.readAllBytes(p)).isEqualTo(repaired);
        assertThat(Files.readAllBytes(o.aside())).isEqualTo(asideBytes);
        try (Stream<Path> files = Files.list(p.getParent())) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("trials.jsonl",
                    "trials.damaged.jsonl");
        }
    }

    @Test
    void a_clean_journal_is_left_byte_for_byte_and_nothing_is_set_aside() throws Exception {
        Path p = journal(b(line("a")), b(skippedLine("b")), b(line("b")));
        byte[] clean = Files.readAllBytes(p);
        java.nio.file.attribute.FileTime modified = Files.getLastModifiedTime(p);

        JsonlRepair.Outcome o = Journal.repair(p);

        assertThat(o.rewritten()).isFalse();
        assertThat(o.kept()).isEqualTo(3);
        assertThat(Files.readAllBytes(p)).isEqualTo(clean);
        assertThat(Files.getLastModifiedTime(p)).isEqualTo(modified);
        assertThat(o.aside()).doesNotExist();
        try (Stream<Path> files = Files.list(p.getParent())) {
            assertThat(files).hasSize(1);
        }
    }

    @Test
    void a_last_record_without_its_newline_is_kept_and_given_one() throws Exception {
        Path p = journal(b(line("a")), b(line("b")));
        dropLastNewline(p);

        JsonlRepair.Outcome o = Journal.repair(p);

        assertThat(o.rewritten()).isTrue();
        assertThat(o.setAside()).isZero();
        assertThat(Files.readString(p)).isEqualTo(line("a") + "\n" + line("b") + "\n");
        assertThat(o.aside()).doesNotExist();
    }
}
