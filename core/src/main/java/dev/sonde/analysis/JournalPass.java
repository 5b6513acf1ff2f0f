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
 * One streaming pass over a run's trials, fanned out to every {@link TrialFold} that needs them:
 * the run's verdicts and outputs all learn from this single pass (one trial in memory at a time),
 * fed either by one read of a journal ({@link #run}: {@code sonde report}, {@code sonde merge}, a
 * benchmark) or live, trial by trial as a run journals them ({@link #live}: {@code sonde run}).
 * A fold that throws is dropped from the rest of the pass and reported in {@link Result#failures()};
 * the others go on.
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
     * run without trials. The verdicts of the compare file beside it ({@code compare.jsonl}:
     * {@code select-best}, {@code max-score}) are applied to its trials first ({@link CompareVerdicts}). Null folds are skipped, so callers can pass the ones a run does not need as null.
     *
     * @throws IOException when the journal or its compare file cannot be read (a bad line names itself)
     */
    public static Result run(Path journal, Collection<? extends TrialFold> folds) throws IOException {
        Live pass = live(folds);
        if (journal == null || !Files.isRegularFile(journal)) {
            return pass.result();
        }
        CompareVerdicts compared = CompareVerdicts.read(journal.toAbsolutePath().getParent());
        try (Stream<TrialResult> trials = Journal.read(journal)) {
            for (Iterator<TrialResult> it = trials.iterator(); it.hasNext(); ) {
                pass.add(compared.apply(it.next()));
            }
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        return pass.result();
    }

    /**
     * The same pass fed trial by trial instead of from a file: a run gives it each trial as the
     * journal takes it ({@code Journal.open(path, tap)}), in journal order, so that nothing is left
     * to read once the last trial is in. Null folds are skipped.
     */
    public static Live live(Collection<? extends TrialFold> folds) {
        return new Live(folds);
    }

    /**
     * A pass in progress: hands each trial to every fold still live, drops a fold that throws (the
     * others go on), and never throws itself. Not thread-safe: its feeder serialises the calls (a
     * journal feeds it under its own lock, which also makes the folds' state visible to the thread
     * that reads {@link #result()} after the journal is closed).
     */
    public static final class Live implements TrialFold {
        private final List<TrialFold> live;
        private final List<Failure> failures = new ArrayList<>();
        private long trials;

        private Live(Collection<? extends TrialFold> folds) {
            live = new ArrayList<>(folds.stream().filter(Objects::nonNull).toList());
        }

        @Override
        public void add(TrialResult t) {
            trials++;
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

        /** The trials fed so far and the folds that failed on the way. */
        public Result result() {
            return new Result(trials, failures);
        }
    }
}
