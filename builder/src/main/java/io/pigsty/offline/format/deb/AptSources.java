package io.pigsty.offline.format.deb;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Apt's own source definitions: deb822 {@code *.sources} files and one-line {@code sources.list}. */
public final class AptSources {
    /** One binary ("deb") source: its URI and the suites it serves. */
    public record Source(String uri, List<String> suites) {}

    private static final int TYPES = 0, URIS = 1, SUITES = 2, ENABLED = 3;

    private AptSources() {}

    /** deb822 stanzas: Types, URIs, Suites; {@code Enabled: no} is skipped, only "deb" types and http(s) URIs count. */
    public static List<Source> deb822(String text) {
        // Comment lines are not part of the format's paragraphs, and a line of blanks separates them too.
        String clean = text.lines().filter(l -> !l.startsWith("#")).map(l -> l.isBlank() ? "" : l)
                .collect(Collectors.joining("\n", "", "\n"));
        List<Source> out = new ArrayList<>();
        try {
            new Stanzas(false, "Types", "URIs", "Suites", "Enabled").read(
                    new ByteArrayInputStream(clean.getBytes(StandardCharsets.UTF_8)), s -> {
                        String types = s.get(TYPES), uris = s.get(URIS), enabled = s.get(ENABLED);
                        if (types == null || !List.of(types.trim().split("\\s+")).contains("deb")) return;
                        if (enabled != null && enabled.trim().equalsIgnoreCase("no")) return;
                        if (uris == null || uris.isBlank()) return;
                        List<String> suites = List.of((s.get(SUITES) == null ? "" : s.get(SUITES)).trim().split("\\s+"));
                        for (String uri : uris.trim().split("\\s+")) if (uri.startsWith("http")) out.add(new Source(uri, suites));
                    });
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail to read
        }
        return out;
    }

    /** {@code deb [options] URI SUITE COMPONENT...} lines; other lines are skipped. */
    public static List<Source> oneLine(String text) {
        List<Source> out = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.trim();
            if (!line.startsWith("deb ") && !line.startsWith("deb\t")) continue;
            line = line.substring(4).trim();
            if (line.startsWith("[")) line = line.substring(line.indexOf(']') + 1).trim();
            String[] t = line.split("\\s+");
            if (t.length >= 2 && t[0].startsWith("http")) out.add(new Source(t[0], List.of(t[1])));
        }
        return out;
    }
}
