package dev.sonde.suite.lint;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A request body cut into the blocks its cache prefix is made of, in the API's order (API-NOTES
 * "Prompt caching"): each tool, then the system prompt (a string is one block, a list one block per
 * text block), then each message's content (a string is one block, a list one block per content
 * block). A block's {@code key} is what the cache compares: its section (and for messages, the
 * message's index and role) plus its canonical JSON without {@code cache_control}; two prompts share
 * a cache entry at block {@code i} exactly when their keys agree up to {@code i}.
 *
 * <p>Breakpoints are the blocks carrying {@code cache_control}, in order, plus the body's top-level
 * {@code cache_control} (automatic caching), which marks the last cacheable block unless that block
 * already has its own marker. Immutable.
 *
 * @param blocks the prompt's blocks in prefix order
 * @param breakpoints the cache breakpoints in prefix order
 */
record Prompt(List<Block> blocks, List<Breakpoint> breakpoints) {

    enum Section {
        TOOLS("tools"), SYSTEM("system"), MESSAGES("messages");

        final String key;

        Section(String key) {
            this.key = key;
        }
    }

    /**
     * @param path where the block is in the body, e.g. {@code [messages, 2, content, 0]}
     * @param tokens {@link TokenEstimate}'s over-count, or -1 when it cannot be estimated (images,
     *     binary documents)
     * @param cacheable false for blocks that cannot end a cached prefix (thinking, empty text)
     */
    record Block(List<Object> path, Section section, String key, int tokens, boolean cacheable) {}

    /**
     * @param block the index in {@link #blocks} of the marked block
     * @param ttl {@code 5m} or {@code 1h}
     * @param path where the {@code cache_control} is in the body: the block's path plus
     *     {@code cache_control}, or just {@code [cache_control]} for the top-level one
     */
    record Breakpoint(int block, String ttl, List<Object> path) {
        boolean topLevel() {
            return path.size() == 1;
        }
    }

    static Prompt of(JsonNode body) {
        List<Block> blocks = new ArrayList<>();
        List<Breakpoint> breakpoints = new ArrayList<>();
        JsonNode tools = body.path("tools");
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            add(blocks, breakpoints, List.of("tools", i), Section.TOOLS, "", tool,
                    TokenEstimate.of(canonical(tool)), true);
        }
        JsonNode system = body.path("system");
        if (system.isTextual()) {
            add(blocks, breakpoints, List.of("system"), Section.SYSTEM, "", system, TokenEstimate.of(system.asText()),
                    !system.asText().isEmpty());
        } else {
            for (int i = 0; i < system.size(); i++) {
                JsonNode block = system.get(i);
                String text = block.path("text").asText();
                add(blocks, breakpoints, List.of("system", i), Section.SYSTEM, "", block, TokenEstimate.of(text),
                        !text.isEmpty());
            }
        }
        JsonNode messages = body.path("messages");
        for (int m = 0; m < messages.size(); m++) {
            JsonNode content = messages.get(m).path("content");
            String message = m + " " + messages.get(m).path("role").asText();
            if (content.isTextual()) {
                add(blocks, breakpoints, List.of("messages", m, "content"), Section.MESSAGES, message, content,
                        TokenEstimate.of(content.asText()), !content.asText().isEmpty());
                continue;
            }
            for (int i = 0; i < content.size(); i++) {
                JsonNode block = content.get(i);
                String type = block.path("type").asText();
                add(blocks, breakpoints, List.of("messages", m, "content", i), Section.MESSAGES, message, block,
                        tokens(block), !type.equals("thinking") && !type.equals("redacted_thinking")
                                && !(type.equals("text") && block.path("text").asText().isEmpty()));
            }
        }
        JsonNode automatic = body.get("cache_control");
        if (automatic != null && automatic.isObject()) {
            int last = blocks.size() - 1;
            while (last >= 0 && !blocks.get(last).cacheable()) {
                last--;
            }
            int at = last;
            if (last >= 0 && breakpoints.stream().noneMatch(b -> b.block() == at)) {
                breakpoints.add(new Breakpoint(last, ttl(automatic), List.of("cache_control")));
            }
        }
        return new Prompt(List.copyOf(blocks), List.copyOf(breakpoints));
    }

    /** The estimated tokens of the prefix up to and including block {@code last}, or -1 if unknown. */
    int prefixTokens(int last) {
        int sum = 0;
        for (int i = 0; i <= last; i++) {
            int t = blocks.get(i).tokens();
            if (t < 0) {
                return -1;
            }
            sum += t;
        }
        return sum;
    }

    /**
     * The first block index at which this prompt's prefix through {@code mine} and {@code other}'s
     * through {@code theirs} differ, or -1 when they are the same prefix (same key, so same cache entry).
     */
    int firstDifference(int mine, Prompt other, int theirs) {
        int n = Math.min(mine, theirs);
        for (int i = 0; i <= n; i++) {
            if (!blocks.get(i).key().equals(other.blocks.get(i).key())) {
                return i;
            }
        }
        return mine == theirs ? -1 : n;
    }

    private static void add(List<Block> blocks, List<Breakpoint> breakpoints, List<Object> path, Section section,
            String message, JsonNode node, int tokens, boolean cacheable) {
        JsonNode cache = node.get("cache_control");
        if (cache != null && cache.isObject()) {
            List<Object> at = new ArrayList<>(path);
            at.add("cache_control");
            breakpoints.add(new Breakpoint(blocks.size(), ttl(cache), List.copyOf(at)));
        }
        blocks.add(new Block(path, section, section.key + " " + message + "\n" + canonical(node), tokens, cacheable));
    }

    private static String ttl(JsonNode cacheControl) {
        return cacheControl.path("ttl").asText("5m");
    }

    private static int tokens(JsonNode block) {
        return switch (block.path("type").asText()) {
            case "text" -> TokenEstimate.of(block.path("text").asText());
            case "thinking" -> TokenEstimate.of(block.path("thinking").asText());
            case "image" -> -1;
            case "document" -> "text".equals(block.path("source").path("type").asText())
                    ? TokenEstimate.of(block.path("source").path("data").asText()) : -1;
            case "tool_use" -> TokenEstimate.of(block.path("name").asText()) + TokenEstimate.of(canonical(block.path("input")));
            case "tool_result" -> toolResult(block.path("content"));
            default -> TokenEstimate.of(canonical(block));
        };
    }

    private static int toolResult(JsonNode content) {
        if (content.isTextual()) {
            return TokenEstimate.of(content.asText());
        }
        int sum = 0;
        for (JsonNode block : content) {
            int t = tokens(block);
            if (t < 0) {
                return -1;
            }
            sum += t;
        }
        return sum;
    }

    /** Compact JSON with object keys sorted and {@code cache_control} left out, at any depth. */
    static String canonical(JsonNode node) {
        StringBuilder out = new StringBuilder();
        canonical(node, out);
        return out.toString();
    }

    private static void canonical(JsonNode node, StringBuilder out) {
        if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (!f.getKey().equals("cache_control")) {
                    sorted.put(f.getKey(), f.getValue());
                }
            }
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> f : sorted.entrySet()) {
                out.append(first ? "" : ",").append(com.fasterxml.jackson.databind.node.TextNode.valueOf(f.getKey()))
                        .append(':');
                canonical(f.getValue(), out);
                first = false;
            }
            out.append('}');
        } else if (node.isArray()) {
            out.append('[');
            for (int i = 0; i < node.size(); i++) {
                out.append(i == 0 ? "" : ",");
                canonical(node.get(i), out);
            }
            out.append(']');
        } else {
            out.append(node);
        }
    }
}
