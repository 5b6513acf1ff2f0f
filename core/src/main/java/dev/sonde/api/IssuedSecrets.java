package dev.sonde.api;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The credentials an auth has sent or may send (OAuth access tokens, a command's bearer tokens,
 * fixed keys), so that every one of them is masked from what servers send back even after it was
 * replaced: a server may echo a token that was current when the request left. Bounded: the
 * {@value #MOST} newest are kept (an access token lives an hour; a week-long run issues under 200).
 * Thread-safe.
 */
final class IssuedSecrets {
    /** The most secrets kept; the oldest goes first. */
    static final int MOST = 256;

    private final ArrayDeque<ApiKey> keys = new ArrayDeque<>();
    private long generation;

    /** Keeps {@code key} unless a key of the same value is kept already. */
    synchronized void add(ApiKey key) {
        for (ApiKey k : keys) {
            if (k.reveal().equals(key.reveal())) {
                return;
            }
        }
        keys.addLast(key);
        if (keys.size() > MOST) {
            keys.removeFirst();
        }
        generation++;
    }

    /** The secrets kept, oldest first. */
    synchronized List<ApiKey> list() {
        return List.copyOf(keys);
    }

    private synchronized Snapshot snapshot() {
        return new Snapshot(generation, List.copyOf(keys));
    }

    private record Snapshot(long generation, List<ApiKey> keys) {}

    private record Built(long generation, SecretMask base, SecretMask mask) {}

    /**
     * A live mask of {@code base}'s keys and every secret kept here at the moment of each call,
     * rebuilt only when a secret was added since it was last built (or, for a live {@code base},
     * when its own mask of the moment changed).
     */
    SecretMask maskOver(SecretMask base) {
        AtomicReference<Built> cache = new AtomicReference<>();
        return SecretMask.live(() -> {
            Built b = cache.get();
            SecretMask baseNow = base.fixed();
            if (b != null && b.generation() == currentGeneration() && b.base() == baseNow) {
                return b.mask();
            }
            Snapshot now = snapshot();
            Built fresh = new Built(now.generation(), baseNow, baseNow.plus(now.keys()));
            cache.set(fresh);
            return fresh.mask();
        });
    }

    private synchronized long currentGeneration() {
        return generation;
    }
}
