package dev.sonde.junit;

/**
 * A failed trial, gate, load step or suite, told in one line: what the test report shows is the
 * reason, so it carries no stack trace (the engine's frames would say nothing about the suite).
 */
final class SondeFailure extends AssertionError {
    private static final long serialVersionUID = 1L;

    SondeFailure(String message) {
        super(message);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
