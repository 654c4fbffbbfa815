package io.pigsty.offline.config;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Debian or Ubuntu mirrors the build host itself uses, read from its apt sources (deb822
 * {@code sources.list.d/*.sources} and one-line {@code sources.list}), so a Debian host can build
 * Debian bundles without the user naming a mirror. Never consulted when the host runs another distro.
 */
public final class HostApt {
    /** One apt source: its URI and the suites it serves. */
    record Source(String uri, List<String> suites, String file) {}

    private HostApt() {}

    /**
     * Mirror variables for a target distro ({@code debian} or {@code ubuntu}), each mapped to the
     * URI and the file it was read from; empty when the host is not that distro.
     */
    public static Map<String, String[]> mirrors(Path root, String distro) {
        Map<String, String[]> out = new LinkedHashMap<>();
        if (!distro.equals(hostDistro(root))) return out;
        String prefix = distro + "_";
        boolean ports = distro.equals("ubuntu") && System.getProperty("os.arch", "").matches("aarch64|arm64");
        for (Source s : sources(root)) {
            boolean security = s.suites().stream().anyMatch(x -> x.endsWith("-security"));
            boolean main = s.suites().stream().anyMatch(x -> !x.endsWith("-security"));
            String uri = s.uri().endsWith("/") ? s.uri() : s.uri() + "/";
            if (main) out.putIfAbsent(prefix + (ports ? "ports_mirror" : "mirror"), new String[] {uri, s.file()});
            if (security) out.putIfAbsent(prefix + (ports ? "ports_mirror" : "security_mirror"), new String[] {uri, s.file()});
        }
        return out;
    }

    static String hostDistro(Path root) {
        try {
            for (String line : Files.readAllLines(root.resolve("etc/os-release"))) {
                if (line.startsWith("ID=")) return line.substring(3).replace("\"", "").trim().toLowerCase(Locale.ROOT);
            }
        } catch (IOException e) {
            return "";
        }
        return "";
    }

    static List<Source> sources(Path root) {
        List<Source> out = new ArrayList<>();
        Path dir = root.resolve("etc/apt/sources.list.d");
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.sources")) {
                List<Path> files = new ArrayList<>();
                ds.forEach(files::add);
                files.sort(null);
                for (Path f : files) out.addAll(deb822(Files.readString(f), f.toString()));
            } catch (IOException e) {
                // an unreadable sources file just offers nothing
            }
        }
        Path list = root.resolve("etc/apt/sources.list");
        if (Files.isRegularFile(list)) {
            try {
                out.addAll(oneLine(Files.readString(list), list.toString()));
            } catch (IOException e) {
                // as above
            }
        }
        return out;
    }

    /** deb822 stanzas: Types, URIs, Suites (Enabled: no is skipped; only "deb" types count). */
    static List<Source> deb822(String text, String file) {
        List<Source> out = new ArrayList<>();
        for (String para : text.split("\\n\\s*\\n")) {
            Map<String, String> f = new LinkedHashMap<>();
            String key = null;
            for (String line : para.split("\n")) {
                if (line.startsWith("#")) continue;
                if ((line.startsWith(" ") || line.startsWith("\t")) && key != null) {
                    f.put(key, f.get(key) + " " + line.trim());
                    continue;
                }
                int colon = line.indexOf(':');
                if (colon <= 0) continue;
                key = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                f.put(key, line.substring(colon + 1).trim());
            }
            if (!List.of(f.getOrDefault("types", "").split("\\s+")).contains("deb")) continue;
            if (f.getOrDefault("enabled", "yes").equalsIgnoreCase("no")) continue;
            String uris = f.get("uris");
            if (uris == null || uris.isBlank()) continue;
            List<String> suites = List.of(f.getOrDefault("suites", "").trim().split("\\s+"));
            for (String uri : uris.trim().split("\\s+")) if (uri.startsWith("http")) out.add(new Source(uri, suites, file));
        }
        return out;
    }

    /** {@code deb [options] URI SUITE COMPONENT...} lines. */
    static List<Source> oneLine(String text, String file) {
        List<Source> out = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.trim();
            if (!line.startsWith("deb ") && !line.startsWith("deb\t")) continue;
            line = line.substring(4).trim();
            if (line.startsWith("[")) line = line.substring(line.indexOf(']') + 1).trim();
            String[] t = line.split("\\s+");
            if (t.length >= 2 && t[0].startsWith("http")) out.add(new Source(t[0], List.of(t[1]), file));
        }
        return out;
    }
}
