package io.pigsty.offline.pack;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.CredentialRetriever;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import com.google.cloud.tools.jib.frontend.CredentialRetrieverFactory;
import io.pigsty.bundle.BundleLayout;
import io.pigsty.offline.model.BuildException;
import io.pigsty.offline.model.Checksum;
import io.pigsty.offline.model.ExitCode;
import io.pigsty.offline.model.Log;
import io.pigsty.offline.plan.BuildPlan;
import io.pigsty.offline.plan.PlannedRepo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

/**
 * The repo as a container image, with Jib and no daemon: {@code /www/pigsty} split into layers so
 * that changing a few packages rebuilds (and uploads) few layers — packages grouped by the first
 * character of their file name, the repo index and manifest in one small layer, the launcher
 * files (firstboot.sh, inventory, Pigsty source) in another. Fixed times make the digest a
 * function of the tree alone. Output: a docker-archive or OCI archive tar, or a registry push.
 */
public final class Image {
    /** The two image tar layouts. */
    public enum Archive {
        /** A docker-save tar ({@code skopeo inspect docker-archive:}). */
        DOCKER,
        /** A tarred OCI layout ({@code skopeo inspect oci-archive:}). */
        OCI;

        /** {@code docker} or {@code oci}, as the option and file names spell it. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What to build: a tar of {@code archive} at {@code tar}, or a push to {@code push} when set. */
    public record Target(Archive archive, Path tar, String push, String tag, Path base) {}

    /** The image built: its digest (of the manifest), its reference, and what the layers were. */
    public record Result(String digest, String reference, int layers) {}

    private static final AbsoluteUnixPath ROOT = AbsoluteUnixPath.get(BundleLayout.REPO_DIR);

    private Image() {}

    /**
     * @param launcherJar the launcher jar, laid at /usr/lib/pigsty-launcher/ in the launcher layer, or null
     */
    public static Result build(Path tree, Path launcherJar, Target t, String arch, Map<String, String> labels, long mtime,
                               Path cache, Log log) throws IOException {
        Instant time = Instant.ofEpochSecond(mtime);
        List<FileEntriesLayer> layers = layers(tree, launcherJar, time);
        try {
            JibContainerBuilder b = t.base() == null ? Jib.fromScratch() : Jib.from(TarImage.at(t.base()).named("base"));
            b.setFileEntriesLayers(layers)
                    .setLabels(new TreeMap<>(labels))
                    .setCreationTime(time)
                    .setFormat(t.archive() == Archive.OCI ? ImageFormat.OCI : ImageFormat.Docker)
                    .setPlatforms(Set.of(new Platform(arch.equals("aarch64") ? "arm64" : "amd64", "linux")))
                    .setWorkingDirectory(ROOT);
            Containerizer c;
            String reference;
            if (t.push() != null) {
                ImageReference ref = ImageReference.parse(t.push());
                RegistryImage image = RegistryImage.named(ref).addCredentialRetriever(dockerConfig(ref, log));
                c = Containerizer.to(image).setAllowInsecureRegistries(ref.getRegistry().startsWith("127.0.0.1")
                        || ref.getRegistry().startsWith("localhost"));
                reference = ref.toString();
            } else {
                Files.createDirectories(t.tar().getParent());
                c = Containerizer.to(TarImage.at(t.tar()).named(t.tag()));
                reference = t.tar().toString();
            }
            c.setApplicationLayersCache(cache.resolve("layers")).setBaseImageLayersCache(cache.resolve("base"))
                    .setToolName("pigsty-builder")
                    .addEventHandler(LogEvent.class, e -> {
                        if (e.getLevel() == LogEvent.Level.WARN || e.getLevel() == LogEvent.Level.ERROR) log.warn("image: " + e.getMessage());
                    });
            JibContainer built = b.containerize(c);
            return new Result(built.getDigest().toString(), reference, layers.size());
        } catch (InvalidImageReferenceException e) {
            throw new BuildException(ExitCode.CONFIG, "--push: '" + t.push() + "' is not an image reference (REGISTRY/REPO:TAG)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while building the image", e);
        } catch (ExecutionException | com.google.cloud.tools.jib.api.RegistryException | com.google.cloud.tools.jib.api.CacheDirectoryCreationException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new BuildException(ExitCode.NETWORK, "image: " + cause.getMessage(), cause);
        }
    }

    /** Image labels: what the image is and where its packages came from. */
    public static Map<String, String> labels(BuildPlan plan, String manifest) {
        Map<String, String> l = new LinkedHashMap<>();
        l.put("org.opencontainers.image.title", plan.bundleName());
        l.put("org.opencontainers.image.version", plan.version());
        l.put("io.pigsty.os", plan.target().os());
        l.put("io.pigsty.arch", plan.target().arch());
        l.put("io.pigsty.manifest.sha256", Checksum.sha256Hex(manifest.getBytes(StandardCharsets.UTF_8)));
        for (PlannedRepo repo : plan.repos()) l.put("io.pigsty.repo." + repo.name(), String.join(" ", repo.urls()));
        return l;
    }

    /** Registry credentials the usual way: the user's docker config (~/.docker/config.json, helpers). */
    private static CredentialRetriever dockerConfig(ImageReference ref, Log log) {
        return CredentialRetrieverFactory.forImage(ref, e -> {
            if (e.getLevel() == LogEvent.Level.WARN) log.warn("image: " + e.getMessage());
        }).dockerConfig();
    }

    /**
     * Layers of the tree: one per first character of the package file names (0-9, a-z, other),
     * then "repo" (index, manifest, repo_complete), then "launcher" (firstboot.sh, inventory/, src/).
     */
    static List<FileEntriesLayer> layers(Path tree, Path launcherJar, Instant time) throws IOException {
        TreeMap<String, FileEntriesLayer.Builder> byKey = new TreeMap<>();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(tree)) {
            s.filter(Files::isRegularFile).sorted().forEach(files::add);
        }
        for (Path f : files) {
            String rel = tree.relativize(f).toString().replace('\\', '/');
            String key = layerKey(rel);
            byKey.computeIfAbsent(key, k -> FileEntriesLayer.builder().setName(k))
                    .addEntry(f, ROOT.resolve(rel), FilePermissions.fromOctalString("644"), time);
        }
        if (launcherJar != null)
            byKey.computeIfAbsent("launcher", k -> FileEntriesLayer.builder().setName(k)).addEntry(launcherJar,
                    AbsoluteUnixPath.get(BundleLayout.LAUNCHER_JAR), FilePermissions.fromOctalString("644"), time);
        List<FileEntriesLayer> out = new ArrayList<>();
        // packages first (big, rarely all changing), then the small layers that change every build
        byKey.forEach((k, v) -> { if (k.startsWith("packages-")) out.add(v.build()); });
        if (byKey.containsKey("launcher")) out.add(byKey.get("launcher").build());
        if (byKey.containsKey("repo")) out.add(byKey.get("repo").build());
        return out;
    }

    static String layerKey(String rel) {
        if (BundleLayout.isExtra(rel)) return "launcher";
        if (!BundleLayout.isPackage(rel)) return "repo";
        char c = Character.toLowerCase(rel.charAt(0));
        if (rel.startsWith("lib") && rel.length() > 3) return "packages-lib" + Character.toLowerCase(rel.charAt(3)); // lib* is a third of a distro
        return "packages-" + (Character.isLetterOrDigit(c) && c < 128 ? String.valueOf(c) : "other").toLowerCase(Locale.ROOT);
    }
}
