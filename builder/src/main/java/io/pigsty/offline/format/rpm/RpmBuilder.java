package io.pigsty.offline.format.rpm;

import io.pigsty.offline.format.PackageContents;
import org.redline_rpm.Builder;
import org.redline_rpm.header.Architecture;
import org.redline_rpm.header.Flags;
import org.redline_rpm.header.Header;
import org.redline_rpm.header.Os;
import org.redline_rpm.payload.Directive;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;

/** Builds a noarch RPM with Redline; every time in it is {@code mtime}, so the bytes are reproducible. */
final class RpmBuilder {
    /** Headless Java 17+ runtimes by the names the EL releases use. */
    static final String JAVA_17_HEADLESS = "(java-17-openjdk-headless or java-21-openjdk-headless or java-25-openjdk-headless)";

    private RpmBuilder() {}

    static Path build(PackageContents c, Path dir, long mtime) throws IOException {
        Files.createDirectories(dir);
        Builder b = new Builder();
        b.setPackage(c.name(), c.version(), "1");
        b.setPlatform(Architecture.NOARCH, Os.LINUX);
        b.setSummary(c.summary());
        b.setDescription(c.description());
        b.setBuildHost("pigsty-builder");
        b.setLicense(c.license());
        b.setGroup("System Environment/Base");
        b.setPackager(c.vendor() + " offline builder");
        b.setVendor(c.vendor());
        b.setUrl(c.homepage());
        if (c.needs().contains(PackageContents.Need.JAVA_17_HEADLESS)) {
            b.addDependency(JAVA_17_HEADLESS, 0, "");
            b.addDependency("rpmlib(RichDependencies)", Flags.LESS | Flags.EQUAL | Flags.RPMLIB, "4.12.0-1");
        }
        if (c.needs().contains(PackageContents.Need.SHELL)) b.addDependency("/bin/sh", 0, "");
        try {
            for (PackageContents.Content f : c.files())
                b.addFile(f.path(), f.source().toFile(), f.mode(), 0755, Directive.NONE, "root", "root", false);
            b.addHeaderEntry(Header.HeaderTag.BUILDTIME, (int) mtime);
            return dir.resolve(b.build(dir.toFile()));
        } catch (NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
    }
}
