package io.pigsty.offline.build;

import java.util.Locale;

/** What a build can make from its repo tree. */
public enum ArtifactKind {
    /** The offline tarball {@code pigsty-pkg-<v>.<os>.<arch>.tgz} and its {@code .sha256}. */
    TARBALL,
    /** The repo as an ISO9660 disk. */
    ISO,
    /** The repo as a container image (tar or push). */
    IMAGE,
    /** One cloud-init seed ISO per inventory host. */
    SEED,
    /** A golden VM image: a cloud image with the bundle, the launcher and its first-boot unit in place. */
    GOLDEN;

    /** As the command line spells it. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
