package dev.sonde.emulator;

/**
 * The context window and the output limit the emulator enforces for models matching {@code model}
 * (an exact id or a glob with {@code *} and {@code ?}): a prompt of more than {@code contextTokens}
 * input tokens (cache reads and writes included, counted as {@link InputTokens} counts them) or a
 * {@code max_tokens} above {@code maxOutputTokens} is a 400 {@code invalid_request_error}, as from
 * the API. The figures are modelled on Anthropic's model pages ({@code model_limits} in {@code
 * defaults.yaml}); the first matching entry wins.
 */
record ModelLimit(String model, int contextTokens, int maxOutputTokens) {

    ModelLimit {
        if (model == null || model.isEmpty()) {
            throw new IllegalArgumentException("model limit needs a model id or glob");
        }
        if (contextTokens < 1 || maxOutputTokens < 1) {
            throw new IllegalArgumentException("model limit for '" + model
                    + "': context_window and max_output_tokens must be >= 1");
        }
    }

    /**
     * Refuses {@code request} as the API words it when it asks for more output than the model gives
     * ({@code max_tokens: 200000 > 64000, which is the maximum allowed number of output tokens for
     * claude-sonnet-4-6}) or its prompt does not fit the window ({@code prompt is too long: 215000
     * tokens > 200000 maximum}). A count_tokens request ({@code maxTokens} -1) is held to the window
     * only.
     */
    void check(MessagesRequest request) {
        if (request.maxTokens() > maxOutputTokens) {
            throw ApiError.invalid("max_tokens: " + request.maxTokens() + " > " + maxOutputTokens
                    + ", which is the maximum allowed number of output tokens for " + request.model());
        }
        if (request.inputTokens() > contextTokens) {
            throw ApiError.invalid("prompt is too long: " + request.inputTokens() + " tokens > " + contextTokens
                    + " maximum");
        }
    }
}
