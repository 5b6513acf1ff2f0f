package dev.sonde.run;

import java.util.Optional;

/**
 * The run could not proceed: the endpoint rejected the key, refused permission or credit, or
 * could not be reached. The journal keeps every trial finished before it; {@link #getMessage()}
 * is one line naming the endpoint and the failure, never the key. Not final: the session's
 * {@code SuiteSession.Stopped} adds what the reports of the partial run learnt, which this room
 * cannot name.
 */
public class RunAborted extends Exception {
    private final RunResult partial;
    private final SpentLimit spent;

    /**
     * A limit of the suite's {@code budget:} that a stopped run reached and that a {@code --resume}
     * of it meets again at once: the trials already journaled count against {@code max_trials}, and
     * the spend in {@code spend.jsonl} against {@code max_usd}. A {@code deadline} is not one: each
     * resume has its own.
     */
    public enum SpentLimit {
        MAX_TRIALS("max_trials"), MAX_USD("max_usd");

        private final String key;

        SpentLimit(String key) {
            this.key = key;
        }

        /** The limit's key under {@code budget:} in a suite file. */
        public String key() {
            return key;
        }
    }

    /**
     * A stop for the reason in {@code message}, carrying what the run finished before it.
     *
     * @param message one line naming the endpoint and the failure; must not contain the key
     * @param partial the run as far as it got, whose journal holds every trial finished before the stop
     */
    public RunAborted(String message, RunResult partial) {
        this(message, partial, null);
    }

    /**
     * As {@link #RunAborted(String, RunResult)}, for a run whose budget refused a trial for a limit
     * that {@code --resume} would meet again ({@code spent}; null when none did).
     */
    public RunAborted(String message, RunResult partial, SpentLimit spent) {
        super(message);
        this.partial = partial;
        this.spent = spent;
    }

    /**
     * The budget limit this run reached that a resume of it under the same suite meets again at
     * once, so that it would send nothing; empty when none was reached (a resume sends the skipped
     * trials).
     */
    public Optional<SpentLimit> spentLimit() {
        return Optional.ofNullable(spent);
    }

    /** What was finished before the run stopped (reports are written for it too). */
    public RunResult partial() {
        return partial;
    }
}
