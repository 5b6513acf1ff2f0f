package dev.sonde.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.metrics.Usage;
import java.util.Iterator;
import java.util.Map;

/**
 * Whether a response's {@code usage} can be believed, before anything is priced from it. Every
 * counter (a field named {@code *_tokens} or {@code *_requests}, at any depth) must be a whole
 * number from 0 to {@value #MOST} — a hundred times the largest context window — and the output
 * may not pass what the request allowed ({@code max_tokens} or {@code max_completion_tokens}, both
 * APIs' contract); a chat usage's {@code cached_tokens} may not pass its {@code prompt_tokens}.
 * Usage that fails is a {@link ErrorClass#PROTOCOL protocol} error with no usage at all (so no
 * negative or absurd cost is ever recorded); the budget then counts the attempt at its worst case.
 * The message names the field and, for a number, its value — never text the server sent.
 */
public final class UsageCheck {
    /** The largest count believed: 100 million tokens (or uses). */
    static final long MOST = 100_000_000L;

    private static final java.util.regex.Pattern PLAIN_NAME = java.util.regex.Pattern.compile("[a-z0-9_]{1,64}");

    private UsageCheck() {}

    /**
     * {@code e} as it came, or — when its usage is not believable — the same exchange with no
     * usage, failed as a protocol error (a failure it already had is kept).
     *
     * @param maxOutput what the request allowed the output to reach; 0 or less when it said nothing
     */
    static Exchange checked(Exchange e, long maxOutput) {
        return checked(e, maxOutput, false);
    }

    /**
     * As {@link #checked(Exchange, long)}; with {@code required} (the Messages API, whose every
     * answer carries its usage) a successful exchange whose usage lacks {@code input_tokens} or
     * {@code output_tokens} fails too: a proxy that strips usage must not make answers look free.
     */
    public static Exchange checked(Exchange e, long maxOutput, boolean required) {
        String problem = problem(e.usage().raw(), maxOutput);
        if (problem == null && required && e.ok()) {
            for (String field : new String[] {"input_tokens", "output_tokens"}) {
                if (!e.usage().raw().hasNonNull(field)) {
                    problem = "the answer's usage has no " + field;
                    break;
                }
            }
        }
        if (problem == null) {
            return e;
        }
        ApiFailure failure = e.failure() != null ? e.failure()
                : new ApiFailure(ErrorClass.PROTOCOL, e.status(), null, problem);
        return new Exchange(e.status(), e.requestId(), e.model(), e.content(), e.stopReason(), e.stopSequence(),
                Usage.NONE, e.timings(), failure, e.hints());
    }

    /** Why {@code usage} cannot be believed, or null when it can. */
    static String problem(JsonNode usage, long maxOutput) {
        String counters = counters(usage, "usage");
        if (counters != null) {
            return counters;
        }
        for (String name : new String[] {"output_tokens", "completion_tokens"}) {
            long output = usage.path(name).asLong(0);
            if (maxOutput > 0 && output > maxOutput) {
                return "usage." + name + " " + output + " is more than the request's limit of " + maxOutput
                        + " output tokens";
            }
        }
        long prompt = usage.path("prompt_tokens").asLong(0);
        long cached = usage.path("prompt_tokens_details").path("cached_tokens").asLong(0);
        if (cached > prompt) {
            return "usage.prompt_tokens_details.cached_tokens " + cached + " is more than prompt_tokens " + prompt;
        }
        return null;
    }

    private static String counters(JsonNode node, String path) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String p = counters(node.get(i), path + "[" + i + "]");
                if (p != null) {
                    return p;
                }
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                String name = f.getKey();
                // a name is the server's text: echoed only when it is a plain field name (a key it echoed is not)
                String field = path + "." + (PLAIN_NAME.matcher(name).matches() ? name : "(a field)");
                JsonNode v = f.getValue();
                if (name.endsWith("_tokens") || name.endsWith("_requests")) {
                    String p = count(v, field);
                    if (p != null) {
                        return p;
                    }
                } else {
                    String p = counters(v, field);
                    if (p != null) {
                        return p;
                    }
                }
            }
        }
        return null;
    }

    private static String count(JsonNode v, String field) {
        if (v.isNull()) {
            return null;
        }
        if (v.isIntegralNumber() && !v.canConvertToLong()) {
            return field + " is more than any request can use (" + MOST + ")";
        }
        if (!v.isIntegralNumber()) {
            return field + " is not a whole number of tokens"
                    + (v.isNumber() && v.canConvertToLong() ? " (" + v.asText() + ")" : "");
        }
        long n = v.asLong();
        if (n < 0) {
            return field + " is negative (" + n + ")";
        }
        if (n > MOST) {
            return field + " " + n + " is more than any request can use (" + MOST + ")";
        }
        return null;
    }
}
