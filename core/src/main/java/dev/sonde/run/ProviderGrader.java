package dev.sonde.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.api.Exchange;
import dev.sonde.api.MessageRequest;
import dev.sonde.api.Provider;
import dev.sonde.api.Timeouts;
import dev.sonde.check.Grader;
import dev.sonde.metrics.Clock;
import dev.sonde.metrics.Cost;
import dev.sonde.metrics.PricingTable;
import dev.sonde.metrics.Usage;
import dev.sonde.suite.RetrySpec;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * A {@link Grader} over the same {@link Provider} kind the trials use (its endpoint, protocol and
 * key): one non-streamed request per grading, retried like a trial ({@code run.retry}), priced
 * from the pricing table. The verdict schema is asked for as structured output:
 * {@code output_config.format} ({@code json_schema}) on the Messages API, {@code response_format}
 * on chat completions; a grader's own {@code output_config} (e.g. {@code effort}) is kept, only its
 * {@code format} is the verdict's. Request fields: the grader's {@code params} over {@code max_tokens}
 * {@value #DEFAULT_MAX_TOKENS} and {@code temperature} 0. An answer the emulator marked as filler
 * (no rule matched the grading request) comes back as {@link Reply#filler()}. Thread-safe.
 */
public final class ProviderGrader implements Grader {
    static final int DEFAULT_MAX_TOKENS = 1024;
    /** The trial whose checks this thread is evaluating, as a {@link RepeatAware} provider is told of it. */
    private static final ThreadLocal<Map<String, String>> TRIAL = ThreadLocal.withInitial(Map::of);

    private final String label;
    private final String apiModel;
    private final String priceKey;
    private final boolean openAiChat;
    private final Map<String, String> headers;
    private final ObjectNode params;
    private final Provider provider;
    private final PricingTable pricing;
    private final Timeouts timeouts;
    private final Retrier retrier;

    /**
     * @param label how reasons name the grader ({@code models[].id} or the API model id)
     * @param apiModel the model id sent, also the key it is priced under
     * @param openAiChat whether {@code provider} speaks chat completions
     * @param params request fields (e.g. {@code max_tokens}, {@code temperature}) over the defaults
     */
    public ProviderGrader(String label, String apiModel, boolean openAiChat, Map<String, String> headers,
            ObjectNode params, Provider provider, PricingTable pricing, Timeouts timeouts, RetrySpec retry,
            Clock clock) {
        this(label, apiModel, apiModel, openAiChat, headers, params, provider, pricing, timeouts, retry, clock);
    }

    /**
     * @param label how reasons name the grader ({@code models[].id} or the API model id)
     * @param apiModel the model id sent
     * @param priceKey the key the pricing table prices it under (a suite model's {@code priceKey()})
     * @param openAiChat whether {@code provider} speaks chat completions
     * @param params request fields (e.g. {@code max_tokens}, {@code temperature}) over the defaults
     */
    public ProviderGrader(String label, String apiModel, String priceKey, boolean openAiChat,
            Map<String, String> headers, ObjectNode params, Provider provider, PricingTable pricing, Timeouts timeouts,
            RetrySpec retry, Clock clock) {
        this.label = label;
        this.apiModel = apiModel;
        this.priceKey = priceKey;
        this.openAiChat = openAiChat;
        this.headers = Map.copyOf(headers);
        this.params = params.deepCopy();
        this.provider = provider;
        this.pricing = pricing;
        this.timeouts = timeouts;
        this.retrier = new Retrier(retry, clock, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** The {@code label} given at construction: the suite's {@code models[].id} or the API model id. */
    @Override
    public String model() {
        return label;
    }

    /**
     * {@code checks}, evaluated on this thread for the trial {@code askerHeaders} describe: a grading
     * request sent meanwhile through a {@link RepeatAware} provider carries them (its model label and
     * repeat), so the embedded emulator replays each trial's own recorded verdict even when repeats
     * gave identical answers, and the recorder keys it so.
     */
    static <T> T forTrial(Map<String, String> askerHeaders, Supplier<T> checks) {
        TRIAL.set(Map.copyOf(askerHeaders));
        try {
            return checks.get();
        } finally {
            TRIAL.remove();
        }
    }

    /** The request body for one grading (package-visible for tests). */
    ObjectNode body(String system, String prompt, ObjectNode verdictSchema) {
        ObjectNode body = params.objectNode();
        body.put("model", apiModel).put("max_tokens", DEFAULT_MAX_TOKENS).put("temperature", 0);
        body.setAll(params.deepCopy());
        body.put("model", apiModel).put("stream", false).put("system", system);
        body.putArray("messages").addObject().put("role", "user").put("content", prompt);
        if (openAiChat) {
            body.putObject("response_format").put("type", "json_schema").putObject("json_schema")
                    .put("name", "verdict").put("strict", true).set("schema", verdictSchema);
        } else {
            ObjectNode config = body.get("output_config") instanceof ObjectNode given ? given : body.putObject("output_config");
            config.putObject("format").put("type", "json_schema").set("schema", verdictSchema);
        }
        return body;
    }

    /**
     * Sends one grading request, retried per {@code run.retry}; the reply's cost sums every attempt that
     * returned usage (null when the model is unpriced). Never throws for API or network failures.
     */
    @Override
    public Reply ask(String system, String prompt, ObjectNode verdictSchema) throws InterruptedException {
        Map<String, String> sent = headers;
        if (provider instanceof RepeatAware && !TRIAL.get().isEmpty()) {
            sent = new HashMap<>(headers);
            sent.putAll(TRIAL.get());
        }
        MessageRequest request = new MessageRequest(body(system, prompt, verdictSchema), sent, timeouts);
        boolean priced = pricing.priceOf(priceKey).isPresent();
        double[] spent = {0};
        Retrier.Attempts outcome = retrier.run(attempt -> {
            Exchange ex = provider.send(request);
            pricing.cost(priceKey, ex.usage(), false).map(Cost::totalUsd).ifPresent(c -> spent[0] += c);
            return ex;
        });
        Exchange ex = outcome.last();
        Double cost = priced ? spent[0] : null;
        if (ex == null) {
            return new Reply("", Usage.NONE, cost, "no grading request was sent");
        }
        return new Reply(ex.text(), ex.usage(), cost, ex.ok() ? null : ex.failure().describe(),
                ex.ok() && ex.hints().emulatorFiller());
    }
}
