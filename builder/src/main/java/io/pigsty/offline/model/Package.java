package io.pigsty.offline.model;

import java.util.List;
import java.util.Objects;

/**
 * A package as both families describe it. {@code files} holds only the paths the metadata lists up
 * front (RPM primary's file subset, plus paths merged in from filelists when file requirements need
 * them). {@code location} is the path below one of {@code repo}'s base URLs, already checked to be a
 * safe relative path. {@code weak} holds the dependencies installed only when asked (RPM Recommends,
 * Debian Recommends); {@code suggests} and {@code supplements} (a package that supplements what is
 * chosen) only steer the choice among providers, as in libsolv.
 * {@code multiArch} is Debian's Multi-Arch field, null for RPM.
 */
public record Package(String name, Evr evr, String arch, List<Dep> provides, List<Req> requires,
                      List<Dep> conflicts, List<Dep> obsoletes, List<Req> weak, List<Req> suggests,
                      List<Req> supplements, List<String> files,
                      String location, long size, Checksum checksum, Repo repo, String multiArch) {

    public Package {
        provides = List.copyOf(provides);
        requires = List.copyOf(requires);
        conflicts = List.copyOf(conflicts);
        obsoletes = List.copyOf(obsoletes);
        weak = List.copyOf(weak);
        suggests = List.copyOf(suggests);
        supplements = List.copyOf(supplements);
        files = List.copyOf(files);
    }

    /** A package a host has installed, known by name, version and arch only (no file to fetch). */
    public static Package installed(String name, Evr evr, String arch) {
        return new Package(name, evr, arch, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(), "", 0, Checksum.sha256("0".repeat(64)), Repo.INSTALLED, null);
    }

    /** name-[epoch:]version-release.arch, the identity of an RPM; Debian packages read the same way. */
    public String nevra() {
        return name + "-" + evr + "." + arch;
    }

    /** The file name this package gets in the flat repo tree: the last segment of its location. */
    public String fileName() {
        return location.substring(location.lastIndexOf('/') + 1);
    }

    public Package withFiles(List<String> more) {
        return new Package(name, evr, arch, provides, requires, conflicts, obsoletes, weak, suggests, supplements, more,
                location, size, checksum, repo, multiArch);
    }

    /** This package as found at another path below its repo (a lock names where upstream keeps it). */
    public Package at(String where) {
        return new Package(name, evr, arch, provides, requires, conflicts, obsoletes, weak, suggests, supplements, files,
                where, size, checksum, repo, multiArch);
    }

    /** Every component, as the generated equals compares them, written out: see {@link Dep#equals}. */
    @Override
    public boolean equals(Object o) {
        if (o == this) return true;
        return o instanceof Package p && Objects.equals(name, p.name) && Objects.equals(evr, p.evr) && Objects.equals(arch, p.arch)
                && Objects.equals(location, p.location) && size == p.size && Objects.equals(checksum, p.checksum)
                && Objects.equals(repo, p.repo) && Objects.equals(multiArch, p.multiArch) && Objects.equals(provides, p.provides)
                && Objects.equals(requires, p.requires) && Objects.equals(conflicts, p.conflicts) && Objects.equals(obsoletes, p.obsoletes)
                && Objects.equals(weak, p.weak) && Objects.equals(suggests, p.suggests) && Objects.equals(supplements, p.supplements)
                && Objects.equals(files, p.files);
    }

    /**
     * Consistent with equals, without hashing every dependency list: packages are keys in the
     * solver's maps, and a hash of all sixteen components would walk them on every lookup.
     */
    @Override
    public int hashCode() {
        return ((name.hashCode() * 31 + evr.hashCode()) * 31 + arch.hashCode()) * 31 + location.hashCode();
    }

    @Override
    public String toString() {
        return nevra();
    }
}
