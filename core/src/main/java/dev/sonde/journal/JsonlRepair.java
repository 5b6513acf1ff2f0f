package dev.sonde.journal;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Repairs a JSONL file of records (a run's journal, or any file of one record a line): keeps every
 * intact line, in order and byte for byte, and sets each damaged one aside in a file beside it
 * ({@code NAME.damaged.jsonl} for {@code NAME.jsonl}). What is intact is the caller's {@link Rule};
 * before it, a line longer than 64 MB or not UTF-8 is damaged whatever it holds. A last line without
 * its newline that the rule finds damaged (a write cut short) is set aside like any other.
 *
 * <p>Each damaged line becomes one JSON object in the aside file: {@code line} (its number in the
 * file as it was), {@code reason}, {@code bytes} (its length), and its content as {@code text}
 * (UTF-8) or {@code base64} (anything else), with {@code cut: true} when only its first 64 KB are
 * kept (a line past 64 MB is no record). Repairs append to the aside file, so nothing set aside is
 * ever lost.
 *
 * <p>What is guaranteed on failure: the damaged lines reach the aside file, forced to disk, before
 * the file is replaced — atomically, by a copy forced to disk ({@link AtomicFile#openDurable}) — so a
 * crash at any point leaves either the old file or the repaired one, and every line in one of the
 * two. A file with nothing damaged is not written at all (byte-identical; no aside file). Memory:
 * one line at a time, and the keys of the records kept. No other process may write the file while
 * it is repaired.
 */
public final class JsonlRepair {

    /** What one line must be to be kept. */
    @FunctionalInterface
    public interface Rule {
        /**
         * @param line the line's bytes without its newline: UTF-8, at most 64 MB, not blank; only the
         *     first {@code length} are the line's
         */
        Verdict check(byte[] line, int length);
    }

    /** A {@link Rule}'s answer for one line. */
    public sealed interface Verdict permits Intact, Damaged {}

    /**
     * An intact record.
     *
     * @param key what may appear only once in the file (a trial's id), or null: a later line with the
     *     key of an earlier kept one is set aside as a duplicate, the first is kept
     */
    public record Intact(String key) implements Verdict {}

    /** A line that is not an intact record, and why (one line of text, never the line's content). */
    public record Damaged(String reason) implements Verdict {}

    /**
     * What a repair did.
     *
     * @param kept the records kept
     * @param setAside the lines set aside (0: nothing was written)
     * @param aside the file they went to (whether or not any did)
     * @param rewritten whether the file was replaced: some line was set aside, or the last record
     *     lacked its newline (given one, so that the next append starts a line of its own)
     */
    public record Outcome(long kept, long setAside, Path aside, boolean rewritten) {}

    private JsonlRepair() {}

    /** The file damaged lines of {@code file} are set aside in: {@code trials.jsonl} → {@code trials.damaged.jsonl}. */
    public static Path asideFile(Path file) {
        String name = file.getFileName().toString();
        String base = name.endsWith(".jsonl") ? name.substring(0, name.length() - ".jsonl".length()) : name;
        return file.resolveSibling(base + ".damaged.jsonl");
    }

    /** Repairs {@code file} under {@code rule} (see the class comment). */
    public static Outcome repair(Path file, Rule rule) throws IOException {
        Path aside = asideFile(file);
        Path asideTmp = file.resolveSibling("." + aside.getFileName() + "." + java.util.UUID.randomUUID() + ".tmp");
        AtomicFile.Pending repaired = AtomicFile.openDurable(file);
        long kept = 0;
        long setAside = 0;
        boolean newlineAdded = false;
        Map<String, Long> keys = new HashMap<>();
        OutputStream out = repaired.stream(); // closed by commit() or abort()
        try (JsonlLines lines = JsonlLines.open(file);
                JsonGenerator damaged = Journal.JSON.createGenerator(Files.newOutputStream(asideTmp,
                        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))) {
            damaged.setRootValueSeparator(null);
            while (lines.next()) {
                if (lines.blank()) {
                    continue;
                }
                String unreadable = lines.unreadable();
                Verdict v = unreadable != null ? new Damaged(unreadable) : rule.check(lines.bytes(), lines.length());
                if (v instanceof Intact intact && intact.key() != null) {
                    Long first = keys.putIfAbsent(intact.key(), lines.number());
                    if (first != null) {
                        v = new Damaged("the same record as line " + first + " (the first is kept)");
                    }
                }
                switch (v) {
                    case Intact i -> {
                        out.write(lines.bytes(), 0, lines.length());
                        out.write('\n');
                        kept++;
                        newlineAdded |= !lines.terminated();
                    }
                    case Damaged d -> {
                        setAside(damaged, lines, lines.terminated() ? d.reason()
                                : d.reason() + "; the last line, without its newline: a write cut short");
                        setAside++;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            repaired.abort();
            Files.deleteIfExists(asideTmp);
            throw e;
        }
        try {
            if (setAside == 0 && !newlineAdded) {
                repaired.abort();
                return new Outcome(kept, 0, aside, false);
            }
            if (setAside > 0) {
                append(asideTmp, aside);
            }
            repaired.commit();
            return new Outcome(kept, setAside, aside, true);
        } finally {
            repaired.abort();
            Files.deleteIfExists(asideTmp);
        }
    }

    private static void setAside(JsonGenerator out, JsonlLines line, String reason) throws IOException {
        out.writeStartObject();
        out.writeNumberField("line", line.number());
        out.writeStringField("reason", reason);
        out.writeNumberField("bytes", line.size());
        String text = null;
        if (!line.tooLong() && line.unreadable() == null) {
            try {
                text = line.text();
            } catch (CharacterCodingException notUtf8) {
                text = null;
            }
        }
        if (text != null) {
            out.writeStringField("text", text);
        } else {
            out.writeFieldName("base64");
            out.writeBinary(line.bytes(), 0, line.length());
        }
        if (line.tooLong()) {
            out.writeBooleanField("cut", true);
        }
        out.writeEndObject();
        out.writeRaw('\n');
    }

    /** Appends the set-aside lines to {@code aside}, forced to disk before the file they came from is replaced. */
    private static void append(Path lines, Path aside) throws IOException {
        try (FileChannel from = FileChannel.open(lines, StandardOpenOption.READ);
                FileChannel to = FileChannel.open(aside, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND)) {
            long size = from.size();
            for (long done = 0; done < size; ) {
                done += from.transferTo(done, size - done, to);
            }
            to.force(true);
        }
    }
}
