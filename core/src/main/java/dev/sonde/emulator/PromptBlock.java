package dev.sonde.emulator;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One cacheable unit of a prompt, in the order the API builds its cache prefix: each tool, then
 * the system prompt (a string is one block, a list one block per text block), then each
 * message's content (a string is one block, a list one block per content block). {@code path}
 * names it the way error messages do ({@code tools.0}, {@code system.1},
 * {@code messages.2.content.0}); {@code section} says where it sits (tools, system, or which
 * message with which role) and {@link #keyText()} is the section plus the block's canonical JSON
 * without {@code cache_control}, what the prefix hash covers (computed only when caching asks); {@code tokens}
 * is its share of {@link InputTokens#count} (a message's {@value InputTokens#MESSAGE_OVERHEAD}
 * overhead tokens go to its first block); {@code ttl} is {@code "5m"} or {@code "1h"} when the
 * block carries {@code cache_control}, else null; {@code cacheable} is false for blocks that
 * cannot end a cached prefix (thinking blocks, the empty content of a prefill turn).
 */
record PromptBlock(String path, String section, JsonNode node, int tokens, String ttl, boolean cacheable) {

    String keyText() {
        return section + "\n" + Json.canonical(Json.stripped(node));
    }
}
