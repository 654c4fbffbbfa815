package io.pigsty.offline.plan;

import io.pigsty.bundle.BundleLayout;
import io.pigsty.bundle.Family;
import io.pigsty.offline.format.Format;
import io.pigsty.offline.format.deb.DebFormat;
import io.pigsty.offline.format.rpm.RpmFormat;

/**
 * What the bundle is for: Pigsty's OS code ({@code el9}, {@code d12}), package family, major release,
 * codename (Debian/Ubuntu), and arch in Pigsty's naming (x86_64, aarch64).
 */
public record Target(String os, Family family, int major, String codename, String arch) {
    /** The format that reads and writes this target's repos. */
    public Format format() {
        return switch (family) {
            case RPM -> RpmFormat.INSTANCE;
            case DEB -> DebFormat.INSTANCE;
        };
    }

    /** The arch as the family's own metadata spells it (Debian: amd64, arm64). */
    public String nativeArch() {
        return format().nativeArch(arch);
    }

    /** {@code el9.x86_64}: the suffix of Pigsty's offline package names. */
    public String label() {
        return os + "." + arch;
    }

    /** The offline package's base name for {@code version}, as Pigsty names it. */
    public String bundleName(String version) {
        return BundleLayout.bundleName(version, os, arch);
    }
}
