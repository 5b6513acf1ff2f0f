package dev.sonde.history.view;

import java.util.Set;
import org.eclipse.jetty.util.Fields;

/**
 * A page's query parameters, checked: only the names the page knows, each at most once and at
 * most {@value #MAX_CHARS} characters; an empty value counts as absent (a form's empty field).
 * Anything else is a {@link PageException} with status 400.
 */
final class Params {
    static final int MAX_CHARS = 300;

    private final Fields fields;

    Params(Fields fields, Set<String> known) throws PageException {
        this.fields = fields;
        for (Fields.Field f : fields) {
            if (!known.contains(f.getName())) {
                throw PageException.badRequest("unknown query parameter '" + f.getName() + "'; this page takes "
                        + (known.isEmpty() ? "none" : String.join(", ", known.stream().sorted().toList())));
            }
            if (f.getValues().size() > 1) {
                throw PageException.badRequest("query parameter '" + f.getName() + "' is given more than once");
            }
            if (f.getValue().length() > MAX_CHARS) {
                throw PageException.badRequest("query parameter '" + f.getName() + "' is longer than " + MAX_CHARS
                        + " characters");
            }
        }
    }

    /** The value, stripped; null when absent or blank. */
    String text(String name) {
        String v = fields.getValue(name);
        return v == null || v.isBlank() ? null : v.strip();
    }

    /** A whole number from 0 to {@code max}; {@code absent} when not given. */
    int count(String name, int absent, int max) throws PageException {
        String v = text(name);
        if (v == null) {
            return absent;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= 0 && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // said below
        }
        throw PageException.badRequest("query parameter '" + name + "' must be a whole number from 0 to " + max
                + ", not '" + v + "'");
    }
}
