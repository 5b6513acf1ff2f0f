package dev.sonde.maven;

/** The CLI's exit codes ({@code dev.sonde.cli.Main}) as the build reads them. */
enum RunExit {
    /** 0: every trial passed and every baseline gate held. */
    PASSED,
    /** 1: a check or a gate failed: the build fails in {@code verify}. */
    CHECK_FAILED,
    /** 2: a bad suite or bad arguments: the CLI printed one line saying which. */
    BAD_INPUT,
    /** 3: the run could not proceed (key rejected, budget spent, endpoint unreachable). */
    CANNOT_PROCEED,
    /** Anything else: stopped by a signal (130, 143) or the JVM could not start the CLI. */
    OTHER;

    static RunExit of(int code) {
        return switch (code) {
            case 0 -> PASSED;
            case 1 -> CHECK_FAILED;
            case 2 -> BAD_INPUT;
            case 3 -> CANNOT_PROCEED;
            default -> OTHER;
        };
    }

    /** Whether the run itself went wrong (as opposed to a verdict on the prompts). */
    boolean isError() {
        return this == BAD_INPUT || this == CANNOT_PROCEED || this == OTHER;
    }
}
