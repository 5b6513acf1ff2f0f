package dev.sonde.run;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.sonde.metrics.Jackson;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The spend ledger of a run under {@code budget.max_usd} ({@value #FILE} beside the journal): one
 * line for each attempt <em>before</em> it is sent, with the worst case reserved for it, and one
 * when it is over, with what the server reported it cost — or that it got no answer that says (a
 * connection closed, a timeout, a broken stream, usage not to be believed). Grading calls add a
 * line of what they cost. So a process killed with requests in flight leaves, for each of them, a
 * line with no end: the next {@code --resume} counts it at its worst case ({@link Totals}), since the
 * server may have billed it though no trial records it. Lines are whole, written in one call each
 * and handed to the operating system before the request goes out; a torn last line (a kill
 * mid-write) is an attempt whose end was lost, which is how it is counted. Thread-safe.
 */
final class Ledger implements Closeable {
    static final String FILE = "spend.jsonl";
    /** The longest line read back: far past any line this class writes (a trial id is bounded by the suite). */
    private static final int MAX_LINE = 64 * 1024;
    private static final ObjectMapper JSON = Jackson.mapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    /**
     * One ledger line: an attempt begun ({@code attempt}, {@code trial}, {@code reservedUsd}), ended
     * ({@code attempt}, {@code usd}, {@code unresolved} when no usage came back), a grading call paid
     * ({@code trial}, {@code graderUsd}), or the spend carried over from a journal that had no ledger
     * ({@code carriedUsd}).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Line(Long attempt, String trial, Double reservedUsd, Double usd, Boolean unresolved, Double graderUsd,
            Double carriedUsd) {}

    /**
     * What a ledger says was spent: {@code reportedUsd} as the servers reported it (graders and
     * carried spend included); {@code unresolvedUsd}, what the attempts that got no usage
     * ({@code unresolved}) or never ended ({@code abandoned}, a kill) may have cost beyond what they
     * reported, each counted at its worst case.
     */
    record Totals(double reportedUsd, double unresolvedUsd, int unresolved, int abandoned, long nextAttempt) {
        static final Totals NONE = new Totals(0, 0, 0, 0, 1);
    }

    private final Path path;
    private final OutputStream out;
    private long nextAttempt;

    private Ledger(Path path, OutputStream out, long nextAttempt) {
        this.path = path;
        this.out = out;
        this.nextAttempt = nextAttempt;
    }

    /**
     * Opens {@code dir}'s ledger to append to it (a torn last line cut off first), numbering new
     * attempts after those it holds; {@code carriedUsd} &gt; 0 is written first when the ledger is new
     * (a resumed journal's spend from before ledgers were kept).
     */
    static Ledger open(Path dir, Totals before, double carriedUsd) throws IOException {
        Path path = dir.resolve(FILE);
        boolean fresh = !Files.exists(path);
        dev.sonde.journal.Journal.cutTornTail(path, tail -> {
            try {
                return JSON.readValue(tail, Line.class) != null;
            } catch (IOException e) {
                return false;
            }
        });
        OutputStream out = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
        Ledger ledger = new Ledger(path, out, before.nextAttempt());
        if (fresh && carriedUsd > 0) {
            ledger.write(new Line(null, null, null, null, null, null, carriedUsd));
        }
        return ledger;
    }

    Path path() {
        return path;
    }

    /** Records an attempt about to be sent and returns its number. */
    synchronized long begin(String trialId, double reservedUsd) throws IOException {
        long n = nextAttempt++;
        write(new Line(n, trialId, reservedUsd, null, null, null, null));
        return n;
    }

    /** Records how attempt {@code n} ended: what was reported, and whether its usage came back. */
    synchronized void end(long n, double usd, boolean resolved) throws IOException {
        write(new Line(n, null, null, usd, resolved ? null : Boolean.TRUE, null, null));
    }

    /** Records a grading call's cost for {@code trialId}. */
    synchronized void grader(String trialId, double usd) throws IOException {
        write(new Line(null, trialId, null, null, null, usd, null));
    }

    private void write(Line line) throws IOException {
        byte[] json = JSON.writeValueAsBytes(line);
        byte[] bytes = Arrays.copyOf(json, json.length + 1);
        bytes[json.length] = '\n';
        out.write(bytes);
        out.flush();
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }

    /**
     * Reads {@code dir}'s ledger: {@link Totals#NONE} when there is none. A torn last line is an
     * attempt whose end was lost; any other line that does not read is an error naming it.
     */
    static Totals read(Path dir) throws IOException {
        Path path = dir.resolve(FILE);
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return Totals.NONE;
        }
        if (!Files.isRegularFile(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(path + ": not a regular file; the run's spend cannot be known, so it is not resumed "
                    + "under max_usd");
        }
        Map<Long, Double> open = new HashMap<>();
        double reported = 0;
        double unresolvedUsd = 0;
        int unresolved = 0;
        long last = 0;
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (BufferedReader in = new BufferedReader(new java.io.InputStreamReader(Files.newInputStream(path), decoder))) {
            int lineNo = 0;
            StringBuilder line = new StringBuilder();
            int ended;
            while ((ended = readLine(in, line)) != NONE) {
                lineNo++;
                if (line.isEmpty()) {
                    continue;
                }
                Line l;
                try {
                    l = JSON.readValue(line.toString(), Line.class);
                } catch (JsonProcessingException e) {
                    l = null;
                }
                if (l == null) {
                    if (ended == UNTERMINATED) {
                        break; // a torn last line: whatever it began is still open, and counted so
                    }
                    throw new IOException(path + ":" + lineNo + ": not a ledger line; the run's spend cannot be "
                            + "known, so it is not resumed under max_usd");
                }
                if (l.carriedUsd() != null) {
                    reported += finite(l.carriedUsd(), path, lineNo);
                } else if (l.graderUsd() != null) {
                    reported += finite(l.graderUsd(), path, lineNo);
                } else if (l.attempt() != null && l.reservedUsd() != null) {
                    open.put(l.attempt(), finite(l.reservedUsd(), path, lineNo));
                    last = Math.max(last, l.attempt());
                } else if (l.attempt() != null && l.usd() != null) {
                    double usd = finite(l.usd(), path, lineNo);
                    Double reserved = open.remove(l.attempt());
                    reported += usd;
                    if (Boolean.TRUE.equals(l.unresolved())) {
                        unresolved++;
                        unresolvedUsd += Math.max(0, (reserved == null ? 0 : reserved) - usd);
                    }
                }
            }
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IOException(path + ": not UTF-8 text; the run's spend cannot be known, so it is not resumed "
                    + "under max_usd");
        }
        double abandonedUsd = open.values().stream().mapToDouble(Double::doubleValue).sum();
        return new Totals(reported, unresolvedUsd + abandonedUsd, unresolved, open.size(), last + 1);
    }

    private static double finite(double usd, Path path, int lineNo) throws IOException {
        if (!Double.isFinite(usd) || usd < 0) {
            throw new IOException(path + ":" + lineNo + ": not an amount in USD");
        }
        return usd;
    }

    private static final int NONE = 0;
    private static final int TERMINATED = 1;
    private static final int UNTERMINATED = 2;

    /**
     * Reads one line into {@code line} (cleared first), refusing one past {@link #MAX_LINE}:
     * {@link #TERMINATED} by a newline, {@link #UNTERMINATED} at the end of the file, {@link #NONE}
     * when nothing was left.
     */
    private static int readLine(BufferedReader in, StringBuilder line) throws IOException {
        line.setLength(0);
        int c;
        boolean any = false;
        while ((c = in.read()) >= 0) {
            any = true;
            if (c == '\n') {
                return TERMINATED;
            }
            if (line.length() >= MAX_LINE) {
                throw new IOException("a line of " + FILE + " is longer than " + MAX_LINE + " characters");
            }
            line.append((char) c);
        }
        return any ? UNTERMINATED : NONE;
    }

    /** {@code usd} as the ledger's messages show amounts. */
    static String usd(double usd) {
        return String.format(Locale.ROOT, "$%.4f", usd);
    }
}
