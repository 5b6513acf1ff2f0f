/**
 * The wire: one request in, one timed, classified exchange out (Messages API, chat completions, Message Batches)
 * (Jetty's HTTP client on the timing path; the JDK's for Message Batches, which are never timed), with the rules for where keys may be sent and the masking of keys servers send back.
 *
 * <p>Exports {@link dev.sonde.api.Provider} (with {@link dev.sonde.api.AnthropicClient} and {@link
 * dev.sonde.api.OpenAiChatClient}), {@link dev.sonde.api.BatchClient}, {@link dev.sonde.api.MessageRequest}, {@link
 * dev.sonde.api.Exchange} and its parts ({@code ContentBlock}, {@code ApiFailure}, {@code ErrorClass}, {@code
 * ServerHints}), {@link dev.sonde.api.Timeouts}, {@link dev.sonde.api.ApiKey}, {@link dev.sonde.api.EndpointPolicy}
 * and {@link dev.sonde.api.SecretMask}. Depends on {@code metrics}, and on {@code suite} for Timeouts.of(RunSpec).
 */
package dev.sonde.api;
