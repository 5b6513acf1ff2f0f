package dev.sonde.api;

/**
 * The one rule for credentials that can be replaced during a run (a Foundry command's token, a
 * Vertex OAuth token): a request is sent with the credential of the moment and, when the server
 * answers 401 to it and its auth says a fresh one can be had, sent once more with the fresh one;
 * the second answer stands, whatever it is (a credential the server keeps refusing is never
 * fetched in a loop). A credential that cannot be had is an {@link ErrorClass#AUTH auth} failure of
 * the exchange, its message masked, nothing sent. Stateless.
 */
final class RefreshOn401 {
    private RefreshOn401() {}

    /** The credential for the next request. */
    @FunctionalInterface
    interface Source<C> {
        C current() throws MissingCredentials, InterruptedException;
    }

    /** Told the server answered 401 to {@code used}: true when {@link Source#current()} will give a fresh one. */
    @FunctionalInterface
    interface Rejected<C> {
        boolean rejected(C used);
    }

    /** Sends the request with {@code credential}. */
    @FunctionalInterface
    interface Send<C> {
        Exchange send(C credential) throws InterruptedException;
    }

    static <C> Exchange exchange(MessageRequest request, SecretMask mask, Source<C> source, Rejected<C> rejected,
            Send<C> send) throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            C credential;
            try {
                credential = source.current();
            } catch (MissingCredentials e) {
                return HttpTransport.failed(request, ErrorClass.AUTH, mask.mask(e.getMessage()));
            }
            Exchange answer = send.send(credential);
            if (answer.status() != 401 || attempt > 0 || !rejected.rejected(credential)) {
                return answer;
            }
        }
    }
}
