package dev.sonde.journal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A line of a journal that is not an intact trial record (nor the torn last line a crash leaves,
 * which readers skip): the file, the line's number and why, never the line's content (it may hold
 * anything). The message is the one line a command prints for it, naming the command that repairs
 * the journal ({@code sonde journal repair RUN_DIR}, {@link Journal#repair}).
 */
public final class JournalDamage extends IOException {
    private final transient Path file;
    private final long line;
    private final String reason;

    JournalDamage(Path file, long line, String reason) {
        super(file + ":" + line + ": " + reason + "; run `sonde journal repair " + runDir(file)
                + "` to keep every intact record and set the damaged lines aside");
        this.file = file;
        this.line = line;
        this.reason = reason;
    }

    private static Path runDir(Path file) {
        Path dir = file.getParent();
        return dir == null ? Path.of(".") : dir;
    }

    /** The journal file, as its reader was given it. */
    public Path file() {
        return file;
    }

    /** The damaged line's number, from 1. */
    public long line() {
        return line;
    }

    /** Why the line is not a record, e.g. {@code not JSON (column 3)}. */
    public String reason() {
        return reason;
    }

    /** The damage {@code e} is or was caused by (a journal stream throws it inside an unchecked exception). */
    public static Optional<JournalDamage> in(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof JournalDamage d) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
