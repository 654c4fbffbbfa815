package io.pigsty.offline.format.rpm;

import io.pigsty.offline.model.Checksum;
import io.pigsty.offline.model.MetadataException;
import io.pigsty.offline.model.SafePaths;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/** The index of a yum repo: each data file's type, location and checksum, and the revision. */
record Repomd(String revision, Map<String, Entry> data) {

    /** One data file; {@code size} is its compressed size as repomd states it (-1 when not stated). */
    record Entry(String type, String location, Checksum checksum, long size, long timestamp) {}

    Entry get(String type) {
        return data.get(type);
    }

    static Repomd parse(InputStream in, String where) throws IOException {
        Map<String, Entry> data = new LinkedHashMap<>();
        String revision = "";
        try {
            XMLStreamReader r = Xml.reader(in);
            String type = null, location = null, sumType = null, sum = null;
            long ts = 0, size = -1;
            while (r.hasNext()) {
                int ev = r.next();
                if (ev == XMLStreamConstants.START_ELEMENT) {
                    switch (r.getLocalName()) {
                        case "revision" -> revision = r.getElementText().trim();
                        case "data" -> {
                            type = r.getAttributeValue(null, "type");
                            location = null;
                            sum = null;
                            ts = 0;
                            size = -1;
                        }
                        case "checksum" -> {
                            if (type != null) {
                                sumType = r.getAttributeValue(null, "type");
                                sum = r.getElementText().trim();
                            }
                        }
                        case "location" -> location = r.getAttributeValue(null, "href");
                        case "size" -> {
                            if (type != null) {
                                try {
                                    size = Long.parseLong(r.getElementText().trim());
                                } catch (NumberFormatException e) {
                                    throw new MetadataException(where + ": data '" + type + "' has a size that is not a number");
                                }
                            }
                        }
                        case "timestamp" -> {
                            if (type != null) ts = (long) Double.parseDouble(r.getElementText().trim());
                        }
                        default -> { }
                    }
                } else if (ev == XMLStreamConstants.END_ELEMENT && r.getLocalName().equals("data") && type != null) {
                    if (location == null || sum == null)
                        throw new MetadataException(where + ": data '" + type + "' lacks a location or checksum");
                    if (!SafePaths.safeRelative(location))
                        throw new MetadataException(where + ": unsafe location '" + SafePaths.shown(location) + "' for '" + type + "'");
                    data.put(type, new Entry(type, location, new Checksum(sumType, sum), size, ts));
                    type = null;
                }
            }
        } catch (XMLStreamException | IllegalArgumentException e) {
            throw new MetadataException(where + ": malformed repomd.xml: " + e.getMessage(), e);
        }
        if (!data.containsKey("primary")) throw new MetadataException(where + ": repomd.xml names no primary data");
        return new Repomd(revision, data);
    }
}
