package io.pigsty.offline.format.rpm;

import io.pigsty.offline.model.MetadataException;
import io.pigsty.offline.model.Package;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Module streams from modules.yaml and the modular filtering dnf applies: packages of a module
 * stream are visible only when the stream is the default one; a default stream's packages hide
 * non-modular packages of the same name. Repos with {@code module_hotfixes} are exempt.
 */
final class Modules implements io.pigsty.offline.format.Format.Extra {
    /** The version of {@link #compact}'s form: a new one makes cached forms be derived again. */
    static final int VERSION = 1;

    /** NEVRA ({@code name-epoch:version-release.arch}) of every modular artifact, stream-qualified. */
    private final Map<String, String> streamOfArtifact = new HashMap<>();
    private final Map<String, String> defaults = new HashMap<>();
    /** The names in those NEVRAs: the other packages (nearly all) are judged without building their NEVRA. */
    private final Set<String> artifactNames = new HashSet<>();

    void read(InputStream in, String where) throws MetadataException {
        LoaderOptions opts = new LoaderOptions();
        opts.setMaxAliasesForCollections(50);
        Yaml yaml = new Yaml(new SafeConstructor(opts));
        try {
            for (Object doc : yaml.loadAll(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                if (!(doc instanceof Map<?, ?> m) || !(m.get("data") instanceof Map<?, ?> data)) continue;
                Object kind = m.get("document");
                if ("modulemd".equals(kind)) {
                    String stream = data.get("name") + ":" + data.get("stream");
                    if (data.get("artifacts") instanceof Map<?, ?> art && art.get("rpms") instanceof List<?> rpms)
                        for (Object nevra : rpms) {
                            streamOfArtifact.put(String.valueOf(nevra), stream);
                            artifactNames.add(nameOf(String.valueOf(nevra)));
                        }
                } else if ("modulemd-defaults".equals(kind) && data.get("stream") != null) {
                    defaults.put(String.valueOf(data.get("module")), String.valueOf(data.get("stream")));
                }
            }
        } catch (RuntimeException e) {
            throw new MetadataException(where + ": malformed modules.yaml: " + e.getMessage(), e);
        }
    }

    /**
     * What filtering needs, as lines: {@code A nevra stream} per modular artifact, {@code D module
     * stream} per default; far smaller and quicker to read than the modules.yaml it comes from.
     */
    byte[] compact() {
        StringBuilder b = new StringBuilder();
        new java.util.TreeMap<>(streamOfArtifact).forEach((nevra, stream) -> b.append("A\t").append(nevra).append('\t').append(stream).append('\n'));
        new java.util.TreeMap<>(defaults).forEach((module, stream) -> b.append("D\t").append(module).append('\t').append(stream).append('\n'));
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The streams and defaults of {@link #compact}'s form. */
    static Modules of(byte[] compact, String where) throws MetadataException {
        Modules m = new Modules();
        for (String line : new String(compact, StandardCharsets.UTF_8).split("\n")) {
            if (line.isEmpty()) continue;
            String[] t = line.split("\t");
            if (t.length != 3 || !(t[0].equals("A") || t[0].equals("D")))
                throw new MetadataException(where + ": unreadable cached module streams (line '" + line + "'); remove the cache");
            if (t[0].equals("A")) {
                m.streamOfArtifact.put(t[1], t[2]);
                m.artifactNames.add(nameOf(t[1]));
            } else {
                m.defaults.put(t[1], t[2]);
            }
        }
        return m;
    }

    /** Takes in another repo's streams and defaults. */
    void add(Modules other) {
        streamOfArtifact.putAll(other.streamOfArtifact);
        artifactNames.addAll(other.artifactNames);
        defaults.putAll(other.defaults);
    }

    boolean isEmpty() {
        return streamOfArtifact.isEmpty();
    }

    /** {@code name} of {@code name-epoch:version-release.arch}: what precedes the last two dashes. */
    private static String nameOf(String nevra) {
        int release = nevra.lastIndexOf('-');
        int version = release > 0 ? nevra.lastIndexOf('-', release - 1) : -1;
        return version > 0 ? nevra.substring(0, version) : nevra;
    }

    private String streamOf(Package p) {
        return artifactNames.contains(p.name()) ? streamOfArtifact.get(nevra(p)) : null;
    }

    private static String nevra(Package p) {
        return p.name() + "-" + p.evr().epoch() + ":" + p.evr().version() + "-" + p.evr().release() + "." + p.arch();
    }

    private boolean enabled(String stream) {
        int colon = stream.indexOf(':');
        return stream.substring(colon + 1).equals(defaults.get(stream.substring(0, colon)));
    }

    /** Names that default streams ship: non-modular packages of these names are masked. */
    Set<String> namesOfEnabledStreams(Iterable<Package> all) {
        Set<String> names = new HashSet<>();
        for (Package p : all) {
            String stream = streamOf(p);
            if (stream != null && enabled(stream)) names.add(p.name());
        }
        return names;
    }

    /** Whether dnf would show {@code p} from a repo without module_hotfixes. */
    boolean visible(Package p, Set<String> enabledNames) {
        String stream = streamOf(p);
        if (stream != null) return enabled(stream);
        return !enabledNames.contains(p.name());
    }
}
