package io.pigsty.offline.model;

/**
 * The rules of one packaging family that the resolver needs: how versions order, when a provide
 * satisfies a requirement, and which package architectures an install on the target may use.
 */
public interface Rules {
    /** Orders two versions; negative when {@code a} is older. */
    int compare(Evr a, Evr b);

    /** Whether {@code provide} (same name as {@code req}) satisfies {@code req}'s version relation. */
    boolean satisfies(Dep provide, Dep req);

    /**
     * Whether a package of {@code arch} may be installed on the target by default (the target's own
     * arch and arch-independent packages). Other arches come in only when asked by name.arch or
     * required by a package of that arch.
     */
    boolean defaultArch(String arch, String targetArch);

    /** Whether {@code arch} can run at all on the target (e.g. i686 on x86_64); others are dropped. */
    boolean installableArch(String arch, String targetArch);

    /**
     * Whether {@code provider} may satisfy {@code dep} required by {@code requirer} as far as
     * architectures go (Debian Multi-Arch and {@code :any}; RPM multilib).
     */
    boolean archMatches(Package provider, Dep dep, Package requirer, String targetArch);

    /**
     * The slot a package fills on an installed system: two packages of one slot never coexist (RPM:
     * name and arch; Debian: name and arch, {@code all} counting as the target's own).
     */
    String slot(Package p, String targetArch);

    /** Whether versions of this package install side by side (RPM's installonly kernels). */
    boolean installOnly(Package p);

    /**
     * Whether alternatives are tried in the order they are written ({@code a | b} in Debian: apt takes
     * the first installable one), rather than all weighed by the same preferences (RPM's {@code or}).
     */
    boolean alternativesInOrder();

    /** Whether a provider that a chosen package recommends or suggests is preferred (libsolv does; apt does not). */
    boolean hintsSteerChoices();
}
