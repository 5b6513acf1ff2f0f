package dev.sonde.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** What the body-versioned platform routes (Bedrock's InvokeModel, Vertex) do alike to a request's body. */
final class PlatformBodies {

    private PlatformBodies() {}

    /**
     * Sets {@code body}'s {@code anthropic_version}: the last {@code anthropic-version} header of
     * {@code headers} (any case) wins, as in the SDK's BedrockBackend and VertexBackend; else a
     * version the body names is kept; else {@code platformDefault}. Those two fallbacks are Sonde's
     * own choice: the SDK (3.16.0) always adds a default {@code anthropic-version} header in its
     * core, so its backends always overwrite the body's value and never reach them. The header
     * itself is never sent on these routes.
     */
    static void versionIntoBody(Map<String, String> headers, ObjectNode body, String platformDefault) {
        String header = null;
        for (Map.Entry<String, String> h : headers.entrySet()) {
            if (h.getKey().equalsIgnoreCase("anthropic-version") && h.getValue() != null && !h.getValue().isBlank()) {
                header = h.getValue().strip();
            }
        }
        if (header != null) {
            body.put("anthropic_version", header);
        } else if (!body.hasNonNull("anthropic_version")) {
            body.put("anthropic_version", platformDefault);
        }
    }
}
