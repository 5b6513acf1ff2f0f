package dev.sonde.session;

import dev.sonde.suite.ModelSpec;
import dev.sonde.suite.Suite;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a cloud platform model differs from the first-party API in what a run may ask of it,
 * decided before anything is sent (README "Cloud platforms"): Message Batches are not offered
 * through the platforms' Claude integrations ({@code --batch} is refused; the suite's
 * {@code run.mode: batch} is refused by the loader), a recording replays through the emulator's
 * Messages API so only Messages-shaped routes are recorded ({@link ModelSpec#messagesShaped()}),
 * and Foundry sends no {@code anthropic-ratelimit-*} headers, so adaptive limits hold to the
 * configured ones (said once). Stateless.
 */
final class PlatformChecks {
    private PlatformChecks() {}

    /** Why {@code --batch} cannot run this suite's models, or empty when it can. */
    static Optional<String> batchRefusal(Suite suite) {
        return suite.models().stream().filter(ModelSpec::platform).findFirst()
                .map(m -> "--batch: model " + m.id() + " runs on " + m.provider() + ", and Message Batches are not offered "
                        + "through the cloud platforms' Claude integrations: run it without --batch");
    }

    /**
     * Why {@code m}, sent live, cannot be recorded, or empty when it can: Bedrock's InvokeModel and
     * Vertex AI reshape the body and the stream, and a recording replays through the emulator's
     * Messages API.
     */
    static Optional<String> recordRefusal(ModelSpec m) {
        if (!m.platform() || m.messagesShaped()) {
            return Optional.empty();
        }
        return Optional.of("model " + m.id() + " runs on " + m.provider() + (m.invoke() ? " (InvokeModel)" : "")
                + ", whose requests are not Messages API requests; recorded answers replay through the emulator's "
                + "Messages API only (record bedrock with api: messages, claude-platform-aws or foundry)");
    }

    /**
     * The console line for Foundry models under adaptive rate limits (the default): Foundry sends no
     * {@code anthropic-ratelimit-*} headers to adapt to, so their configured {@code rate_limits} hold.
     */
    static List<String> notes(Suite suite) {
        List<String> foundry = new ArrayList<>();
        for (ModelSpec m : suite.models()) {
            if (ModelSpec.FOUNDRY.equals(m.provider()) && m.rateLimits().adaptive() && suite.rateLimits().adaptive()) {
                foundry.add(m.id());
            }
        }
        if (foundry.isEmpty()) {
            return List.of();
        }
        return List.of("foundry (" + String.join(", ", foundry) + "): Foundry sends no anthropic-ratelimit-* headers, "
                + "so adaptive rate limits fall back to the configured rate_limits (none configured: 429s are retried "
                + "as usual)");
    }
}
