package dev.sonde.emulator;

/**
 * Which platform's front served a request (issue 22): the emulator serves every platform at its
 * root and tells them apart by path and authentication. {@link #label} is what the request log
 * and the trace file say; {@link #platform} keys the emulator config's {@code platforms:}
 * latency profiles (null for the first-party API).
 */
enum Route {
    ANTHROPIC("anthropic", null, false),
    BEDROCK_INVOKE("bedrock-invoke", "bedrock", true),
    BEDROCK_RUNTIME("bedrock-runtime", "bedrock", true),
    BEDROCK_MANTLE("bedrock-mantle", "bedrock", true),
    CLAUDE_PLATFORM_AWS("claude-platform-aws", "claude-platform-aws", true),
    VERTEX("vertex", "vertex", false),
    FOUNDRY("foundry", "foundry", false),
    /** Vertex's ADC token endpoint, {@code POST /oauth2/token}. */
    OAUTH("oauth2-token", null, false);

    final String label;
    final String platform;
    /** Errors go out in the AWS shape ({@code x-amzn-ErrorType}, {@code {"message":…}}). */
    final boolean aws;

    Route(String label, String platform, boolean aws) {
        this.label = label;
        this.platform = platform;
        this.aws = aws;
    }
}
