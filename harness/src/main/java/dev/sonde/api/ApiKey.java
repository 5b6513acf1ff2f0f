package dev.sonde.api;

import java.util.Map;
import java.util.Optional;

/**
 * An API key that cannot leak by accident: {@link #toString()} never shows it, and the only way
 * to read it is {@link #reveal()}, called where the header is set. Keys come from the
 * environment only ({@code ANTHROPIC_API_KEY}, or a model's {@code api_key_env}), never from
 * suite files or flags.
 */
public final class ApiKey {
    public static final String ENV = "ANTHROPIC_API_KEY";
    private final String value;

    private ApiKey(String value) {
        this.value = value;
    }

    public static ApiKey of(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("an API key must not be empty");
        }
        return new ApiKey(value.strip());
    }

    /** The key from {@value #ENV} in {@code env}, if set and not blank. */
    public static Optional<ApiKey> fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env, ENV);
    }

    /** The key from the variable {@code name} in {@code env}, if set and not blank. */
    public static Optional<ApiKey> fromEnvironment(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(new ApiKey(v.strip()));
    }

    String reveal() {
        return value;
    }

    /** True when {@code text} contains this key (for callers that must scrub text they print). */
    public boolean occursIn(String text) {
        return text != null && text.contains(value);
    }

    @Override
    public String toString() {
        return "ApiKey[****]";
    }
}
