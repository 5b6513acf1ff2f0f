/**
 * The local Anthropic/OpenAI-compatible server ({@code sonde emulator}, and the endpoint of offline runs):
 * Messages (JSON and SSE), token counting, models, Message Batches and chat completions on 127.0.0.1,
 * deterministic from a seed, with models of latency, prompt caching, rate limits and faults.
 *
 * <p>Exports {@link dev.sonde.emulator.Emulator}, {@link dev.sonde.emulator.EmulatorConfig} (with its entries
 * {@code LatencyProfile}, {@code CacheMinimum} and {@code RateLimit}), {@link dev.sonde.emulator.EmulatorRequest}
 * (its request log), {@link dev.sonde.emulator.CacheMinimums} (the table the cache lint shares) and
 * {@link dev.sonde.emulator.Recording} (the recorded-answer rules {@code --record} writes, and their request key). Depends on
 * {@code metrics} alone: it is a server, not a client of the harness.
 */
package dev.sonde.emulator;
