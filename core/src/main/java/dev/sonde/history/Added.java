package dev.sonde.history;

import java.nio.file.Path;

/**
 * What {@link HistoryStore#add} did with one run: imported it, queued it for the next writer, or set
 * a damaged inbox file aside.
 */
public sealed interface Added {
    /** The run's id. */
    String runId();

    /** The line the CLI prints for it. */
    String line();

    /**
     * Imported in one transaction.
     *
     * @param replaced the store held a run of this id, whose rows were deleted first
     * @param fromInbox the run came from the store's inbox, queued by an earlier writer
     */
    record Imported(String runId, long trials, boolean replaced, boolean fromInbox) implements Added {
        @Override
        public String line() {
            return "history: " + (replaced ? "replaced " : "imported ") + runId + " (" + trials + " trials)"
                    + (fromInbox ? " from the inbox" : "");
        }
    }

    /**
     * Not imported: another writer held the store past the wait, so the run waits in the inbox.
     *
     * @param holderPid the pid the holder wrote into the lock file, or -1
     * @param inboxFile where the run waits
     */
    record Queued(String runId, long holderPid, Path inboxFile) implements Added {
        @Override
        public String line() {
            return "history: store busy" + (holderPid > 0 ? " (pid " + holderPid + ")" : "") + "; queued " + runId
                    + " in " + inboxFile.getParent() + ", imported by the next writer";
        }
    }

    /**
     * A file of the inbox that is not a spool (damaged, or not Sonde's): renamed to {@code file}
     * ({@code …jsonl.damaged}) so that it never blocks a writer again, and left for the user.
     */
    record SetAside(String runId, Path file, String why) implements Added {
        @Override
        public String line() {
            return "history: set aside " + file + " (" + why + ")";
        }
    }
}
