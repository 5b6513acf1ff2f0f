package dev.sonde.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The forms a key takes when a server or a writer encodes it, computed here independently of the
 * product's masking, for tests that scan artefacts and consoles for a leak.
 */
public final class KeyForms {
    private KeyForms() {}

    /** Form name → text; every text must be absent from anything Sonde writes or prints. */
    public static Map<String, String> of(String key) {
        Map<String, String> forms = new LinkedHashMap<>();
        forms.put("raw", key);
        forms.put("json", json(key));
        forms.put("json with \\/", json(key).replace("/", "\\/"));
        forms.put("json \\u-escaped", unicodeEscaped(key));
        forms.put("url", URLEncoder.encode(key, StandardCharsets.UTF_8));
        forms.put("url lower-case hex", lowerHex(URLEncoder.encode(key, StandardCharsets.UTF_8)));
        forms.put("html", html(key, "&#39;"));
        forms.put("html &#x27;", html(key, "&#x27;"));
        forms.put("csv quoted", key.replace("\"", "\"\""));
        String b64 = Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8));
        forms.put("base64", b64);
        forms.put("base64 (start)", b64.substring(0, Math.min(b64.length(), 24)));
        forms.put("base64url", Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8)));
        forms.put("tail", key.substring(Math.max(0, key.length() - 16)));
        forms.put("head", key.substring(0, Math.min(key.length(), 20)));
        return forms;
    }

    public static String json(String key) {
        try {
            String quoted = new ObjectMapper().writeValueAsString(key);
            return quoted.substring(1, quoted.length() - 1);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String unicodeEscaped(String key) {
        StringBuilder sb = new StringBuilder();
        key.chars().forEach(c -> sb.append(String.format("\\u%04x", c)));
        return sb.toString();
    }

    public static String html(String key, String apostrophe) {
        return key.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", apostrophe);
    }

    private static String lowerHex(String urlEncoded) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < urlEncoded.length(); i++) {
            char c = urlEncoded.charAt(i);
            if (c == '%' && i + 2 < urlEncoded.length()) {
                sb.append('%').append(urlEncoded.substring(i + 1, i + 3).toLowerCase());
                i += 2;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
