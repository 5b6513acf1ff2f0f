package dev.sonde.suite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.metrics.BoundedFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * Image and PDF blocks from files: a content block {@code {type: image, file: path}} or
 * {@code {type: document, file: path}} (path relative to the suite) becomes the API's base64 block
 * when the suite loads. The media type comes from the file's first bytes (PNG, JPEG, GIF, WebP,
 * PDF), never from its name; limits are checked then, with the block's position in the error:
 * images at most {@value #MAX_IMAGE_BYTES} bytes, PDFs at most {@value #MAX_PDF_BYTES} bytes. A
 * block with both {@code file} and {@code source} is an error (which one is meant is unclear).
 */
final class Attachments {
    static final long MAX_IMAGE_BYTES = 5L * 1024 * 1024;
    static final long MAX_PDF_BYTES = 32L * 1024 * 1024;

    private Attachments() {}

    /** Replaces every file-backed block in {@code messages} (in place); {@code raw} locates errors. */
    static void inline(JsonNode messages, JsonNode raw, Path dir, Path suiteFile, String field) throws SuiteException {
        for (int m = 0; m < messages.size(); m++) {
            JsonNode content = messages.get(m).path("content");
            if (!content.isArray()) {
                continue;
            }
            for (int b = 0; b < content.size(); b++) {
                if (!(content.get(b) instanceof ObjectNode block) || !block.has("file")) {
                    continue;
                }
                JsonNode at = raw.path(m).path("content").path(b);
                String where = field + ".messages[" + m + "].content[" + b + "].file";
                Location location = SuiteLoader.locate(suiteFile, at.isMissingNode() ? null : at);
                if (block.has("source")) {
                    throw new SuiteException(location, where, "a block has either 'file' or 'source', not both"
                            + " (the file becomes the source)");
                }
                inlineOne(block, dir.resolve(block.get("file").asText()).normalize(), location, where);
            }
        }
    }

    private static void inlineOne(ObjectNode block, Path file, Location location, String field) throws SuiteException {
        String type = block.path("type").asText();
        if (!type.equals("image") && !type.equals("document")) {
            throw new SuiteException(location, field, "'file' works on image and document blocks, not '" + type + "'");
        }
        byte[] bytes;
        try {
            bytes = BoundedFiles.read(file, Math.max(MAX_PDF_BYTES, MAX_IMAGE_BYTES));
        } catch (BoundedFiles.Refused e) {
            throw new SuiteException(location, field, e.getMessage());
        } catch (IOException e) {
            throw new SuiteException(location, field, "cannot read " + file);
        }
        String media = mediaType(bytes);
        if (media == null) {
            throw new SuiteException(location, field, file + " is not a PNG, JPEG, GIF, WebP or PDF file");
        }
        boolean pdf = media.equals("application/pdf");
        if (pdf != type.equals("document")) {
            throw new SuiteException(location, field, file + " is " + media + ": use a " + (pdf ? "document" : "image")
                    + " block");
        }
        long limit = pdf ? MAX_PDF_BYTES : MAX_IMAGE_BYTES;
        if (bytes.length > limit) {
            throw new SuiteException(location, field, file + " is " + bytes.length + " bytes; the API takes at most "
                    + limit + " for " + (pdf ? "a PDF" : "an image"));
        }
        block.remove("file");
        ObjectNode source = block.putObject("source");
        source.put("type", "base64").put("media_type", media).put("data", Base64.getEncoder().encodeToString(bytes));
    }

    /** The media type the file's magic bytes say, or null. */
    static String mediaType(byte[] b) {
        if (starts(b, 0x89, 'P', 'N', 'G')) {
            return "image/png";
        }
        if (starts(b, 0xFF, 0xD8, 0xFF)) {
            return "image/jpeg";
        }
        if (starts(b, 'G', 'I', 'F', '8')) {
            return "image/gif";
        }
        if (starts(b, 'R', 'I', 'F', 'F') && b.length >= 12 && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
            return "image/webp";
        }
        if (starts(b, '%', 'P', 'D', 'F')) {
            return "application/pdf";
        }
        return null;
    }

    private static boolean starts(byte[] b, int... prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((b[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
