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
 *
 * <p>A class with a record's accessors rather than a record: a package read from the parsed cache
 * ({@link Table}) carries only its identity until its dependencies are first asked for, so a warm
 * plan decodes the few thousand packages its solve touches, not all of a distro's (libsolv's .solv
 * files are read the same way). Its dependencies are then decoded once; a package made from lists
 * holds them from the start. Both kinds compare and hash the same.
 */
public final class Package {
    private final String name;
    private final Evr evr;
    private final String arch;
    /** Read from the table on first use when null (see {@link #location()}), as is the checksum. */
    private String location;
    private final long size;
    private Checksum checksum;
    private final Repo repo;
    private final String multiArch;
    /** Where the dependencies come from while not decoded, and this package's place there (-1: none). */
    private final Table table;
    private final int ordinal;
    /** Whether its files go beyond what its table lists for it (file lists merged in). */
    private final boolean filesAdded;
    private volatile Deps deps;
    /** {@link #hashCode}, once computed: packages are the solver's map keys, looked up many times each. */
    private int hash;

    /** The dependency lists of one package, as a {@link Table} decodes them. */
    public static final class Deps {
        final List<Dep> provides, conflicts, obsoletes;
        final List<Req> requires, weak, suggests, supplements;
        final List<String> files;

        public Deps(List<Dep> provides, List<Req> requires, List<Dep> conflicts, List<Dep> obsoletes, List<Req> weak,
                    List<Req> suggests, List<Req> supplements, List<String> files) {
            this.provides = List.copyOf(provides);
            this.requires = List.copyOf(requires);
            this.conflicts = List.copyOf(conflicts);
            this.obsoletes = List.copyOf(obsoletes);
            this.weak = List.copyOf(weak);
            this.suggests = List.copyOf(suggests);
            this.supplements = List.copyOf(supplements);
            this.files = List.copyOf(files);
        }
    }

    /**
     * Packages stored by number, with indexes by key, read on demand (the parsed cache). The
     * {@link Universe} looks keys up here instead of indexing every package's dependencies.
     */
    public interface Table {
        /** The indexes a table keeps, each as {@link Universe#keys} defines its keys. */
        enum Index { PROVIDES, FILES, OBSOLETES, REQUIRED_FILES, CHECKSUMS }

        /** The dependencies of the package at {@code ordinal}. */
        Deps deps(int ordinal);

        /** Where the package at {@code ordinal} is, below its repo's base URL. */
        String location(int ordinal);

        Checksum checksum(int ordinal);

        /** The algorithm of {@link #checksum}. */
        String checksumAlgorithm(int ordinal);

        /** The ordinals, ascending, of the packages under {@code key} in {@code index}; empty for none. */
        int[] lookup(Index index, String key);

        /**
         * The packages listed under capability {@code name} in PROVIDES, ascending: {@code each} gets
         * each one's provides of that name (none when it is listed by its own name only) and ordinal,
         * so a version relation is judged without decoding the package.
         */
        void providers(String name, java.util.function.ObjIntConsumer<List<Dep>> each);

        /** Every key of {@code index} with its ordinals. */
        void forEach(Index index, java.util.function.BiConsumer<String, int[]> each);
    }

    public Package(String name, Evr evr, String arch, List<Dep> provides, List<Req> requires,
                   List<Dep> conflicts, List<Dep> obsoletes, List<Req> weak, List<Req> suggests,
                   List<Req> supplements, List<String> files,
                   String location, long size, Checksum checksum, Repo repo, String multiArch) {
        this(name, evr, arch, location, size, checksum, repo, multiArch, null, -1, false,
                new Deps(provides, requires, conflicts, obsoletes, weak, suggests, supplements, files));
    }

    /**
     * A package whose dependencies, location and checksum {@code table} decodes when first asked for:
     * a plan needs them for the few packages it touches or ships.
     */
    public Package(String name, Evr evr, String arch, long size, Repo repo, String multiArch, Table table, int ordinal) {
        this(name, evr, arch, null, size, null, repo, multiArch, Objects.requireNonNull(table), ordinal, false, null);
    }

    private Package(String name, Evr evr, String arch, String location, long size, Checksum checksum, Repo repo,
                    String multiArch, Table table, int ordinal, boolean filesAdded, Deps deps) {
        this.name = name;
        this.evr = evr;
        this.arch = arch;
        this.location = location;
        this.size = size;
        this.checksum = checksum;
        this.repo = repo;
        this.multiArch = multiArch;
        this.table = table;
        this.ordinal = ordinal;
        this.filesAdded = filesAdded;
        this.deps = deps;
    }

    private Deps deps() {
        Deps d = deps;
        if (d == null) deps = d = table.deps(ordinal); // decoding twice in a race gives equal lists
        return d;
    }

    /** The table this package was read from, null for one made from lists; see {@link #ordinal}. */
    Table table() {
        return table;
    }

    /** Whether its files go beyond what its {@link #table} lists for it. */
    boolean filesAdded() {
        return filesAdded;
    }

    /** Whether the dependencies are at hand: asking for them costs nothing. */
    boolean decoded() {
        return deps != null;
    }

    /** This package's number in its {@link #table}: a package made from a read one keeps its place. */
    int ordinal() {
        return ordinal;
    }

    public String name() {
        return name;
    }

    public Evr evr() {
        return evr;
    }

    public String arch() {
        return arch;
    }

    public List<Dep> provides() {
        return deps().provides;
    }

    public List<Req> requires() {
        return deps().requires;
    }

    public List<Dep> conflicts() {
        return deps().conflicts;
    }

    public List<Dep> obsoletes() {
        return deps().obsoletes;
    }

    public List<Req> weak() {
        return deps().weak;
    }

    public List<Req> suggests() {
        return deps().suggests;
    }

    public List<Req> supplements() {
        return deps().supplements;
    }

    public List<String> files() {
        return deps().files;
    }

    public String location() {
        String l = location;
        if (l == null) location = l = table.location(ordinal); // a String: safe to publish by a race
        return l;
    }

    public long size() {
        return size;
    }

    public Checksum checksum() {
        Checksum c = checksum;
        if (c == null) checksum = c = table.checksum(ordinal); // immutable: safe to publish by a race
        return c;
    }

    /** The algorithm of {@link #checksum}, without decoding the checksum itself. */
    public String checksumAlgorithm() {
        Checksum c = checksum;
        return c != null ? c.algo() : table.checksumAlgorithm(ordinal);
    }

    public Repo repo() {
        return repo;
    }

    public String multiArch() {
        return multiArch;
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
        String l = location();
        return l.substring(l.lastIndexOf('/') + 1);
    }

    /** This package with {@code more} as its files; it stands where this one stood in its table. */
    public Package withFiles(List<String> more) {
        Deps d = deps();
        return new Package(name, evr, arch, location(), size, checksum(), repo, multiArch, table, ordinal, table != null,
                new Deps(d.provides, d.requires, d.conflicts, d.obsoletes, d.weak, d.suggests, d.supplements, more));
    }

    /** This package as found at another path below its repo (a lock names where upstream keeps it). */
    public Package at(String where) {
        return new Package(name, evr, arch, where, size, checksum(), repo, multiArch, table, ordinal, filesAdded, deps());
    }

    /** Every component, as a record's equals compares them; a read package and one made from lists alike. */
    @Override
    public boolean equals(Object o) {
        if (o == this) return true;
        if (!(o instanceof Package p) || !Objects.equals(name, p.name) || !Objects.equals(evr, p.evr) || !Objects.equals(arch, p.arch)
                || size != p.size || !Objects.equals(location(), p.location()) || !Objects.equals(checksum(), p.checksum())
                || !Objects.equals(repo, p.repo) || !Objects.equals(multiArch, p.multiArch)) return false;
        Deps a = deps(), b = p.deps();
        return a.provides.equals(b.provides) && a.requires.equals(b.requires) && a.conflicts.equals(b.conflicts)
                && a.obsoletes.equals(b.obsoletes) && a.weak.equals(b.weak) && a.suggests.equals(b.suggests)
                && a.supplements.equals(b.supplements) && a.files.equals(b.files);
    }

    /**
     * Consistent with equals, without hashing every dependency list: packages are keys in the
     * solver's maps, and a hash of all sixteen components would walk them on every lookup.
     */
    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) hash = h = ((name.hashCode() * 31 + evr.hashCode()) * 31 + arch.hashCode()) * 31 + location().hashCode();
        return h;
    }

    @Override
    public String toString() {
        return nevra();
    }
}
