package dev.sonde.maven;

/** The CLI's exit codes ({@code dev.sonde.cli.Main}) as the build reads them. */
enum RunExit {
    /** 0: every trial passed and every baseline gate held. */
    PASSED,
    /** 1 after the CLI printed its headline or report line: a check or a gate failed; the build fails in {@code verify}. */
    CHECK_FAILED,
    /**
     * 1 with neither a headline nor a report line: Java's own exit 1 (the JVM could not start, a
     * class is missing from the class path, an uncaught error reached {@code main}), not a verdict.
     */
    CRASHED,
    /** 2: a bad suite or bad arguments: the CLI printed one line saying which. */
    BAD_INPUT,
    /** 3: the run could not proceed (key rejected, budget spent, endpoint unreachable). */
    CANNOT_PROCEED,
    /** Anything else: stopped by a signal (130, 143) or the JVM could not start the CLI. */
    OTHER;

    /**
     * @param code the fork's exit code
     * @param verdictPrinted whether it printed a headline or a {@code report:} line, which the CLI
     *     does before it exits 1 on failed checks
     */
    static RunExit of(int code, boolean verdictPrinted) {
        return switch (code) {
            case 0 -> PASSED;
            case 1 -> verdictPrinted ? CHECK_FAILED : CRASHED;
            case 2 -> BAD_INPUT;
            case 3 -> CANNOT_PROCEED;
            default -> OTHER;
        };
    }

    /** Whether the run itself went wrong (as opposed to a verdict on the prompts). */
    boolean isError() {
        return this != PASSED && this != CHECK_FAILED;
    }
}
