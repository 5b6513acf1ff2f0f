package dev.sonde.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts a {@link CacheVariant}'s breakpoints into a Messages API request body: first every
 * {@code cache_control} is removed (top level, tools, system blocks, message content blocks), then
 * each placement marks its block with {@code {"type":"ephemeral"}} (plus {@code "ttl":"1h"} for
 * 1h). A string {@code system} or message {@code content} becomes one text block so it can carry
 * the marker (the same tokens, API-NOTES "Prompt caching"). The API's rules are checked: at most
 * {@value #MAX_BREAKPOINTS} breakpoints, one per block, and no 1h breakpoint after a 5m one in
 * prefix order ({@code tools → system → messages}). Stateless.
 */
public final class CachePlacement {
    /** The API's limit of blocks with {@code cache_control} per request (API-NOTES). */
    public static final int MAX_BREAKPOINTS = 4;
    private static final Pattern BLOCK = Pattern.compile("messages\\[(\\d+)]\\.content\\[(\\d+)]");

    private CachePlacement() {}

    /** A placement that names no block of a body, or a layout the API would refuse. */
    public static final class Unplaceable extends RuntimeException {
        private final CacheVariant.Placement placement;

        Unplaceable(CacheVariant.Placement placement, String problem) {
            super(problem);
            this.placement = placement;
        }

        /** The placement at fault (its location is where the error points). */
        public CacheVariant.Placement placement() {
            return placement;
        }
    }

    /** True when {@code at} is a placement name this class understands. */
    public static boolean known(String at) {
        return switch (at) {
            case "tools", "system", "document", "last_user" -> true;
            default -> BLOCK.matcher(at).matches();
        };
    }

    /** A copy of {@code body} with {@code variant}'s breakpoints only; throws {@link Unplaceable}. */
    public static ObjectNode apply(ObjectNode body, CacheVariant variant) {
        ObjectNode out = body.deepCopy();
        strip(out);
        List<Marked> marked = new ArrayList<>();
        for (CacheVariant.Placement p : variant.placements()) {
            Marked m = locate(out, p);
            for (Marked earlier : marked) {
                if (earlier.block == m.block) {
                    throw new Unplaceable(p, "'" + p.at() + "' marks the same block as '" + earlier.placement.at() + "'");
                }
            }
            marked.add(m);
        }
        marked.sort(java.util.Comparator.comparingLong(m -> m.order));
        boolean seen5m = false;
        for (Marked m : marked) {
            if (m.placement.hour() && seen5m) {
                throw new Unplaceable(m.placement, "a 1h breakpoint ('" + m.placement.at() + "') may not come after a 5m "
                        + "one in prefix order (tools, system, messages): the API refuses it");
            }
            seen5m |= !m.placement.hour();
        }
        for (Marked m : marked) {
            ObjectNode cc = m.block.putObject("cache_control");
            cc.put("type", "ephemeral");
            if (m.placement.hour()) {
                cc.put("ttl", "1h");
            }
        }
        return out;
    }

    /**
     * {@code variant}'s placements in the order their breakpoints appear in {@code body}'s cache
     * prefix (tools, system, messages): the i-th {@code cache_control} of a body made by
     * {@link #apply} was put there by the i-th of these. Throws {@link Unplaceable} like apply.
     */
    public static List<CacheVariant.Placement> inPrefixOrder(ObjectNode body, CacheVariant variant) {
        List<Marked> marked = new ArrayList<>();
        for (CacheVariant.Placement p : variant.placements()) {
            marked.add(locate(body, p));
        }
        marked.sort(java.util.Comparator.comparingLong(m -> m.order));
        return marked.stream().map(Marked::placement).toList();
    }

    /** A block to mark and its position in prefix order. */
    private record Marked(CacheVariant.Placement placement, ObjectNode block, long order) {}

    private static Marked locate(ObjectNode body, CacheVariant.Placement p) {
        switch (p.at()) {
            case "tools" -> {
                JsonNode tools = body.get("tools");
                if (!(tools instanceof ArrayNode a) || a.isEmpty() || !a.get(a.size() - 1).isObject()) {
                    throw new Unplaceable(p, "the request has no tools to mark");
                }
                return new Marked(p, (ObjectNode) a.get(a.size() - 1), a.size() - 1);
            }
            case "system" -> {
                ArrayNode blocks = blocks(body, "system");
                if (blocks == null || blocks.isEmpty() || !blocks.get(blocks.size() - 1).isObject()) {
                    throw new Unplaceable(p, "the request has no system prompt to mark");
                }
                return new Marked(p, (ObjectNode) blocks.get(blocks.size() - 1), 1L << 20 | blocks.size() - 1);
            }
            case "document" -> {
                ArrayNode messages = messages(body);
                for (int i = messages.size() - 1; i >= 0; i--) {
                    JsonNode content = messages.get(i).get("content");
                    for (int k = content == null || !content.isArray() ? -1 : content.size() - 1; k >= 0; k--) {
                        if ("document".equals(content.get(k).path("type").asText())) {
                            return new Marked(p, (ObjectNode) content.get(k), order(i, k));
                        }
                    }
                }
                throw new Unplaceable(p, "the messages have no content block of type 'document' "
                        + "(name a block with messages[N].content[K] instead)");
            }
            case "last_user" -> {
                ArrayNode messages = messages(body);
                for (int i = messages.size() - 1; i >= 0; i--) {
                    if ("user".equals(messages.get(i).path("role").asText())) {
                        ArrayNode content = blocks((ObjectNode) messages.get(i), "content");
                        if (content != null && !content.isEmpty() && content.get(content.size() - 1).isObject()) {
                            return new Marked(p, (ObjectNode) content.get(content.size() - 1), order(i, content.size() - 1));
                        }
                    }
                }
                throw new Unplaceable(p, "the messages have no user turn with content to mark");
            }
            default -> {
                Matcher m = BLOCK.matcher(p.at());
                if (!m.matches()) {
                    throw new Unplaceable(p, "unknown placement '" + p.at() + "'");
                }
                int i = Integer.parseInt(m.group(1));
                int k = Integer.parseInt(m.group(2));
                ArrayNode messages = messages(body);
                if (i >= messages.size()) {
                    throw new Unplaceable(p, "there is no messages[" + i + "]: the request has " + messages.size()
                            + " message(s)");
                }
                ArrayNode content = blocks((ObjectNode) messages.get(i), "content");
                if (content == null || k >= content.size() || !content.get(k).isObject()) {
                    throw new Unplaceable(p, "messages[" + i + "] has no content[" + k + "] ("
                            + (content == null ? 0 : content.size()) + " block(s))");
                }
                return new Marked(p, (ObjectNode) content.get(k), order(i, k));
            }
        }
    }

    private static long order(int message, int block) {
        return (2L << 40) + ((long) message << 20) + block;
    }

    private static ArrayNode messages(ObjectNode body) {
        return body.get("messages") instanceof ArrayNode a ? a : body.arrayNode();
    }

    /** The field as a list of blocks, turning a string into one text block in place; null when absent. */
    private static ArrayNode blocks(ObjectNode parent, String field) {
        JsonNode value = parent.get(field);
        if (value != null && value.isTextual()) {
            ArrayNode list = parent.arrayNode();
            list.addObject().put("type", "text").put("text", value.asText());
            parent.set(field, list);
            return list;
        }
        return value instanceof ArrayNode a ? a : null;
    }

    /** Removes every {@code cache_control} the suite wrote, so only the variant's remain. */
    static void strip(ObjectNode body) {
        body.remove("cache_control");
        for (String field : new String[] {"tools", "system"}) {
            if (body.get(field) instanceof ArrayNode list) {
                list.forEach(b -> {
                    if (b instanceof ObjectNode o) {
                        o.remove("cache_control");
                    }
                });
            }
        }
        for (JsonNode message : messages(body)) {
            if (message.get("content") instanceof ArrayNode content) {
                content.forEach(b -> {
                    if (b instanceof ObjectNode o) {
                        o.remove("cache_control");
                    }
                });
            }
        }
    }
}
