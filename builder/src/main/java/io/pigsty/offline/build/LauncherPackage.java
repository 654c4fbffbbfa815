package io.pigsty.offline.build;

import io.pigsty.bundle.BundleLayout;
import io.pigsty.offline.format.Format;
import io.pigsty.offline.format.PackageContents;
import io.pigsty.offline.model.BuildException;
import io.pigsty.offline.model.ExitCode;
import io.pigsty.offline.model.FileTrees;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Set;

/**
 * The {@code pigsty-launcher} package for a target, built by the target's format: the launcher jar,
 * {@code /usr/bin/pigsty-launcher} and the first-boot unit from {@code overlays/launcher/}, needing
 * a headless Java runtime. Every input has a fixed time, so the package is byte-identical from build
 * to build.
 */
final class LauncherPackage {
    private static final String DESCRIPTION = "Applies the inventory embedded in a Pigsty offline bundle on first boot:"
            + " verifies and extracts the bundle, wires the local repo, installs bootstrap packages, places the"
            + " inventory and runs it.";

    private LauncherPackage() {}

    /** Builds the package of {@code version} with {@code format} into {@code dir}; returns the file. */
    static Path build(Format format, String version, Path overlays, Path dir, long mtime) throws IOException {
        Path work = Files.createTempDirectory(BundleLayout.LAUNCHER_PACKAGE);
        try {
            Path jar = stage(work, "jar", launcherJar(), mtime);
            // overlays/launcher/ holds the script and the unit under their installed names
            Path bin = stage(work, "bin", overlay(overlays, fileName(BundleLayout.LAUNCHER_BIN)), mtime);
            Path unit = stage(work, "unit", overlay(overlays, fileName(BundleLayout.FIRSTBOOT_UNIT)), mtime);
            PackageContents contents = new PackageContents(BundleLayout.LAUNCHER_PACKAGE, version, "Pigsty first-boot launcher",
                    DESCRIPTION, "https://pigsty.io", "AGPL-3.0-or-later", "Pigsty",
                    List.of(new PackageContents.Content(BundleLayout.LAUNCHER_JAR, jar, 0644),
                            new PackageContents.Content(BundleLayout.LAUNCHER_BIN, bin, 0755),
                            new PackageContents.Content(BundleLayout.FIRSTBOOT_UNIT, unit, 0644)),
                    Set.of(PackageContents.Need.JAVA_17_HEADLESS, PackageContents.Need.SHELL));
            return format.buildPackage(contents, dir, mtime);
        } finally {
            FileTrees.delete(work);
        }
    }

    /** The jar's file name, in the builder's resources and in the image's launcher layer. */
    static final String JAR_FILE = fileName(BundleLayout.LAUNCHER_JAR);

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** Writes the embedded launcher jar to {@code file} with a fixed mtime (for the image's launcher layer). */
    static Path jar(Path file, long mtime) throws IOException {
        Files.createDirectories(file.getParent());
        try (InputStream in = launcherJar()) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.setLastModifiedTime(file, FileTime.fromMillis(mtime * 1000));
        return file;
    }

    /** The launcher jar embedded in the builder at build time. */
    private static InputStream launcherJar() {
        InputStream in = LauncherPackage.class.getResourceAsStream("/launcher/" + JAR_FILE);
        if (in == null) throw new BuildException(ExitCode.FAILED,
                "this builder was built without the launcher jar; rebuild it with `mvn package`, or pass --no-launcher");
        return in;
    }

    private static InputStream overlay(Path overlays, String name) throws IOException {
        Path p = overlays.resolve(name);
        if (!Files.isRegularFile(p)) throw new BuildException(ExitCode.CONFIG, p + " is missing: the launcher package needs it");
        return Files.newInputStream(p);
    }

    private static Path stage(Path work, String name, InputStream in, long mtime) throws IOException {
        Path p = work.resolve(name);
        try (in) {
            Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.setLastModifiedTime(p, FileTime.fromMillis(mtime * 1000));
        return p;
    }
}
