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
 * folder's {@value #FILE}, written by the compare pass after every trial is journaled. The trials'
 * own lines are never rewritten; readers apply these verdicts over them. Field names are the file
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
     * The records of the run folder's {@value #FILE}; none when there is no such file. Each line is
     * held only up to the journal's line bound.
     *
     * @throws IOException when it cannot be read, or a line is not a record: one line naming the file
     *     and line number (never the line's content) and how to judge the groups again
     */
    public static List<CompareRecord> read(Path runDir) throws IOException {
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
