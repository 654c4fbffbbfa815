package io.pigsty.offline.format.rpm;

import com.ctc.wstx.stax.WstxInputFactory;

import java.io.InputStream;
import java.util.HashMap;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/** Woodstox set up for untrusted metadata (no DTDs, no external entities) and for speed. */
final class Xml {
    /** The longest text one element of repo metadata may hold (a name, a description, a path). */
    static final int MAX_TEXT = 16 << 20;
    private static final XMLInputFactory IN = inputFactory();

    private Xml() {}

    private static XMLInputFactory inputFactory() {
        WstxInputFactory f = new WstxInputFactory();
        f.configureForSpeed();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_COALESCING, true);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        // No field of yum metadata is near this; a larger one is a bomb's payload, refused with a message.
        f.setProperty(com.ctc.wstx.api.WstxInputProperties.P_MAX_TEXT_LENGTH, MAX_TEXT);
        return f;
    }

    static XMLStreamReader reader(InputStream in) throws XMLStreamException {
        return IN.createXMLStreamReader(in);
    }

    /** Skips the rest of the element whose start tag the reader is on. */
    static void skip(XMLStreamReader r) throws XMLStreamException {
        int depth = 1;
        while (depth > 0) {
            int ev = r.next();
            if (ev == XMLStreamConstants.START_ELEMENT) depth++;
            else if (ev == XMLStreamConstants.END_ELEMENT) depth--;
        }
    }

    /**
     * Reuses one instance per distinct value (strings, dependencies): metadata repeats names, arches,
     * versions and whole requirements a lot, and a full EL universe must fit a small heap.
     */
    static final class Interner {
        private final HashMap<Object, Object> seen = new HashMap<>();

        @SuppressWarnings("unchecked")
        <T> T get(T s) {
            if (s == null) return null;
            Object prev = seen.putIfAbsent(s, s);
            return prev == null ? s : (T) prev;
        }
    }
}
