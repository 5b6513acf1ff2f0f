package dev.sonde.api;

import dev.sonde.metrics.Timings;
import dev.sonde.metrics.Usage;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The outcome of one HTTP call to a Messages endpoint: what came back, what it used and when each
 * part arrived. A failed exchange keeps whatever arrived before the failure (a stream that broke
 * mid-way still has its content, usage so far and timings) and names the failure in
 * {@link #failure()}; a successful one has {@code failure == null}.
 *
 * @param model the model the response named (or the requested one when none came back)
 * @param requestId the {@code request-id} response header (else {@code x-request-id}, or AWS's
 *     {@code x-amzn-RequestId}), what support asks for; null if none
 * @param hints what the response headers said about retrying and rate limits
 */
public record Exchange(
        int status,
        String requestId,
        String model,
        List<ContentBlock> content,
        String stopReason,
        String stopSequence,
        Usage usage,
        Timings timings,
        ApiFailure failure,
        ServerHints hints) {

    public Exchange {
        content = List.copyOf(content);
        hints = hints == null ? ServerHints.NONE : hints;
    }

    /** An exchange whose response said nothing about retries or limits. */
    public Exchange(int status, String requestId, String model, List<ContentBlock> content, String stopReason,
            String stopSequence, Usage usage, Timings timings, ApiFailure failure) {
        this(status, requestId, model, content, stopReason, stopSequence, usage, timings, failure, ServerHints.NONE);
    }

    public boolean ok() {
        return failure == null;
    }

    /** All text blocks joined, in order. */
    public String text() {
        return content.stream()
                .filter(b -> b instanceof ContentBlock.Text)
                .map(b -> ((ContentBlock.Text) b).text())
                .collect(Collectors.joining());
    }

    public List<ContentBlock.ToolUse> toolUses() {
        return content.stream()
                .filter(b -> b instanceof ContentBlock.ToolUse)
                .map(b -> (ContentBlock.ToolUse) b)
                .toList();
    }
}
