package dev.sonde.check;

import dev.sonde.api.Exchange;
import java.io.IOException;
import java.io.StringReader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * {@code is-xml}: the output is one well-formed XML document (surrounding whitespace and one
 * Markdown code fence allowed), parsed by the JDK's parser. Model output is untrusted, so nothing
 * it names is ever fetched: external DTDs and external entities are neither loaded nor resolved
 * (an entity resolver answers every lookup with an empty document, and JAXP's external access is
 * closed), and secure processing caps entity expansion. A DOCTYPE is allowed, since it is still
 * well-formed XML. Thread-safe: a parser is made per call.
 */
final class XmlCheck implements Check {
    private static final Pattern FENCE = Pattern.compile("^```(?:xml)?\\s*\\n(.*)\\n```$", Pattern.DOTALL);
    private static final DocumentBuilderFactory FACTORY = factory();

    @Override
    public String type() {
        return "is-xml";
    }

    @Override
    public CheckResult evaluate(Exchange exchange, Double costUsd) {
        String text = exchange.text().strip();
        Matcher fence = FENCE.matcher(text);
        if (fence.matches()) {
            text = fence.group(1).strip();
        }
        if (text.isEmpty()) {
            return CheckResult.fail(type(), "output is empty, not XML");
        }
        try {
            Document doc = parser().parse(new InputSource(new StringReader(text)));
            return CheckResult.pass(type(), "well-formed XML, root <" + doc.getDocumentElement().getTagName() + ">");
        } catch (SAXParseException e) {
            return CheckResult.fail(type(), "not well-formed XML (line " + e.getLineNumber() + ", column "
                    + e.getColumnNumber() + ": " + e.getMessage() + "): " + Excerpt.of(text));
        } catch (SAXException | IOException e) {
            return CheckResult.fail(type(), "not XML (" + e.getMessage() + "): " + Excerpt.of(text));
        }
    }

    private static DocumentBuilder parser() {
        try {
            DocumentBuilder b;
            synchronized (FACTORY) {
                b = FACTORY.newDocumentBuilder();
            }
            b.setEntityResolver((publicId, systemId) -> new InputSource(new StringReader("")));
            b.setErrorHandler(new DefaultHandler() {
                @Override
                public void error(SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            return b;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK XML parser is misconfigured", e);
        }
    }

    private static DocumentBuilderFactory factory() {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        try {
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK XML parser lacks a required security feature", e);
        }
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        f.setNamespaceAware(true);
        f.setValidating(false);
        return f;
    }
}
