package dev.sonde.run;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.api.MessageRequest;
import dev.sonde.api.Provider;
import dev.sonde.api.Timeouts;
import dev.sonde.suite.Suite;
import dev.sonde.suite.Trial;
import java.util.function.Function;

/**
 * The one unmeasured request an offline cache-variant run sends to the emulator before its first
 * sequence ({@link Sequencer#withPrimer}): the first request of a JVM pays class loading, JIT and
 * the connection set-up (hundreds of ms), which would otherwise land in the first variant's TTFT.
 * Its body is {@link #body tiny} and carries no {@code cache_control}, so it can neither read nor
 * write a cache entry any variant uses. It is not journaled, priced, budgeted or retried, and its
 * outcome (an error too) is ignored: a real problem shows in the first measured request.
 */
final class Primer {
    /** The prompt of the priming request. */
    static final String PROMPT = "ping";

    private Primer() {}

    /** Sends the priming request for {@code first}'s model through that model's provider. */
    static Sequencer.Prime of(Suite suite, Function<Trial, Provider> providers) {
        Timeouts timeouts = Timeouts.of(suite.run());
        return first -> providers.apply(first).send(new MessageRequest(body(first.body()), first.headers(), timeouts));
    }

    /** {@code model}, {@code stream} as in {@code trialBody}, one output token, one short user turn. */
    static ObjectNode body(ObjectNode trialBody) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("model", trialBody.get("model"));
        body.put("max_tokens", 1);
        body.put("stream", trialBody.path("stream").asBoolean(true));
        body.putArray("messages").addObject().put("role", "user").put("content", PROMPT);
        return body;
    }
}
