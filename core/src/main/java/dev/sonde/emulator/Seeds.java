package dev.sonde.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeds and ids derived from request content, so answers do not depend on arrival order or
 * concurrency. The request seed is the first 8 bytes of SHA-256 over the config seed and the
 * canonical request body without the fields that only shape delivery or limits ({@code stream},
 * {@code max_tokens}, {@code stop_sequences}, {@code metadata}): a streamed and a non-streamed
 * request get the same answer, and a lower {@code max_tokens} gives a prefix of the same text. {@link SplittableRandom} is used because its algorithm is
 * specified, so the same seed gives the same sequence on every JDK. Stateless.
 */
final class Seeds {
    private static final char[] BASE62 =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private static final List<String> IGNORED_FIELDS = List.of("stream", "max_tokens", "stop_sequences", "metadata");

    private Seeds() {}

    static long forRequest(long configSeed, JsonNode body) {
        JsonNode key = body;
        if (body instanceof ObjectNode object) {
            ObjectNode copy = object.deepCopy();
            copy.remove(IGNORED_FIELDS);
            key = copy;
        }
        return hash(configSeed + "\n" + Json.canonical(key));
    }

    static long mix(long seed, long salt) {
        return new SplittableRandom(seed ^ (salt * 0x9E3779B97F4A7C15L)).nextLong();
    }

    /** An id such as {@code msg_01…} or {@code toolu_01…}: the prefix, "01", then 22 base-62 chars. */
    static String id(String prefix, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        StringBuilder out = new StringBuilder(prefix).append("_01");
        for (int i = 0; i < 22; i++) {
            out.append(BASE62[rng.nextInt(BASE62.length)]);
        }
        return out.toString();
    }

    /** A standard normal sample (Box–Muller), so jitter does not depend on JDK internals. */
    static double gaussian(SplittableRandom rng) {
        double u1 = 1.0 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    private static long hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
