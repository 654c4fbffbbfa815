package io.pigsty.offline.format.rpm;

import io.pigsty.offline.model.MetadataException;

import java.io.InputStream;
import java.util.Set;
import java.util.function.BiConsumer;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Streams filelists.xml and reports only the paths asked for, with the package id (checksum) that
 * owns each: full file lists are large and only file requirements need them.
 */
final class FilelistsReader {
    private FilelistsReader() {}

    static void read(InputStream in, String where, Set<String> wanted, BiConsumer<String, String> sink)
            throws MetadataException {
        try {
            XMLStreamReader r = Xml.reader(in);
            String pkgid = null;
            while (r.hasNext()) {
                if (r.next() != XMLStreamConstants.START_ELEMENT) continue;
                String ln = r.getLocalName();
                if (ln.equals("package")) {
                    pkgid = r.getAttributeValue(null, "pkgid");
                } else if (ln.equals("file")) {
                    String path = r.getElementText();
                    if (pkgid != null && wanted.contains(path)) sink.accept(pkgid, path);
                }
            }
            r.close();
        } catch (XMLStreamException e) {
            throw new MetadataException(where + ": malformed filelists.xml: " + e.getMessage(), e);
        }
    }
}
