package dev.sonde.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.api.ContentBlock;
import dev.sonde.api.Exchange;

/**
 * {@code thinking}: the response has a {@code thinking} or {@code redacted_thinking} block and,
 * when {@code min_tokens} and/or {@code max_tokens} are given, the usage's
 * {@code output_tokens_details.thinking_tokens} is within them (inclusive). A bound that cannot be
 * judged because the API did not report thinking tokens fails, naming the missing field.
 * Immutable.
 */
final class ThinkingCheck implements Check {
    private final long minTokens;
    private final long maxTokens;

    /** @param minTokens inclusive, or -1 for none; {@code maxTokens} likewise */
    ThinkingCheck(long minTokens, long maxTokens) {
        this.minTokens = minTokens;
        this.maxTokens = maxTokens;
    }

    @Override
    public String type() {
        return "thinking";
    }

    @Override
    public CheckResult evaluate(Exchange exchange, Double costUsd) {
        long blocks = exchange.content().stream()
                .filter(b -> b instanceof ContentBlock.Thinking || b.type().equals("redacted_thinking"))
                .count();
        JsonNode reported = exchange.usage().raw().path("output_tokens_details").path("thinking_tokens");
        String tokens = reported.canConvertToLong() ? ", " + reported.asLong() + " thinking tokens" : "";
        if (blocks == 0) {
            return CheckResult.fail(type(), "no thinking block in the response" + tokens);
        }
        String observed = blocks + " thinking block" + (blocks == 1 ? "" : "s");
        if (minTokens < 0 && maxTokens < 0) {
            return CheckResult.pass(type(), observed + tokens);
        }
        if (!reported.canConvertToLong()) {
            return CheckResult.fail(type(), observed + ", but usage.output_tokens_details.thinking_tokens"
                    + " was not reported, so the token bound cannot be checked");
        }
        CheckResult bound = Bounds.check(type(), "thinking tokens " + reported.asLong(), reported.asLong(),
                minTokens, maxTokens);
        return new CheckResult(type(), bound.pass(), observed + ", " + bound.reason(), null);
    }
}
