package dev.sonde.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * One scripted answer: when a request matches (all given conditions hold), the emulator answers
 * with {@link #reply} instead of generated text. Conditions: {@code model} (exact or glob),
 * {@code contains} (substring of the last user text) and {@code regex} (found in it), optionally
 * case-insensitive. With {@code maxMatches >= 0} the rule stops matching after that many requests
 * (counted atomically; useful for "fail twice, then succeed"). Thread-safe.
 */
record Rule(String name, Glob model, String contains, Pattern regex, boolean ignoreCase, int maxMatches,
            Reply reply, AtomicInteger matched) {

    /** What a rule answers with. */
    sealed interface Reply {
        /** Text, a tool call, or text then a tool call. A null {@code toolInput} is generated from the tool's schema. */
        record Content(String text, String toolName, JsonNode toolInput) implements Reply {}

        /** {@code stop_reason: refusal}, with optional text before it. */
        record Refusal(String text) implements Reply {}

        /**
         * An API error: before the response ({@code afterEvents < 0}, or any non-streaming request), or
         * in a streamed answer as an {@code error} event after {@code afterEvents} events.
         */
        record Failure(ApiError error, int afterEvents) implements Reply {}
    }

    boolean matches(MessagesRequest request) {
        if (model != null && !model.matches(request.model())) {
            return false;
        }
        String text = request.lastUserText();
        if (contains != null) {
            boolean found = ignoreCase
                    ? text.toLowerCase(Locale.ROOT).contains(contains.toLowerCase(Locale.ROOT))
                    : text.contains(contains);
            if (!found) {
                return false;
            }
        }
        if (regex != null && !regex.matcher(text).find()) {
            return false;
        }
        return maxMatches < 0 || matched.getAndIncrement() < maxMatches;
    }
}
