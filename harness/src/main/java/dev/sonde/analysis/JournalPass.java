package dev.sonde.analysis;

import dev.sonde.journal.Journal;
import dev.sonde.journal.TrialResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * One streaming read of a journal, fanned out to every {@link TrialFold} that needs the run's
 * trials: after a run, its verdicts and outputs all learn from this single pass (one line in memory
 * at a time), instead of each reading the journal again. A fold that throws is dropped from the
 * rest of the pass and reported in {@link Result#failures()}; the others go on.
 */
public final class JournalPass {
    private JournalPass() {}

    /** A fold that failed during the pass, and why. */
    public record Failure(TrialFold fold, RuntimeException cause) {}

    /** How many trials the pass read, and the folds that failed on the way. */
    public record Result(long trials, List<Failure> failures) {
        /** Copies {@code failures} unmodifiable. */
        public Result {
            failures = List.copyOf(failures);
        }
    }

    /**
     * Reads {@code journal} once, giving each trial to every fold in order; a missing journal is a
     * run without trials. Null folds are skipped, so callers can pass the ones a run does not need as null.
     *
     * @throws IOException when the journal cannot be read (a bad line names itself)
     */
    public static Result run(Path journal, Collection<? extends TrialFold> folds) throws IOException {
        List<TrialFold> live = new ArrayList<>(folds.stream().filter(Objects::nonNull).toList());
        List<Failure> failures = new ArrayList<>();
        long n = 0;
        if (journal == null || !Files.isRegularFile(journal)) {
            return new Result(0, failures);
        }
        try (Stream<TrialResult> trials = Journal.read(journal)) {
            for (Iterator<TrialResult> it = trials.iterator(); it.hasNext(); ) {
                TrialResult t = it.next();
                n++;
                for (Iterator<TrialFold> f = live.iterator(); f.hasNext(); ) {
                    TrialFold fold = f.next();
                    try {
                        fold.add(t);
                    } catch (RuntimeException e) {
                        failures.add(new Failure(fold, e));
                        f.remove();
                    }
                }
            }
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        return new Result(n, failures);
    }
}
