package io.pigsty.offline.format.deb;

import io.pigsty.offline.model.MetadataException;
import io.pigsty.offline.model.SafePaths;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** An apt Release file: its date, architectures and components, and the SHA256 of every index it names. */
record Release(long date, long validUntil, List<String> architectures, List<String> components,
               Map<String, Entry> files, boolean noArchAllPackages, boolean byHash) {

    /** One index file: path below the dist directory, sha256 and size. */
    record Entry(String path, String sha256, long size) {}

    private static final Stanzas FIELDS = new Stanzas(false, "Date", "Valid-Until", "Architectures", "Components",
            "SHA256", "No-Support-for-Architecture-all", "Acquire-By-Hash");

    static Release parse(String text, String where) throws MetadataException {
        Stanzas.Stanza[] got = new Stanzas.Stanza[1];
        try {
            FIELDS.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), s -> {
                if (got[0] == null) got[0] = s;
            });
        } catch (IOException e) {
            throw new MetadataException(where + ": unreadable Release", e);
        }
        Stanzas.Stanza s = got[0];
        if (s == null || s.get(4) == null)
            throw new MetadataException(where + ": Release lists no SHA256 checksums (older hashes are not trusted)");
        Map<String, Entry> files = new LinkedHashMap<>();
        for (String line : s.get(4).split("\n")) {
            String[] t = line.trim().split("\\s+");
            if (t.length != 3) continue;
            if (!SafePaths.safeRelative(t[2]) || !t[0].matches("[0-9a-fA-F]{64}"))
                throw new MetadataException(where + ": Release names an unsafe index '" + SafePaths.shown(t[2]) + "'");
            files.put(t[2], new Entry(t[2], t[0].toLowerCase(Locale.ROOT), Long.parseLong(t[1])));
        }
        return new Release(time(s.get(0), where), time(s.get(1), where), words(s.get(2)), words(s.get(3)), files,
                s.get(5) != null && s.get(5).contains("Packages"), "yes".equalsIgnoreCase(s.get(6)));
    }

    /** Release dates are RFC 2822 ("Sat, 11 Jul 2026 10:16:37 UTC"); absent means 0. */
    private static long time(String v, String where) throws MetadataException {
        if (v == null || v.isBlank()) return 0;
        try {
            return ZonedDateTime.parse(v.trim().replace("UTC", "+0000"), DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
        } catch (DateTimeParseException e) {
            throw new MetadataException(where + ": Release has a malformed date '" + v + "'");
        }
    }

    private static List<String> words(String v) {
        return v == null ? List.of() : List.of(v.trim().split("\\s+"));
    }

    /**
     * The preferred form of an index listed here, or null: gzip first (zlib is native and decodes
     * about five times faster than Java's xz, worth the larger download), then xz, then plain.
     */
    Entry best(String index) {
        for (String suffix : List.of(".gz", ".xz", "")) {
            Entry e = files.get(index + suffix);
            if (e != null) return e;
        }
        return null;
    }
}
