package dev.sonde.run;

import dev.sonde.api.ApiFailure;
import dev.sonde.api.ErrorClass;
import dev.sonde.api.Exchange;
import dev.sonde.api.MessageRequest;
import dev.sonde.api.Provider;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which endpoints have answered in this run, to tell a wrong address from one that went away.
 * Nothing listening at an endpoint that has not answered yet ({@link ErrorClass#UNREACHABLE}: a
 * wrong port or host, a gateway not started) stops the run, since every request to it would fail
 * alike; an endpoint that has answered and later cannot be reached fails that trial only (retried
 * under the retry rules), and the run goes on. Answered means any HTTP status, an error status
 * included; a connection closed before any status is not an answer, and never stops a run either
 * ({@link ErrorClass#CONNECTION_CLOSED}). Kept per endpoint, so the first requests each endpoint
 * gets are its probe: with several models on several endpoints, one that is down at the start stops
 * the run however many the others have answered. Thread-safe.
 */
final class Reachability {
    private final Set<String> answered = ConcurrentHashMap.newKeySet();

    /** {@code provider}, noting in this set every answer it gets (a count-tokens call's too), every call passed on. */
    Provider watching(Provider provider) {
        return watchers.computeIfAbsent(provider, this::watcher); // one per provider, not one per trial
    }

    private final java.util.Map<Provider, Provider> watchers = new ConcurrentHashMap<>();

    private Provider watcher(Provider provider) {
        return new Provider() {
            @Override
            public Exchange send(MessageRequest request) throws InterruptedException {
                Exchange ex = provider.send(request);
                if (ex.status() > 0) {
                    answered.add(provider.endpoint());
                }
                return ex;
            }

            @Override
            public Exchange countTokens(MessageRequest request) throws InterruptedException {
                Exchange ex = provider.countTokens(request);
                if (ex != null && ex.status() > 0) {
                    answered.add(provider.endpoint());
                }
                return ex;
            }

            @Override
            public String endpoint() {
                return provider.endpoint();
            }
        };
    }

    /** Whether {@code failure}, a trial's last, stops the run: a rejected key wherever it happens, nothing listening before {@code endpoint} answered. */
    boolean stopsRun(String endpoint, ApiFailure failure) {
        ErrorClass c = failure.errorClass();
        return c.stopsRun() || c == ErrorClass.UNREACHABLE && !answered.contains(endpoint);
    }
}
