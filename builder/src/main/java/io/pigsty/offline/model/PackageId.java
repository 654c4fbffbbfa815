package io.pigsty.offline.model;

/**
 * A package record's identity within its upstream repo: the repo's name and the checksum the
 * metadata gives the file. Records carried from an index, file lists and duplicates are matched by it.
 */
public record PackageId(String repo, String checksum) {
    public static PackageId of(Package p) {
        return new PackageId(p.repo().name(), p.checksum().hex());
    }

    /** Written out, not generated: see {@link Dep#equals}. */
    @Override
    public boolean equals(Object o) {
        return o instanceof PackageId i && java.util.Objects.equals(repo, i.repo) && java.util.Objects.equals(checksum, i.checksum);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hashCode(repo) * 31 + java.util.Objects.hashCode(checksum);
    }
}
