package dev.sonde.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * One scripted answer: when a request matches (all given conditions hold), the emulator answers
 * with {@link #reply} instead of generated text. Conditions: {@code model} (exact or glob),
 * {@code contains} (substring of the last user text) and {@code regex} (found in it), optionally
 * case-insensitive; {@code requestNumber} (the N-th {@code /v1/messages} request, 1-based; 0 = any),
 * {@code every} (every N-th request; 0 = any) and {@code probability} (a seeded draw from the config
 * seed, the rule name and the request number; negative = always). With {@code maxMatches >= 0} the
 * rule stops matching after that many requests (counted atomically; useful for "fail twice, then
 * succeed"). {@code reply} is null for a fault-only rule (the answer is generated); {@code faults}
 * is how the response is delivered ({@link Faults#NONE} for a normal delivery). A recorded rule
 * ({@code recorded} set, {@link Recording}) matches one exact request instead, which {@link Rules}
 * decides; its other conditions are unset. Thread-safe.
 */
record Rule(String name, Glob model, String contains, Pattern regex, boolean ignoreCase, long requestNumber, long every,
            double probability, int maxMatches, Reply reply, Faults faults, AtomicInteger matched,
            Recording.Key recorded) {

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

        /**
         * A recorded answer ({@link Recording}), replayed as it came: its blocks (each a validated
         * Messages API content block), stop reason, {@code usage} (over the emulator's token and cache
         * model) and pace ({@code latency}; null: the emulator's latency model). {@code model} null:
         * the requested one.
         */
        record Recorded(String model, List<JsonNode> content, String stopReason, String stopSequence,
                        ObjectNode usage, Recording.Latency latency) implements Reply {}
    }

    boolean matches(MessagesRequest request, long number, long configSeed) {
        if (recorded != null) {
            return false; // matched by its request's hash, in Rules
        }
        if (requestNumber > 0 && number != requestNumber) {
            return false;
        }
        if (every > 0 && (number <= 0 || number % every != 0)) {
            return false;
        }
        if (probability >= 0
                && new SplittableRandom(Seeds.mix(Seeds.mix(configSeed, name.hashCode()), number)).nextDouble() >= probability) {
            return false;
        }
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
