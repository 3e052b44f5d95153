package org.soapstone.potentials.quip;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * A QUIP parameter file ({@code quip_params.xml}, gap_fit's {@code core_param_file}): the XML in which QUIP's
 * interatomic potentials read their parameters, each from an element named after it ({@code SW_params},
 * {@code Tersoff_params}, {@code LJ_params}, {@code Glue_params}), chosen as QUIP's {@code IPModel_*_read_params_xml}
 * choose it: the first whose {@code label} matches the potential's {@code label=} argument, or, when no label is
 * given, the last of them (QUIP re-reads each one it meets). The text may hold several roots (gap_fit copies the file verbatim into a model); it is
 * read wrapped in one. Errors name the source and the element.
 */
final class QuipParameters {
    private final String source;
    private final Element root;

    private QuipParameters(String source, Element root) {
        this.source = source;
        this.root = root;
    }

    /**
     * @param source where the text comes from, for messages (a file name)
     * @param xml the parameter text; an XML declaration is allowed at its start
     * @throws IllegalArgumentException naming the source if the text is not well-formed XML
     */
    static QuipParameters parse(String source, String xml) {
        String body = xml.strip().replaceFirst("^<\\?xml[^>]*\\?>", "");
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setExpandEntityReferences(false);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            var builder = f.newDocumentBuilder();
            builder.setErrorHandler(new DefaultHandler());
            Document doc = builder.parse(new InputSource(new StringReader("<quip_parameters>" + body
                    + "</quip_parameters>")));
            return new QuipParameters(source, doc.getDocumentElement());
        } catch (SAXException | IOException e) {
            throw new IllegalArgumentException(source + ": malformed XML: " + e.getMessage(), e);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the source, for messages */
    String source() {
        return source;
    }

    /**
     * @param name the element, e.g. {@code SW_params}
     * @param label the potential's {@code label=} argument, or "" for the last element of that name
     * @return the element
     * @throws IllegalArgumentException naming the source if there is none
     */
    Element potential(String name, String label) {
        NodeList all = root.getElementsByTagName(name);
        if (label.isEmpty() && all.getLength() > 0) {
            return (Element) all.item(all.getLength() - 1);
        }
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (label.equals(e.getAttribute("label"))) {
                return e;
            }
        }
        throw new IllegalArgumentException(source + ": no <" + name + (label.isEmpty() ? "" : " label=\"" + label
                + "\"") + "> element" + (all.getLength() > 0 && !label.isEmpty() ? " (" + all.getLength()
                + " with other labels)" : ""));
    }

    /** @return the child elements of {@code parent} named {@code name}, in document order */
    static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    /** @return the real attribute {@code name} of {@code e}; an error naming source, element and attribute if bad */
    double real(Element e, String name) {
        String v = required(e, name);
        try {
            return Double.parseDouble(v.replace('d', 'e').replace('D', 'E'));
        } catch (NumberFormatException x) {
            throw new IllegalArgumentException(where(e) + ": " + name + "=\"" + v + "\" is not a number", x);
        }
    }

    /** @return the real attribute, or {@code fallback} if absent */
    double real(Element e, String name, double fallback) {
        return e.hasAttribute(name) ? real(e, name) : fallback;
    }

    /** @return the integer attribute {@code name} of {@code e} */
    int integer(Element e, String name) {
        String v = required(e, name);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException x) {
            throw new IllegalArgumentException(where(e) + ": " + name + "=\"" + v + "\" is not an integer", x);
        }
    }

    /** @return the logical attribute (QUIP's T/F, true/false), or {@code fallback} if absent */
    boolean logical(Element e, String name, boolean fallback) {
        if (!e.hasAttribute(name)) {
            return fallback;
        }
        String v = e.getAttribute(name).strip();
        return switch (v.toUpperCase(java.util.Locale.ROOT)) {
            case "T", "TRUE", ".TRUE.", "1" -> true;
            case "F", "FALSE", ".FALSE.", "0" -> false;
            default -> throw new IllegalArgumentException(where(e) + ": " + name + "=\"" + v + "\" is not T or F");
        };
    }

    private String required(Element e, String name) {
        if (!e.hasAttribute(name)) {
            throw new IllegalArgumentException(where(e) + ": attribute " + name + " is missing");
        }
        return e.getAttribute(name).strip();
    }

    /** @return "source: <element attr=…>" for messages */
    String where(Element e) {
        StringBuilder b = new StringBuilder(source).append(": <").append(e.getTagName());
        for (String a : List.of("label", "type", "type1", "type2", "atomic_num", "atnum_i", "atnum_j", "atnum_c")) {
            if (e.hasAttribute(a)) {
                b.append(' ').append(a).append("=\"").append(e.getAttribute(a)).append('"');
            }
        }
        return b.append('>').toString();
    }
}
