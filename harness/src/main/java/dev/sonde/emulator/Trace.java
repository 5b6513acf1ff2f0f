package dev.sonde.emulator;

import java.util.function.Consumer;

/**
 * What the handler learns about one request while answering it. {@link #done} enters it in the
 * request log just before the last bytes go out (once), so a client that has its answer also
 * sees it in the log. Confined to the request's thread.
 */
final class Trace {
    final String requestId;
    final String method;
    final String path;
    final int retryCount;
    private final Consumer<EmulatorRequest> log;
    String model;
    boolean stream;
    private boolean logged;

    Trace(String requestId, String method, String path, int retryCount, Consumer<EmulatorRequest> log) {
        this.requestId = requestId;
        this.method = method;
        this.path = path;
        this.retryCount = retryCount;
        this.log = log;
    }

    void done(int status, String errorType) {
        if (!logged) {
            logged = true;
            log.accept(new EmulatorRequest(requestId, method, path, status, errorType, model, stream, retryCount));
        }
    }
}
