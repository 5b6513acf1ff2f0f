package dev.sonde.journal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.sonde.check.CheckResult;
import dev.sonde.check.GraderUsage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One judged group of a compare assertion ({@code select-best}, {@code max-score}): a line of the run
 * folder's {@value #FILE}, appended by the compare pass as it judges each group (a resumed pass
 * appends a group's new record after its old one: the last one per group and assertion wins,
 * {@link #read}). The trials' own lines are never rewritten; readers apply these verdicts over them. Field names are the file
 * contract: {@code case, variant, repeat, type, index, members, winner, grader, grader_usage,
 * grader_cost_usd, digest}.
 *
 * @param variant the trials' cache variant, or null (compare suites have none today)
 * @param index the assertion's index in the case's {@code assert:} list (defaults first)
 * @param members each answered trial of the group, in suite model order
 * @param winner the member that passed, or null (undecided, threshold missed)
 * @param grader the grader's label, or null when none was asked ({@code max-score})
 * @param graderUsage what the group's one grader call used, or null: counted once, for the group
 * @param graderCostUsd what it cost, or null when none was made or it was unpriced
 * @param digest SHA-256 over the members' trial ids and answers: a resumed run keeps a record whose
 *     group is unchanged and judges the rest again
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"case", "variant", "repeat", "type", "index", "members", "winner", "grader", "grader_usage",
    "grader_cost_usd", "digest"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CompareRecord(@JsonProperty("case") String caseId, String variant, int repeat, String type, int index,
        List<Member> members, Winner winner, String grader, GraderUsage graderUsage, Double graderCostUsd,
        String digest) {

    /** The file beside {@code trials.jsonl}. */
    public static final String FILE = "compare.jsonl";

    private static final ObjectReader READER = Journal.JSON.readerFor(CompareRecord.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final ObjectWriter WRITER = Journal.JSON.writerFor(CompareRecord.class);

    /** Copies {@code members} unmodifiable; null becomes empty. */
    public CompareRecord {
        members = members == null ? List.of() : List.copyOf(members);
    }

    /**
     * One trial's part in the group.
     *
     * @param result this assertion's verdict on the trial (replaces its placeholder)
     * @param pass the trial's verdict once every compare assertion of its case is applied
     * @param score the trial's score, likewise
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Member(String trialId, String model, CheckResult result, boolean pass, double score) {}

    /** The member that won. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Winner(String trialId, String model) {}

    /** Writes {@code records} as the run folder's {@value #FILE}, all or nothing ({@link AtomicFile}). */
    public static void write(Path runDir, List<CompareRecord> records) throws IOException {
        AtomicFile.write(runDir.resolve(FILE), out -> {
            for (CompareRecord r : records) {
                out.write(WRITER.writeValueAsString(r));
                out.write('\n');
            }
        });
    }

    /**
     * Appends to the run folder's {@value #FILE} one record at a time, each written and flushed as
     * one line before {@link #append} returns (it survives a killed process, as a journal line does).
     * A torn last line left by a crash mid-write is cut off first. Not thread-safe.
     */
    public static final class Appender implements java.io.Closeable {
        private final java.io.OutputStream out;

        private Appender(java.io.OutputStream out) {
            this.out = out;
        }

        /** Opens {@code runDir}'s {@value #FILE} for appending, creating it if needed. */
        public static Appender open(Path runDir) throws IOException {
            Path file = runDir.resolve(FILE);
            Journal.cutTornTail(file, tail -> {
                try {
                    READER.readValue(tail);
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
            return new Appender(new java.io.FileOutputStream(file.toFile(), true));
        }

        /** Writes {@code r} as one line, in one write, and flushes it. */
        public void append(CompareRecord r) throws IOException {
            byte[] json = WRITER.writeValueAsBytes(r);
            byte[] line = java.util.Arrays.copyOf(json, json.length + 1);
            line[json.length] = '\n';
            out.write(line);
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }

    /**
     * The records in force in the run folder's {@value #FILE}: for each group and assertion (case,
     * variant, repeat, index) the last record written, in the order each was first written; none
     * when there is no such file. A resumed pass appends a group's new record after its old one, so
     * the last one wins.
     *
     * @throws IOException as {@link #readAll}
     */
    public static List<CompareRecord> read(Path runDir) throws IOException {
        java.util.Map<String, CompareRecord> latest = new java.util.LinkedHashMap<>();
        for (CompareRecord r : readAll(runDir)) {
            latest.put(r.key(), r);
        }
        return new ArrayList<>(latest.values());
    }

    /** What names the group and assertion a record judged: case, variant, repeat and index. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public String key() {
        return caseId + "\u0000" + variant + "\u0000" + repeat + "\u0000" + index;
    }

    /**
     * Every record of the run folder's {@value #FILE}, superseded ones included, in file order; none
     * when there is no such file. Each line is held only up to the journal's line bound. A last line
     * without its newline that is not a record (a crash mid-write) is skipped.
     *
     * @throws IOException when it cannot be read, or a line is not a record: one line naming the file
     *     and line number (never the line's content) and how to judge the groups again
     */
    public static List<CompareRecord> readAll(Path runDir) throws IOException {
        Path file = runDir.resolve(FILE);
        List<CompareRecord> out = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        try (JsonlLines lines = JsonlLines.open(file)) {
            while (lines.next()) {
                if (lines.blank()) {
                    continue;
                }
                String problem = lines.unreadable();
                CompareRecord r = null;
                if (problem == null) {
                    try {
                        r = READER.readValue(lines.bytes(), 0, lines.length());
                    } catch (IOException e) {
                        problem = "not a compare record (" + e.getClass().getSimpleName() + ")";
                    }
                }
                if (problem == null && (r == null || r.caseId() == null || r.type() == null || r.index() < 0
                        || r.members().stream().anyMatch(m -> m == null || m.trialId() == null || m.result() == null))) {
                    problem = "not a compare record (case, type, index or a member's trial_id or result missing)";
                }
                if (problem != null && !lines.terminated()) {
                    break; // torn by a crash mid-write: never counted
                }
                if (problem != null) {
                    throw new IOException(file + ":" + lines.number() + ": " + problem + "; delete " + FILE
                            + " and resume the run (sonde run SUITE --resume " + runDir + ") to judge its groups again");
                }
                out.add(r);
            }
        }
        return out;
    }
}
