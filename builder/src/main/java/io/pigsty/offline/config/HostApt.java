package io.pigsty.offline.config;

import io.pigsty.offline.format.deb.AptSources;

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
    /** One apt source of the host: its URI, the suites it serves, and the file that says so. */
    private record Source(String uri, List<String> suites, String file) {}

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

    /**
     * The keys the host's apt trusts for every source: {@code /etc/apt/trusted.gpg} and the
     * {@code .gpg}/{@code .asc} files of {@code /etc/apt/trusted.gpg.d}, sorted.
     */
    public static List<Path> trustedKeys(Path root) {
        List<Path> out = new ArrayList<>();
        Path legacy = root.resolve("etc/apt/trusted.gpg");
        if (Files.isRegularFile(legacy)) out.add(legacy);
        Path dir = root.resolve("etc/apt/trusted.gpg.d");
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.{gpg,asc}")) {
                List<Path> files = new ArrayList<>();
                for (Path f : ds) if (Files.isRegularFile(f)) files.add(f);
                files.sort(null);
                out.addAll(files);
            } catch (IOException e) {
                // an unreadable directory trusts nothing
            }
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

    private static List<Source> sources(Path root) {
        List<Source> out = new ArrayList<>();
        Path dir = root.resolve("etc/apt/sources.list.d");
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.sources")) {
                List<Path> files = new ArrayList<>();
                ds.forEach(files::add);
                files.sort(null);
                for (Path f : files)
                    for (AptSources.Source s : AptSources.deb822(Files.readString(f))) out.add(new Source(s.uri(), s.suites(), f.toString()));
            } catch (IOException e) {
                // an unreadable sources file just offers nothing
            }
        }
        Path list = root.resolve("etc/apt/sources.list");
        if (Files.isRegularFile(list)) {
            try {
                for (AptSources.Source s : AptSources.oneLine(Files.readString(list)))
                    out.add(new Source(s.uri(), s.suites(), list.toString()));
            } catch (IOException e) {
                // as above
            }
        }
        return out;
    }
}
