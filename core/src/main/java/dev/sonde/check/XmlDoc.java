package dev.sonde.check;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParser;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;
import org.xml.sax.ext.DeclHandler;
import org.xml.sax.helpers.DefaultHandler;

/**
 * One XML document read from model output by the JDK's SAX parser into a small element tree, for
 * {@code is-xml} and {@code contains-xml}. Model output is hostile, so:
 * <ul>
 * <li>a DOCTYPE's <b>internal subset</b> is refused at its first declaration, before any entity it
 *     declares is used: the parser never expands a declared entity, so an entity whose text does not
 *     nest ({@code <!ENTITY e "<a>">}) cannot slip through unparsed, and billion laughs stops at its
 *     first line. promptfoo refuses internal subsets too.</li>
 * <li>nothing a document names is fetched: external DTDs and entities are neither loaded nor
 *     resolved (JAXP's external access is closed and the resolver answers every lookup with an empty
 *     document), and secure processing stays on.</li>
 * <li>size is bounded by Sonde, not by whichever JDK runs it (the JDK's secure-processing defaults
 *     differ between releases): at most {@value #MAX_DEPTH} nested elements and
 *     {@value #MAX_ATTRIBUTES} attributes on one element; beyond either the text is "over the depth
 *     limit" (or the attribute limit), which is a failed check, never a crash.</li>
 * </ul>
 * A leading byte-order mark is allowed (XML 1.0 §4.3.3). Parsing is namespace-unaware, as promptfoo's:
 * a name with a colon is an XML 1.0 name, so {@code <ns:a/>} is well-formed without a declaration of
 * {@code ns}; names are kept as written ({@code ns:item}). Thread-safe: a parser per call.
 */
final class XmlDoc {
    static final int MAX_DEPTH = 1_000;
    static final int MAX_ATTRIBUTES = 1_000;
    private static final SAXParserFactory FACTORY = factory();

    private XmlDoc() {}

    /** An element: its name as written, its attributes, its child elements in order. */
    record Element(String name, Map<String, String> attributes, List<Element> children) {}

    /** What parsing gave: a document's root element, or why the text is not one. */
    sealed interface Parsed {
        record Wellformed(Element root) implements Parsed {}

        record Malformed(String why) implements Parsed {}
    }

    static Parsed parse(String text) {
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        Builder builder = new Builder();
        try {
            SAXParser parser;
            synchronized (FACTORY) {
                parser = FACTORY.newSAXParser();
            }
            parser.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            parser.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            // The JDK's own limits sit above Sonde's, so Builder's checks (and their reasons) decide.
            parser.setProperty("jdk.xml.maxElementDepth", String.valueOf(2 * MAX_DEPTH));
            parser.setProperty("jdk.xml.elementAttributeLimit", String.valueOf(2 * MAX_ATTRIBUTES));
            XMLReader reader = parser.getXMLReader();
            reader.setEntityResolver((publicId, systemId) -> new InputSource(new StringReader("")));
            reader.setContentHandler(builder);
            reader.setErrorHandler(builder);
            reader.setProperty("http://xml.org/sax/properties/declaration-handler", new NoInternalSubset());
            reader.parse(new InputSource(new StringReader(body)));
            return new Parsed.Wellformed(builder.root);
        } catch (InternalSubset | OverLimit e) {
            return new Parsed.Malformed(e.getMessage());
        } catch (SAXParseException e) {
            return new Parsed.Malformed("line " + e.getLineNumber() + ", column " + e.getColumnNumber() + ": "
                    + e.getMessage());
        } catch (SAXException | IOException e) {
            return new Parsed.Malformed(String.valueOf(e.getMessage()));
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK XML parser is misconfigured", e);
        }
    }

    /**
     * The paths of {@code required} that {@code root} lacks, in order. A path is a dot path from the
     * root element's name ({@code answer.steps.step}); a whole-number segment picks one of the
     * repeated siblings the previous segment matched, from 0 ({@code answer.steps.step.1} is the
     * second); a last segment {@code @name} is an attribute. Without an index a path holds when any
     * of the repeated siblings continues it. "Present" means the element exists, even empty.
     */
    static List<String> missing(Element root, List<String> required) {
        List<String> missing = new ArrayList<>();
        for (String path : required) {
            if (!present(root, path)) {
                missing.add(path);
            }
        }
        return missing;
    }

    private static boolean present(Element root, String path) {
        String[] segments = path.split("\\.", -1);
        if (!segments[0].equals(root.name())) {
            return false;
        }
        List<Element> at = List.of(root);
        for (int i = 1; i < segments.length; i++) {
            String s = segments[i];
            if (s.startsWith("@")) {
                String attribute = s.substring(1);
                return i == segments.length - 1 && at.stream().anyMatch(e -> e.attributes().containsKey(attribute));
            }
            if (canonicalIndex(s)) {
                int index = s.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(s);
                if (index >= at.size()) {
                    return false;
                }
                at = List.of(at.get(index));
                continue;
            }
            List<Element> next = new ArrayList<>();
            for (Element e : at) {
                for (Element c : e.children()) {
                    if (c.name().equals(s)) {
                        next.add(c);
                    }
                }
            }
            if (next.isEmpty()) {
                return false;
            }
            at = next;
        }
        return true;
    }

    /**
     * A whole-number segment written canonically ({@code 0}, {@code 12}; not {@code 01}), as
     * promptfoo's path walk takes only such an index; {@code 01} is a name, which no element has.
     */
    private static boolean canonicalIndex(String segment) {
        return !segment.isEmpty() && segment.chars().allMatch(c -> c >= '0' && c <= '9')
                && (segment.length() == 1 || segment.charAt(0) != '0');
    }

    /** Thrown when the document passes {@link #MAX_DEPTH} or {@link #MAX_ATTRIBUTES}. */
    private static final class OverLimit extends SAXException {
        OverLimit(String what) {
            super(what);
        }
    }

    /** Thrown at the first declaration of an internal subset (external ones are never read). */
    private static final class InternalSubset extends SAXException {
        InternalSubset(String what) {
            super("a DOCTYPE internal subset is not accepted (it declares " + what + "): its entities would"
                    + " hide text from the parser");
        }
    }

    private static final class NoInternalSubset implements DeclHandler {
        @Override
        public void elementDecl(String name, String model) throws SAXException {
            throw new InternalSubset("element " + name);
        }

        @Override
        public void attributeDecl(String element, String attribute, String type, String mode, String value)
                throws SAXException {
            throw new InternalSubset("attributes of " + element);
        }

        @Override
        public void internalEntityDecl(String name, String value) throws SAXException {
            throw new InternalSubset("entity " + name);
        }

        @Override
        public void externalEntityDecl(String name, String publicId, String systemId) throws SAXException {
            throw new InternalSubset("external entity " + name);
        }
    }

    /** Builds the element tree with an explicit stack, so depth costs no Java stack. */
    private static final class Builder extends DefaultHandler {
        private final Deque<Element> open = new ArrayDeque<>();
        private Element root;

        @Override
        public void startElement(String uri, String localName, String qName, Attributes attributes)
                throws SAXException {
            if (open.size() >= MAX_DEPTH) {
                throw new OverLimit("over the depth limit: more than " + MAX_DEPTH + " nested elements");
            }
            if (attributes.getLength() > MAX_ATTRIBUTES) {
                throw new OverLimit("over the attribute limit: <" + qName + "> has more than " + MAX_ATTRIBUTES
                        + " attributes");
            }
            Map<String, String> attrs = new LinkedHashMap<>();
            for (int i = 0; i < attributes.getLength(); i++) {
                attrs.put(attributes.getQName(i), attributes.getValue(i));
            }
            Element e = new Element(qName, attrs, new ArrayList<>());
            if (open.isEmpty()) {
                root = e;
            } else {
                open.peek().children().add(e);
            }
            open.push(e);
        }

        @Override
        public void endElement(String uri, String localName, String qName) {
            open.pop();
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }
    }

    private static SAXParserFactory factory() {
        SAXParserFactory f = SAXParserFactory.newInstance();
        try {
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("the JDK XML parser lacks a required security feature", e);
        }
        f.setXIncludeAware(false);
        f.setNamespaceAware(false);
        f.setValidating(false);
        return f;
    }
}
