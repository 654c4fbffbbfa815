package io.pigsty.offline.format.rpm;

import io.pigsty.offline.model.MetadataException;

import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Copies the {@code <package>} records of chosen packages out of upstream primary.xml or
 * filelists.xml verbatim, as XML text, so the bundle's metadata says exactly what upstream said.
 * The one change is in primary: {@code location} points at the flat file name.
 */
final class Records {
    private Records() {}

    /**
     * Returns the serialized record of every package whose id is in {@code wanted}.
     *
     * @param idOf     reads a record's package id at its start element (filelists: the pkgid
     *                 attribute); null means the id is the text of its {@code checksum} child (primary)
     * @param newHref  maps a package id to the location href to write, null to keep it
     */
    static Map<String, String> copy(InputStream in, String where, Set<String> wanted,
                                    Function<XMLStreamReader, String> idOf,
                                    Function<String, String> newHref) throws MetadataException {
        Map<String, String> out = new HashMap<>();
        try {
            XMLStreamReader r = Xml.reader(in);
            while (r.hasNext()) {
                if (r.next() != XMLStreamConstants.START_ELEMENT || !r.getLocalName().equals("package")) continue;
                String id = idOf == null ? null : idOf.apply(r);
                if (id != null && !wanted.contains(id)) {
                    Xml.skip(r);
                    continue;
                }
                StringBuilder b = new StringBuilder(2048);
                String pkgid = serialize(r, b, id, wanted, newHref);
                if (pkgid != null && wanted.contains(pkgid)) out.put(pkgid, b.toString());
            }
            r.close();
        } catch (XMLStreamException e) {
            throw new MetadataException(where + ": malformed metadata: " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * The text of the first element named {@code local} (any prefix) in a record {@link #copy} wrote,
     * unescaped; null when absent or empty.
     */
    static String field(String record, String local) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<(?:[A-Za-z_][\\w.-]*:)?" + local + ">([^<]*)</").matcher(record);
        if (!m.find()) return null;
        String v = m.group(1).replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'")
                .replace("&amp;", "&").trim();
        return v.isEmpty() ? null : v;
    }

    /** Serializes the element at the reader (a start tag) and its subtree; returns the package id. */
    private static String serialize(XMLStreamReader r, StringBuilder b, String id, Set<String> wanted,
                                    Function<String, String> newHref)
            throws XMLStreamException {
        int depth = 0;
        boolean open = false; // a start tag is written without its closing '>' yet
        int hrefAt = -1;       // where a location element's attributes begin, for the late rewrite
        int ev = XMLStreamConstants.START_ELEMENT;
        StringBuilder checksum = null;
        boolean inPkgChecksum = false;
        while (true) {
            switch (ev) {
                case XMLStreamConstants.START_ELEMENT -> {
                    if (open) b.append('>');
                    depth++;
                    b.append('<').append(qname(r.getPrefix(), r.getLocalName()));
                    boolean location = r.getLocalName().equals("location") && depth == 2;
                    inPkgChecksum = r.getLocalName().equals("checksum") && depth == 2 && id == null;
                    if (inPkgChecksum) checksum = new StringBuilder();
                    if (location) hrefAt = b.length();
                    for (int i = 0; i < r.getAttributeCount(); i++) {
                        String ns = r.getAttributeNamespace(i);
                        if (location && "http://www.w3.org/XML/1998/namespace".equals(ns)) continue;
                        b.append(' ').append(qname(r.getAttributePrefix(i), r.getAttributeLocalName(i)))
                                .append("=\"");
                        escape(b, r.getAttributeValue(i), true);
                        b.append('"');
                    }
                    open = true;
                }
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                    if (open) {
                        b.append('>');
                        open = false;
                    }
                    if (inPkgChecksum) checksum.append(r.getText());
                    escape(b, r.getText(), false);
                }
                case XMLStreamConstants.END_ELEMENT -> {
                    if (open) {
                        b.append("/>");
                        open = false;
                    } else {
                        b.append("</").append(qname(r.getPrefix(), r.getLocalName())).append('>');
                    }
                    inPkgChecksum = false;
                    if (--depth == 0) {
                        String pkgid = id != null ? id : checksum == null ? null : checksum.toString().trim();
                        if (hrefAt >= 0 && pkgid != null && wanted.contains(pkgid)) rewriteHref(b, hrefAt, newHref.apply(pkgid));
                        return pkgid;
                    }
                }
                default -> { }
            }
            ev = r.next();
        }
    }

    /** Replaces the href attribute of the location tag whose attributes start at {@code from}. */
    private static void rewriteHref(StringBuilder b, int from, String href) {
        if (href == null) return;
        int start = b.indexOf(" href=\"", from);
        if (start < 0) return;
        int valueStart = start + 7;
        int end = b.indexOf("\"", valueStart);
        StringBuilder v = new StringBuilder();
        escape(v, href, true);
        b.replace(valueStart, end, v.toString());
    }

    private static String qname(String prefix, String local) {
        return prefix == null || prefix.isEmpty() ? local : prefix + ":" + local;
    }

    static void escape(StringBuilder b, String s, boolean attr) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append(attr ? "&quot;" : "\"");
                case '\n' -> b.append(attr ? "&#10;" : "\n");
                case '\r' -> b.append("&#13;");
                case '\t' -> b.append(attr ? "&#9;" : "\t");
                default -> b.append(c);
            }
        }
    }
}
