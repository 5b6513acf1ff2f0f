package dev.sonde.check;

import dev.sonde.api.Exchange;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code is-xml}: the output is one well-formed XML document (surrounding whitespace, a leading
 * byte-order mark and one Markdown code fence allowed) by {@link XmlDoc}'s rules, which refuse a
 * DOCTYPE internal subset and never fetch anything the document names; with
 * {@code required_elements}, the document also has each of those dot paths ({@link XmlDoc#missing}).
 * Immutable.
 */
final class XmlCheck implements Check {
    private static final Pattern FENCE = Pattern.compile("^```(?:xml)?\\s*\\n(.*)\\n```$", Pattern.DOTALL);
    private final List<String> required;

    /** @param required dot paths the document must have; empty for none */
    XmlCheck(List<String> required) {
        this.required = List.copyOf(required);
    }

    @Override
    public String type() {
        return "is-xml";
    }

    @Override
    public CheckResult evaluate(Exchange exchange, Double costUsd) {
        String text = exchange.text();
        text = (text.startsWith("\uFEFF") ? text.substring(1) : text).strip();
        Matcher fence = FENCE.matcher(text);
        if (fence.matches()) {
            text = fence.group(1).strip();
        }
        if (text.isEmpty()) {
            return CheckResult.fail(type(), "output is empty, not XML");
        }
        return switch (XmlDoc.parse(text)) {
            case XmlDoc.Parsed.Malformed m -> CheckResult.fail(type(), "not well-formed XML (" + m.why() + "): "
                    + Excerpt.of(text));
            case XmlDoc.Parsed.Wellformed w -> {
                List<String> missing = XmlDoc.missing(w.root(), required);
                yield missing.isEmpty()
                        ? CheckResult.pass(type(), "well-formed XML, root <" + w.root().name() + ">"
                                + (required.isEmpty() ? "" : " with " + String.join(", ", required)))
                        : CheckResult.fail(type(), "XML is missing required elements: " + String.join(", ", missing));
            }
        };
    }
}
