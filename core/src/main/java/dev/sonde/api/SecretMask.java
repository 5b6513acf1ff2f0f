package dev.sonde.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.metrics.Usage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces every key value in use with {@value #MARK} in text a server sent, before Sonde stores or
 * prints it: a hostile or careless server may echo the key it received in an error body, an SSE
 * {@code error} event, an HTML page, a header or the answer itself.
 *
 * <p>Each key is found in its raw form and in every character-wise escaped form, mixed freely:
 * JSON ({@code \u0073}, {@code \/}, {@code \"}), URL percent-encoding (either hex case), CSV's
 * doubled quote and HTML character references ({@code &amp;}, {@code &#38;}, {@code &#x26;}); and as a substring of any
 * base64 (standard or URL-safe) or hex encoding that contains it, at any of base64's three byte
 * alignments. {@link #maskJoined} masks a key split across several strings (stream deltas that a
 * reader joins). Keys shorter than {@value #MIN_KEY} characters are not looked for. Immutable and
 * thread-safe; {@link #NONE} masks nothing. A {@linkplain #live live} mask is the one exception: it
 * asks a supplier for the mask of the moment on every call, for credentials that change during a
 * run (OAuth access tokens, command-issued bearer tokens), and is as thread-safe as its supplier.
 */
public final class SecretMask {
    /** What a masked key reads as. */
    public static final String MARK = "[masked]";
    /** Masks nothing: for runs that send no key of the user's. */
    public static final SecretMask NONE = new SecretMask(null, List.of(), List.of(), false, null);
    /** Base64 fragments shorter than this are not matched (too likely in ordinary text). */
    private static final int MIN_ENCODED = 12;
    /**
     * Keys shorter than this are not looked for: no provider issues one, and masking a short value
     * (a test's "k") would cut ordinary words out of answers, field names out of usage.
     */
    static final int MIN_KEY = 8;

    private final Pattern pattern;
    /** The keys as they are: the one form of a key that holds no escape character. */
    private final List<String> raw;
    /** The base64 and hex fragments the pattern looks for. */
    private final List<String> literals;
    /** Whether a key holds {@code "}, which CSV escapes as {@code ""}. */
    private final boolean quote;
    /** For a live mask, where the mask of the moment comes from; null for a fixed one. */
    private final Supplier<SecretMask> live;

    private SecretMask(Pattern pattern, List<String> raw, List<String> literals, boolean quote,
            Supplier<SecretMask> live) {
        this.pattern = pattern;
        this.raw = raw;
        this.literals = literals;
        this.quote = quote;
        this.live = live;
    }

    /**
     * A mask that delegates every call to {@code current.get()}: the set of keys it finds may grow
     * between two calls (a new token issued), never within one. {@code current} is called often: it
     * should hand back a cached mask until its keys change.
     */
    static SecretMask live(Supplier<SecretMask> current) {
        return new SecretMask(null, List.of(), List.of(), false, current);
    }

    /** This mask itself, or for a live one the fixed mask it delegates to at the moment. */
    SecretMask fixed() {
        return live != null ? live.get().fixed() : this;
    }

    /** A fixed mask of this mask's keys (of the moment, for a live one) and {@code more}. */
    public SecretMask plus(Collection<ApiKey> more) {
        if (live != null) {
            return live.get().plus(more);
        }
        List<ApiKey> all = new ArrayList<>(raw.size() + more.size());
        raw.forEach(k -> all.add(ApiKey.of(k)));
        all.addAll(more);
        return of(all);
    }

    /** A mask for {@code keys} (duplicates are fine). */
    public static SecretMask of(Collection<ApiKey> keys) {
        Set<String> alternatives = new LinkedHashSet<>();
        List<String> values = keys.stream().map(ApiKey::reveal).filter(k -> k.length() >= MIN_KEY).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
        for (String key : values) {
            alternatives.add(charwise(key));
        }
        List<String> literals = new ArrayList<>();
        for (String key : values) {
            literals.addAll(encodedForms(key.getBytes(StandardCharsets.UTF_8)));
        }
        literals.sort(Comparator.comparingInt(String::length).reversed());
        // an encoded key takes the rest of its last group (and padding) with it
        literals.forEach(l -> alternatives.add(Pattern.quote(l) + "[A-Za-z0-9+/_-]{0,3}={0,2}"));
        return alternatives.isEmpty() ? NONE : new SecretMask(Pattern.compile(String.join("|", alternatives)), values,
                List.copyOf(literals), values.stream().anyMatch(k -> k.indexOf('"') >= 0), null);
    }

    /** A mask for one key. */
    public static SecretMask of(ApiKey key) {
        return of(List.of(key));
    }

    /** True when this mask has no key to look for. */
    public boolean isEmpty() {
        if (live != null) {
            return live.get().isEmpty();
        }
        return pattern == null;
    }

    /** {@code text} with every key form replaced by {@value #MARK}; the same instance when none occurs. */
    public String mask(String text) {
        if (live != null) {
            return live.get().mask(text);
        }
        if (pattern == null || text == null || text.isEmpty() || !mayHold(text)) {
            return text;
        }
        Matcher m = pattern.matcher(text);
        return m.find() ? m.replaceAll(MARK) : text;
    }

    /**
     * Masks {@code parts} as if joined: a key that starts in one part and ends in a later one is
     * removed from both, the mark standing where it began. The list itself when nothing occurs.
     */
    public List<String> maskJoined(List<String> parts) {
        if (live != null) {
            return live.get().maskJoined(parts);
        }
        if (pattern == null || parts.isEmpty()) {
            return parts;
        }
        String joined = String.join("", parts);
        if (!mayHold(joined)) {
            return parts;
        }
        Matcher m = pattern.matcher(joined);
        List<int[]> hits = new ArrayList<>();
        while (m.find()) {
            hits.add(new int[] {m.start(), m.end()});
        }
        if (hits.isEmpty()) {
            return parts;
        }
        List<String> out = new ArrayList<>(parts.size());
        int offset = 0;
        int next = 0; // hits are in order and do not overlap: walk them once
        for (String part : parts) {
            StringBuilder sb = new StringBuilder(part.length());
            for (int i = 0; i < part.length(); i++) {
                int at = offset + i;
                while (next < hits.size() && hits.get(next)[1] <= at) {
                    next++;
                }
                int[] hit = next < hits.size() && at >= hits.get(next)[0] ? hits.get(next) : null;
                if (hit == null) {
                    sb.append(part.charAt(i));
                } else if (hit[0] == at) {
                    sb.append(MARK);
                }
            }
            out.add(sb.toString());
            offset += part.length();
        }
        return out;
    }

    /** {@code node} with every string (and field name) masked; the same instance when none needed it. */
    public JsonNode mask(JsonNode node) {
        if (live != null) {
            return live.get().mask(node);
        }
        if (pattern == null || node == null || !needsMask(node)) {
            return node;
        }
        return masked(node);
    }

    private boolean needsMask(JsonNode node) {
        if (node.isTextual()) {
            return mayHold(node.textValue()) && pattern.matcher(node.textValue()).find();
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (mayHold(f.getKey()) && pattern.matcher(f.getKey()).find() || needsMask(f.getValue())) {
                    return true;
                }
            }
            return false;
        }
        if (node.isArray()) {
            for (JsonNode child : node) {
                if (needsMask(child)) {
                    return true;
                }
            }
        }
        return false;
    }

    private JsonNode masked(JsonNode node) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (node.isTextual()) {
            return f.textNode(mask(node.textValue()));
        }
        if (node.isObject()) {
            ObjectNode copy = f.objectNode();
            node.fields().forEachRemaining(e -> copy.set(mask(e.getKey()), masked(e.getValue())));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = f.arrayNode();
            node.forEach(child -> copy.add(masked(child)));
            return copy;
        }
        return node;
    }

    /**
     * {@code e} with every server-supplied string masked: the answer's blocks (text blocks as one
     * joined text), the failure's type and message, the request id, model, stop fields, kept
     * headers and the raw usage object. The same instance when nothing needed masking.
     */
    public Exchange mask(Exchange e) {
        if (live != null) {
            return live.get().mask(e); // one mask for the whole exchange
        }
        if (pattern == null || e == null) {
            return e;
        }
        List<String> texts = new ArrayList<>();
        for (ContentBlock b : e.content()) {
            if (b instanceof ContentBlock.Text t) {
                texts.add(t.text());
            }
        }
        List<String> maskedTexts = maskJoined(texts);
        List<ContentBlock> content = new ArrayList<>(e.content().size());
        boolean changed = maskedTexts != texts;
        int textIndex = 0;
        for (ContentBlock b : e.content()) {
            ContentBlock m = switch (b) {
                case ContentBlock.Text t -> maskedTexts == texts ? t : new ContentBlock.Text(maskedTexts.get(textIndex));
                case ContentBlock.ToolUse u -> {
                    String id = mask(u.id());
                    String name = mask(u.name());
                    JsonNode input = mask(u.input());
                    yield id == u.id() && name == u.name() && input == u.input() ? u : new ContentBlock.ToolUse(id, name, input);
                }
                case ContentBlock.Thinking t -> {
                    String thinking = mask(t.thinking());
                    String signature = mask(t.signature());
                    yield thinking == t.thinking() && signature == t.signature() ? t
                            : new ContentBlock.Thinking(thinking, signature);
                }
                case ContentBlock.Other o -> {
                    String type = mask(o.type());
                    JsonNode raw = mask(o.raw());
                    yield type == o.type() && raw == o.raw() ? o : new ContentBlock.Other(type, raw);
                }
            };
            if (b instanceof ContentBlock.Text) {
                textIndex++;
            }
            changed |= m != b;
            content.add(m);
        }
        String requestId = mask(e.requestId());
        String model = mask(e.model());
        String stopReason = mask(e.stopReason());
        String stopSequence = mask(e.stopSequence());
        JsonNode raw = mask(e.usage().raw());
        Usage usage = raw == e.usage().raw() ? e.usage() : Usage.fromJson(raw);
        ApiFailure failure = e.failure();
        if (failure != null) {
            String type = mask(failure.type());
            String message = mask(failure.message());
            if (type != failure.type() || message != failure.message()) {
                failure = new ApiFailure(failure.errorClass(), failure.status(), type, message);
            }
        }
        ServerHints hints = e.hints();
        Map<String, String> limits = new LinkedHashMap<>();
        boolean hintsChanged = false;
        for (Map.Entry<String, String> h : hints.rateLimits().entrySet()) {
            String k = mask(h.getKey());
            String v = mask(h.getValue());
            hintsChanged |= k != h.getKey() || v != h.getValue();
            limits.put(k, v);
        }
        if (hintsChanged) {
            hints = hints.withRateLimits(limits);
        }
        if (!changed && requestId == e.requestId() && model == e.model() && stopReason == e.stopReason()
                && stopSequence == e.stopSequence() && usage == e.usage() && failure == e.failure()
                && hints == e.hints()) {
            return e;
        }
        return new Exchange(e.status(), requestId, model, content, stopReason, stopSequence, usage, e.timings(),
                failure, hints);
    }

    /**
     * False only when {@code text} cannot hold a key in any form the pattern finds, decided with a
     * few substring searches instead of the pattern's alternatives at every position (most of what
     * a server sends is ordinary text). Exact, not a guess: every escaped form of a key character
     * starts with {@code %}, {@code &} or a backslash (or is CSV's {@code ""}), so text without them
     * can only hold a key as it is, or one of its base64 or hex fragments.
     */
    private boolean mayHold(String text) {
        if (text.indexOf('%') >= 0 || text.indexOf('&') >= 0 || text.indexOf('\\') >= 0
                || quote && text.indexOf('"') >= 0) {
            return true;
        }
        for (String key : raw) {
            if (text.contains(key)) {
                return true;
            }
        }
        for (String literal : literals) {
            if (text.contains(literal)) {
                return true;
            }
        }
        return false;
    }

    /** A regex matching {@code key} with each character raw or escaped as JSON, URL or HTML would. */
    private static String charwise(String key) {
        StringBuilder sb = new StringBuilder("(?:");
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            String hex2 = String.format(Locale.ROOT, "%02x", (int) c);
            String hex4 = String.format(Locale.ROOT, "%04x", (int) c);
            sb.append("(?:").append(Pattern.quote(String.valueOf(c)))
                    .append("|(?i:%").append(hex2).append(')')
                    .append("|&#0*").append((int) c).append(';')
                    .append("|(?i:&#x0*").append(Integer.toHexString(c)).append(";)")
                    .append("|(?i:\\\\u").append(hex4).append(')');
            String named = switch (c) {
                case '&' -> "amp";
                case '<' -> "lt";
                case '>' -> "gt";
                case '"' -> "quot";
                case '\'' -> "apos";
                default -> null;
            };
            if (named != null) {
                sb.append("|(?i:&").append(named).append(";)");
            }
            if (c == '/' || c == '"' || c == '\\' || c == '\'') {
                sb.append("|\\\\").append(Pattern.quote(String.valueOf(c)));
            }
            if (c == '"') {
                sb.append("|\"\""); // CSV's doubled quote
            }
            sb.append(')');
        }
        return sb.append(')').toString();
    }

    /**
     * The parts of any base64 (standard or URL-safe) or hex text that encodes {@code key}, whatever
     * surrounds it: for each of base64's three alignments, the characters that depend on the key's
     * bytes alone.
     */
    private static List<String> encodedForms(byte[] key) {
        List<String> out = new ArrayList<>();
        for (int prefix = 0; prefix < 3; prefix++) {
            byte[] shifted = new byte[prefix + key.length];
            System.arraycopy(key, 0, shifted, prefix, key.length);
            String enc = Base64.getEncoder().withoutPadding().encodeToString(shifted);
            int whole = shifted.length / 3 * 4; // characters of complete 3-byte groups
            int skip = prefix == 0 ? 0 : prefix + 1; // characters that hold bits of the unknown prefix
            if (whole - skip >= MIN_ENCODED) {
                String core = enc.substring(skip, whole);
                out.add(core);
                out.add(core.replace('+', '-').replace('/', '_'));
            }
        }
        String hex = HexFormat.of().formatHex(key);
        if (hex.length() >= MIN_ENCODED) {
            out.add(hex);
            out.add(hex.toUpperCase(Locale.ROOT));
        }
        return out.stream().distinct().toList();
    }
}
