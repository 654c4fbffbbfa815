package io.pigsty.offline.pack;

import io.pigsty.offline.model.BuildException;
import org.redline_rpm.Builder;
import org.redline_rpm.header.Architecture;
import org.redline_rpm.header.Flags;
import org.redline_rpm.header.Header;
import org.redline_rpm.header.Os;
import org.redline_rpm.payload.Directive;
import org.vafer.jdeb.Console;
import org.vafer.jdeb.DataProducer;
import org.vafer.jdeb.DebMaker;
import org.vafer.jdeb.PackagingException;
import org.vafer.jdeb.mapping.Mapper;
import org.vafer.jdeb.mapping.PermMapper;
import org.vafer.jdeb.producers.DataProducerFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code pigsty-launcher} package for a target: a noarch RPM (Redline) or an {@code all} .deb
 * (jdeb) holding the launcher jar, {@code /usr/bin/pigsty-launcher} and the first-boot unit from
 * {@code overlays/launcher/}, depending on the target's headless Java runtime. Every input has a
 * fixed time, so the package is byte-identical from build to build.
 */
public final class LauncherPackage {
    public static final String NAME = "pigsty-launcher";
    static final String JAR = "/usr/lib/pigsty-launcher/pigsty-launcher.jar";
    /** Headless Java 17+ runtimes by the names the EL releases use. */
    static final String RPM_JAVA = "(java-17-openjdk-headless or java-21-openjdk-headless or java-25-openjdk-headless)";
    /** Debian 12 / Ubuntu have openjdk-17; later releases provide java17-runtime-headless from newer JDKs. */
    static final String DEB_JAVA = "openjdk-17-jre-headless | java17-runtime-headless";

    private LauncherPackage() {}

    /** Builds the package for {@code family} (rpm or deb) into {@code dir}; returns the file. */
    public static Path build(String family, String version, Path overlays, Path dir, long mtime) throws IOException {
        Path work = Files.createTempDirectory("pigsty-launcher");
        try {
            Map<String, Path> files = new LinkedHashMap<>();
            files.put(JAR, stage(work, "jar", launcherJar()));
            files.put("/usr/bin/pigsty-launcher", stage(work, "bin", overlay(overlays, "pigsty-launcher")));
            files.put("/usr/lib/systemd/system/pigsty-firstboot.service", stage(work, "unit", overlay(overlays, "pigsty-firstboot.service")));
            for (Path p : files.values()) Files.setLastModifiedTime(p, FileTime.fromMillis(mtime * 1000));
            Files.createDirectories(dir);
            return family.equals("rpm") ? rpm(files, version, dir, mtime) : deb(files, version, dir, work, mtime);
        } finally {
            try (var s = Files.walk(work)) {
                for (Path p : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
            }
        }
    }

    /** Writes the embedded launcher jar to {@code file} with a fixed mtime (for the image's launcher layer). */
    public static Path jar(Path file, long mtime) throws IOException {
        Files.createDirectories(file.getParent());
        try (InputStream in = launcherJar()) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.setLastModifiedTime(file, FileTime.fromMillis(mtime * 1000));
        return file;
    }

    /** The launcher jar embedded in the builder at build time. */
    private static InputStream launcherJar() {
        InputStream in = LauncherPackage.class.getResourceAsStream("/launcher/pigsty-launcher.jar");
        if (in == null) throw new BuildException(BuildException.FAILED,
                "this builder was built without the launcher jar; rebuild it with `mvn package`, or pass --no-launcher");
        return in;
    }

    private static InputStream overlay(Path overlays, String name) throws IOException {
        Path p = overlays.resolve(name);
        if (!Files.isRegularFile(p)) throw new BuildException(BuildException.CONFIG, p + " is missing: the launcher package needs it");
        return Files.newInputStream(p);
    }

    private static Path stage(Path work, String name, InputStream in) throws IOException {
        Path p = work.resolve(name);
        try (in) {
            Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
        }
        return p;
    }

    private static int mode(String path) {
        return path.startsWith("/usr/bin/") ? 0755 : 0644;
    }

    private static Path rpm(Map<String, Path> files, String version, Path dir, long mtime) throws IOException {
        Builder b = new Builder();
        b.setPackage(NAME, version, "1");
        b.setPlatform(Architecture.NOARCH, Os.LINUX);
        b.setSummary("Pigsty first-boot launcher");
        b.setDescription("Applies the inventory embedded in a Pigsty offline bundle on first boot: verifies and extracts"
                + " the bundle, wires the local repo, installs bootstrap packages, places the inventory and runs it.");
        b.setBuildHost("pigsty-builder");
        b.setLicense("AGPL-3.0-or-later");
        b.setGroup("System Environment/Base");
        b.setPackager("Pigsty offline builder");
        b.setVendor("Pigsty");
        b.setUrl("https://pigsty.io");
        b.addDependency(RPM_JAVA, 0, "");
        b.addDependency("rpmlib(RichDependencies)", Flags.LESS | Flags.EQUAL | Flags.RPMLIB, "4.12.0-1");
        b.addDependency("/bin/sh", 0, "");
        try {
            for (Map.Entry<String, Path> f : files.entrySet())
                b.addFile(f.getKey(), f.getValue().toFile(), mode(f.getKey()), 0755, Directive.NONE, "root", "root", false);
            b.addHeaderEntry(Header.HeaderTag.BUILDTIME, (int) mtime);
            String name = b.build(dir.toFile());
            return dir.resolve(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
    }

    private static Path deb(Map<String, Path> files, String version, Path dir, Path work, long mtime) throws IOException {
        Path control = Files.createDirectories(work.resolve("control"));
        Files.writeString(control.resolve("control"), """
                Package: %s
                Version: %s-1
                Architecture: all
                Maintainer: Pigsty <noreply@pigsty.io>
                Section: admin
                Priority: optional
                Depends: %s
                Homepage: https://pigsty.io
                Description: Pigsty first-boot launcher
                 Applies the inventory embedded in a Pigsty offline bundle on first boot: verifies and
                 extracts the bundle, wires the local repo, installs bootstrap packages, places the
                 inventory and runs it.
                """.formatted(NAME, version, DEB_JAVA));
        List<DataProducer> data = new ArrayList<>();
        for (Map.Entry<String, Path> f : files.entrySet())
            data.add(new DataProducerFile(f.getValue().toFile(), f.getKey(), null, null,
                    new Mapper[] {new PermMapper(0, 0, "root", "root", mode(f.getKey()), 0755, 0, null)}));
        Path out = dir.resolve(NAME + "_" + version + "-1_all.deb");
        DebMaker m = new DebMaker(SILENT, data, List.of());
        m.setControl(control.toFile());
        m.setDeb(out.toFile());
        m.setCompression("gzip");
        m.setOutputTimestampMs(mtime * 1000);
        try {
            m.makeDeb();
        } catch (PackagingException e) {
            throw new IOException("cannot build the launcher .deb: " + e.getMessage(), e);
        }
        return out;
    }

    private static final Console SILENT = new Console() {
        @Override
        public void debug(String message) {}

        @Override
        public void info(String message) {}

        @Override
        public void warn(String message) {}
    };
}
