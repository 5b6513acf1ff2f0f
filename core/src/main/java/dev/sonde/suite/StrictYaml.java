package dev.sonde.suite;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A YAML parser that refuses anchors ({@code &name}) and aliases ({@code *name}) where they are
 * written. Jackson's YAML reader does not resolve aliases: it returns {@code *name} as the string
 * {@code name}, so a suite that shares a list by alias would silently run with a word in its place.
 * Suites share settings with {@code defaults:} and {@code cases_from:} instead. Duplicate keys are
 * refused by the factory's strict duplicate detection; {@link #duplicate} locates them.
 */
final class StrictYaml extends JsonParserDelegate {
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.*)'", Pattern.DOTALL);

    /** An anchor or alias, where it stands. */
    static final class Refused extends IOException {
        private final int line;
        private final int column;
        private final String field;

        Refused(String message, JsonLocation at, String field) {
            super(message);
            this.line = at == null ? 1 : Math.max(1, at.getLineNr());
            this.column = at == null ? 1 : Math.max(1, at.getColumnNr());
            this.field = field;
        }

        Location at(Path file) {
            return new Location(file, line, column);
        }

        String field() {
            return field;
        }
    }

    StrictYaml(JsonParser yaml) {
        super(yaml);
    }

    @Override
    public JsonToken nextToken() throws IOException {
        JsonToken t = super.nextToken();
        if (delegate instanceof YAMLParser yaml && t != null) {
            if (yaml.isCurrentAlias()) {
                throw new Refused("YAML aliases (*" + yaml.getText() + ") are not supported: Sonde's YAML reader would read "
                        + "it as the text '" + yaml.getText() + "'. Share settings with defaults: or cases_from: instead",
                        yaml.currentTokenLocation(), field(yaml.getParsingContext(), t));
            }
            Object tag = yaml.getTypeId();
            if (tag != null) {
                throw new Refused("YAML tags (" + tag + ") are not supported: a tag changes the value from what is written. "
                        + "Write the value plainly (quote it to keep it text)", yaml.currentTokenLocation(),
                        field(yaml.getParsingContext(), t));
            }
            if (t == JsonToken.FIELD_NAME && "<<".equals(yaml.currentName())) {
                throw new Refused("YAML merge keys (<<) are not supported. Share settings with defaults: or cases_from: "
                        + "instead", yaml.currentTokenLocation(), field(yaml.getParsingContext(), t));
            }
            Object anchor = yaml.getObjectId();
            if (anchor != null) {
                throw new Refused("YAML anchors (&" + anchor + ") are not supported, nor the aliases that would use them. "
                        + "Share settings with defaults: or cases_from: instead", yaml.currentTokenLocation(),
                        field(yaml.getParsingContext(), t));
            }
        }
        return t;
    }

    /** Where a duplicate key is written, or null when {@code e} is not about one. */
    static Location duplicate(Path file, StreamReadException e) {
        if (!DUPLICATE.matcher(String.valueOf(e.getOriginalMessage())).matches()) {
            return null;
        }
        // the key's own start (the exception's location is where the reader stopped, after the colon)
        JsonLocation at = e.getProcessor() instanceof JsonParser p ? p.currentTokenLocation() : e.getLocation();
        return new Location(file, at == null ? 1 : Math.max(1, at.getLineNr()), at == null ? 1 : Math.max(1, at.getColumnNr()));
    }

    /** The message for a duplicate key. */
    static String duplicateMessage(StreamReadException e) {
        Matcher m = DUPLICATE.matcher(e.getOriginalMessage());
        String key = m.matches() ? m.group(1) : "?";
        return "duplicate key '" + key + "': YAML would keep only the last one and drop the earlier value silently; "
                + "write the key once";
    }

    /** The field path of a duplicate key, e.g. {@code cases[1].assert}. */
    static String field(StreamReadException e) {
        return e.getProcessor() instanceof JsonParser p ? field(p.getParsingContext(), JsonToken.FIELD_NAME) : null;
    }

    /** A context's path as the suite errors write it: {@code cases[1].assert}; null at the root. */
    private static String field(JsonStreamContext context, JsonToken token) {
        Deque<String> parts = new ArrayDeque<>();
        JsonStreamContext c = context;
        // a container's start token already stands in its own new context: name it from the parent
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
            c = c.getParent();
        }
        for (; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.push("[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.getCurrentName() != null) {
                parts.push(c.getCurrentName());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String part : parts) {
            sb.append(part.startsWith("[") || sb.isEmpty() ? "" : ".").append(part);
        }
        String path = sb.toString();
        return path.isEmpty() ? null : path;
    }
}
