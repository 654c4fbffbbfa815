package io.pigsty.bundle;

/**
 * The contract between the builder and the first-boot launcher: where things are in a bundle, what
 * the artifacts are called, where the launcher package installs itself, and the manifest keys the
 * launcher reads. Both sides use these names and nothing else.
 */
public final class BundleLayout {
    private BundleLayout() {}

    /** The tarball's single top directory, extracted as {@code /www/pigsty}. */
    public static final String TOP = "pigsty";
    /** One {@code <sha256>  <file>} line per package (sha256sum's format), written last. */
    public static final String COMPLETE = "repo_complete";
    /** The detached OpenPGP signature of {@link #COMPLETE} in a signed bundle; the one file it cannot list. */
    public static final String COMPLETE_SIGNATURE = "repo_complete.asc";
    /** Keys shipped in the bundle; {@link #BUNDLE_KEY} is the public key it is signed with. */
    public static final String KEYS_DIR = "keys";
    public static final String BUNDLE_KEY = KEYS_DIR + "/pigsty-bundle.asc";
    /**
     * In an EL bundle whose every RPM verified by its own signature at build time: the key files
     * (paths in the tree, one per line) that check them all, for dnf's gpgcheck=1 and gpgkey. Absent,
     * gpgcheck stays off.
     */
    public static final String RPM_KEYS = KEYS_DIR + "/rpm-gpgkeys";
    /** The key a host trusts bundles from, when a golden image or seed puts one there (firstboot.sh passes it on). */
    public static final String TRUSTED_KEY = "/etc/pigsty/trusted.asc";
    /** What the bundle was built from and holds. */
    public static final String MANIFEST = "manifest.json";
    /** The software bill of materials: CycloneDX 1.6 JSON, a component per shipped package. */
    public static final String SBOM = "sbom.cdx.json";
    /** The SBOM as SPDX 2.3 JSON, with {@code --sbom spdx}. */
    public static final String SBOM_SPDX = "sbom.spdx.json";
    /**
     * In a delta bundle only: what it applies to and what it removes. The tree it makes is exactly
     * the files its {@link #COMPLETE} lists; the delta holds those its base lacks or has otherwise.
     */
    public static final String DELTA = "delta.json";
    /** The EL index directory, beside the packages. */
    public static final String REPODATA = "repodata";
    /** The first-boot stub at the bundle's root. */
    public static final String FIRSTBOOT = "firstboot.sh";
    /** The inventory embedded with {@code -i}. */
    public static final String INVENTORY = "inventory/pigsty.yml";
    /** The directory holding Pigsty's source tarball ({@code --pigsty-src}). */
    public static final String SRC_DIR = "src";
    /** Where Pigsty's own bootstrap looks for the offline package. */
    public static final String PIGSTY_PKG = "/tmp/pkg.tgz";
    /** The default place of the extracted repo on the target. */
    public static final String REPO_DIR = "/www/pigsty";

    /** Whether a path below the top directory is an extra file the manifest must list (not a package or index). */
    public static boolean isExtra(String rel) {
        return rel.equals(FIRSTBOOT) || rel.startsWith("inventory/") || rel.startsWith(SRC_DIR + "/");
    }

    /** Whether a path below the top directory is a package file (they lie flat). */
    public static boolean isPackage(String rel) {
        if (rel.indexOf('/') >= 0) return false;
        for (Family f : Family.values()) if (rel.endsWith(f.packageSuffix())) return true;
        return false;
    }

    // ---- artifact names --------------------------------------------------------------------------

    /** {@code pigsty-pkg-v4.3.0.el9.x86_64}: the offline package's base name, as Pigsty names it. */
    public static String bundleName(String version, String os, String arch) {
        return "pigsty-pkg-" + version + "." + os + "." + arch;
    }

    /** {@code pigsty-pkg-v4.3.1.el9.x86_64.delta-from-v4.3.0}: a delta bundle's base name. */
    public static String deltaName(String version, String os, String arch, String fromVersion) {
        return bundleName(version, os, arch) + ".delta-from-" + fromVersion;
    }

    /** {@code pigsty-repo-v4.3.0.el9.x86_64}: the base name of the repo as a disk or an image. */
    public static String repoName(String version, String os, String arch) {
        return "pigsty-repo-" + version + "." + os + "." + arch;
    }

    /** {@code pigsty-golden-v4.3.0.el9.x86_64}: the base name of a golden VM image. */
    public static String goldenName(String version, String os, String arch) {
        return "pigsty-golden-" + version + "." + os + "." + arch;
    }

    /** The volume label of a repo ISO; the launcher and seeds find the disk by it. */
    public static String isoLabel(String os) {
        return "pigsty-" + os;
    }

    /** The default image reference inside an image tar. */
    public static String imageTag(String version, String os, String arch) {
        return "pigsty/repo:" + version + "-" + os + "-" + arch;
    }

    /** The seed directory below {@code dist/<version>/}. */
    public static final String SEED_DIR = "seed";

    // ---- the launcher package --------------------------------------------------------------------

    public static final String LAUNCHER_PACKAGE = "pigsty-launcher";
    public static final String LAUNCHER_JAR = "/usr/lib/pigsty-launcher/pigsty-launcher.jar";
    public static final String LAUNCHER_BIN = "/usr/bin/pigsty-launcher";
    public static final String FIRSTBOOT_UNIT = "/usr/lib/systemd/system/pigsty-firstboot.service";

    /**
     * The inventory's {@code all.vars.firstboot} mapping: what the launcher does on first boot. The
     * builder's seeds read {@code home} too, to write the inventory where the launcher will look.
     */
    public static final class Firstboot {
        private Firstboot() {}

        public static final String KEY = "firstboot";
        /** The Pigsty home the inventory is placed in and applied from. */
        public static final String HOME = "home";
        public static final String DEFAULT_HOME = "/root/pigsty";
        /** The packages installed from the local repo before applying (default: the manifest's bootstrap list). */
        public static final String PACKAGES = "packages";
        /** The command run in the Pigsty home. */
        public static final String APPLY = "apply";
        public static final String DEFAULT_APPLY = "./deploy.yml";
        /** Whether to put this host's IPv4 in place of the placeholder admin IP. */
        public static final String REPLACE_IP = "replace_ip";
        public static final String PLACEHOLDER_IP = "placeholder_ip";
        public static final String DEFAULT_PLACEHOLDER_IP = "10.10.10.10";
    }

    /** The manifest's keys the launcher reads. */
    public static final class Keys {
        private Keys() {}

        public static final String NAME = "name";
        public static final String TARGET = "target";
        public static final String FAMILY = "family";
        public static final String FILES = "files";
        public static final String PATH = "path";
        public static final String SHA256 = "sha256";
        public static final String BOOTSTRAP = "bootstrap";
        public static final String PACKAGES = "packages";
        public static final String FILE = "file";
        public static final String VERSION = "version";
        /** delta.json: the base bundle's name, version and manifest.json sha256, and the files removed. */
        public static final String BASE = "base";
        public static final String MANIFEST_SHA256 = "manifest_sha256";
        public static final String REMOVE = "remove";
    }
}
