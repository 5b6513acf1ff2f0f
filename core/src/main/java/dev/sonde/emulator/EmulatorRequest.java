package dev.sonde.emulator;

/**
 * One request the emulator answered, as kept in {@link Emulator#requests()}. Holds no headers
 * and no body, so no API key can leak through it. {@code status} is the HTTP status (200 for a
 * stream that later carried an {@code error} event, whose type is then {@code errorType});
 * {@code errorType} is null on success; {@code model} is null when the body had none;
 * {@code retryCount} is the client's {@code X-Stainless-Retry-Count} header (0 when absent);
 * {@code route} names the platform front that served it ({@code anthropic}, {@code bedrock-invoke},
 * {@code bedrock-runtime}, {@code bedrock-mantle}, {@code claude-platform-aws}, {@code vertex},
 * {@code foundry}, {@code oauth2-token}).
 */
public record EmulatorRequest(
        String requestId,
        String method,
        String path,
        int status,
        String errorType,
        String model,
        boolean stream,
        int retryCount,
        String route) {}
