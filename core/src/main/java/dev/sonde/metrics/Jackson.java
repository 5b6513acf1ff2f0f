package dev.sonde.metrics;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The JSON factory every per-trial reader and writer shares. Jackson lends each parser and
 * generator a few kilobytes of buffers from a recycler pool; its default pool is per thread, and a
 * run gives every trial a virtual thread of its own, so each request, response and journal line
 * allocated its buffers anew (a quarter of a run's allocation, measured). This factory's pool is
 * shared by all threads. Thread-safe.
 */
public final class Jackson {
    /** The shared factory: its buffers are reused across threads. */
    public static final JsonFactory FACTORY = JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool()).build();

    private Jackson() {}

    /** A new mapper on {@link #FACTORY}, to configure further (its own settings, modules). */
    public static JsonMapper.Builder mapper() {
        return JsonMapper.builder(FACTORY.copy());
    }

    /** A plain mapper on {@link #FACTORY} (Jackson's defaults otherwise). */
    public static ObjectMapper plain() {
        return mapper().build();
    }

    /**
     * A plain mapper whose strings may be {@code maxStringChars} long (Jackson's default stops at
     * 20 M characters): for text that came from a file read whole, which must read back as it was.
     */
    public static ObjectMapper plain(int maxStringChars) {
        JsonFactory factory = FACTORY.copy();
        factory.setStreamReadConstraints(StreamReadConstraints.builder().maxStringLength(maxStringChars).build());
        return JsonMapper.builder(factory).build();
    }
}
