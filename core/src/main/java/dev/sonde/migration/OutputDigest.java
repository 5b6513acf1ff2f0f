package dev.sonde.migration;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.journal.TrialResult;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A 64-bit fingerprint of a trial's answer — its final text and its tool calls (each call's name and
 * input as journaled, not its id, which the API makes fresh on every call) — so the comparison can
 * tell byte-identical answers apart from different ones keeping 8 bytes a trial, never the text.
 * The first 8 bytes of a SHA-256 over length-prefixed parts, so no two different answers collide by
 * construction (a text that ends where a tool call begins) and by chance only at 2⁻⁶⁴.
 * Not thread-safe: one per collector, fed by the journal pass one trial at a time.
 */
final class OutputDigest {
    private final MessageDigest sha = sha256();

    long of(TrialResult t) {
        sha.reset();
        part(t.outputText());
        int calls = t.toolCalls() == null ? 0 : t.toolCalls().size();
        sha.update(ByteBuffer.allocate(4).putInt(calls).array());
        for (int i = 0; i < calls; i++) {
            JsonNode call = t.toolCalls().get(i);
            part(call == null ? null : call.path("name").asText(null));
            part(call == null || !call.has("input") ? null : call.get("input").toString());
        }
        return ByteBuffer.wrap(sha.digest()).getLong();
    }

    /** A null and an empty string differ: -1 then nothing, or the UTF-8 length then the bytes. */
    private void part(String s) {
        if (s == null) {
            sha.update(ByteBuffer.allocate(4).putInt(-1).array());
            return;
        }
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        sha.update(bytes);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
