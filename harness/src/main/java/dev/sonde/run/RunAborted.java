package dev.sonde.run;

/**
 * The run could not proceed: the endpoint rejected the key, refused permission or credit, or
 * could not be reached. The journal keeps every trial finished before it; {@link #getMessage()}
 * is one line naming the endpoint and the failure, never the key. Not final: the session's
 * {@code SuiteSession.Stopped} adds what the reports of the partial run learnt, which this room
 * cannot name.
 */
public class RunAborted extends Exception {
    private final RunResult partial;

    /**
     * A stop for the reason in {@code message}, carrying what the run finished before it.
     *
     * @param message one line naming the endpoint and the failure; must not contain the key
     * @param partial the run as far as it got, whose journal holds every trial finished before the stop
     */
    public RunAborted(String message, RunResult partial) {
        super(message);
        this.partial = partial;
    }

    /** What was finished before the run stopped (reports are written for it too). */
    public RunResult partial() {
        return partial;
    }
}
