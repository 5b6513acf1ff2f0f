package dev.sonde.suite;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks a suite's extra HTTP headers when it loads, so a header the HTTP client would refuse never
 * surfaces mid-run after trials were paid: a name is an RFC 9110 token, a value is visible ASCII
 * with single spaces or tabs inside (no line break, no control or non-ASCII character), and no
 * header may be one the client sets itself or one that carries a credential.
 */
final class Headers {
    /** Set by the HTTP client or by framing; a suite's value would be refused or corrupt the request. */
    private static final Set<String> FRAMING = Set.of("connection", "content-length", "expect", "host", "upgrade",
            "transfer-encoding", "te", "trailer", "keep-alive", "proxy-connection", "content-type");
    /**
     * Credentials come from the environment, never from a suite file. {@code api-key} (Azure's key
     * header, Foundry's) is refused on every model, not only Foundry's: no other API gives it another
     * meaning, and a literal key would reach whichever endpoint the model points at and its recordings.
     */
    private static final Set<String> CREDENTIALS = Set.of("x-api-key", "api-key", "authorization",
            "proxy-authorization");

    private Headers() {}

    /**
     * The headers of {@code node} (a mapping of strings) of a model whose provider is {@code provider},
     * checked; {@code field} names it in errors.
     */
    static Map<String, String> check(Path file, JsonNode node, String field, String provider) throws SuiteException {
        Map<String, String> out = new LinkedHashMap<>();
        Set<String> seen = new HashSet<>();
        if (node == null) {
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> h = it.next();
            String name = h.getKey();
            String value = h.getValue().asText();
            Location at = SuiteLoader.locate(file, h.getValue());
            String problem = nameProblem(name, provider);
            if (problem == null) {
                problem = valueProblem(value);
            }
            if (problem == null && !seen.add(name.toLowerCase(Locale.ROOT))) {
                problem = "header names are case-insensitive, and this one is already given with other capitals";
            }
            if (problem != null) {
                throw new SuiteException(at, field + "." + printable(name), problem);
            }
            out.put(name, value);
        }
        return out;
    }

    private static String nameProblem(String name, String provider) {
        if (name.isEmpty()) {
            return "a header name cannot be empty";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$%&'*+-.^_`|~".indexOf(c) >= 0)) {
                return "a header name is letters, digits and !#$%&'*+-.^_`|~ only (an HTTP token); found "
                        + describe(c) + " at character " + (i + 1);
            }
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (CREDENTIALS.contains(lower)) {
            return "credentials come from the environment (" + credentialSources(provider) + "), never from a "
                    + "suite file: remove this header";
        }
        if (FRAMING.contains(lower) || lower.startsWith("proxy-")) {
            return "'" + lower + "' is set by the HTTP client itself: remove this header";
        }
        return null;
    }

    /** Where {@code provider}'s credentials come from (README "Cloud platforms", "Credentials"). */
    private static String credentialSources(String provider) {
        return switch (provider) {
            case ModelSpec.BEDROCK -> "AWS_BEARER_TOKEN_BEDROCK or the model's api_key_env, or AWS_ACCESS_KEY_ID and "
                    + "AWS_SECRET_ACCESS_KEY, or AWS_PROFILE";
            case ModelSpec.CLAUDE_PLATFORM_AWS -> "ANTHROPIC_AWS_API_KEY or the model's api_key_env, or "
                    + "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE";
            case ModelSpec.VERTEX -> "Google Application Default Credentials: GOOGLE_APPLICATION_CREDENTIALS or "
                    + "gcloud auth application-default login";
            case ModelSpec.FOUNDRY -> "ANTHROPIC_FOUNDRY_API_KEY or the model's api_key_env, "
                    + "ANTHROPIC_FOUNDRY_AUTH_TOKEN, or SONDE_FOUNDRY_TOKEN_COMMAND";
            case ModelSpec.OPENAI_CHAT -> "OPENAI_API_KEY or the model's api_key_env";
            default -> "ANTHROPIC_API_KEY or the model's api_key_env";
        };
    }

    private static String valueProblem(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean visible = c >= 0x21 && c <= 0x7E;
            boolean inner = (c == ' ' || c == '\t') && i > 0 && i < value.length() - 1;
            if (!visible && !inner) {
                return "a header value is visible ASCII, with spaces or tabs only between characters; found "
                        + describe(c) + " at character " + (i + 1);
            }
        }
        return null;
    }

    private static String describe(char c) {
        return c == '\n' || c == '\r' ? "a line break"
                : c == ' ' || c == '\t' ? "a " + (c == ' ' ? "space" : "tab")
                : c < 0x20 || c == 0x7F ? String.format(Locale.ROOT, "a control character (U+%04X)", (int) c)
                : c > 0x7E ? String.format(Locale.ROOT, "a non-ASCII character (U+%04X)", (int) c)
                : "'" + c + "'";
    }

    /** The name as it can be printed on one line. */
    private static String printable(String name) {
        StringBuilder sb = new StringBuilder();
        name.codePoints().limit(80).forEach(cp -> sb.append(cp >= 0x20 && cp < 0x7F ? Character.toString(cp)
                : String.format(Locale.ROOT, "\\u%04X", cp)));
        return sb.toString();
    }
}
