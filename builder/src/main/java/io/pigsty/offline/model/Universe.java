package io.pigsty.offline.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every package the selected repos offer for the target, after the repo-level policies that hide
 * packages outright: arches that cannot run on the target, and repo priority (a name.arch offered by
 * a better-priority repo is hidden in worse ones, as dnf does). Indexed by name, provide and file.
 */
public final class Universe {
    private final Rules rules;
    private final String targetArch;
    private final List<Package> packages;
    private final Index byName;
    private final Index byProvide;
    private final Index byFile;
    /** The packages read from tables, looked up there; null when every index is in memory. */
    private final Tables tables;
    private volatile Map<String, Object> byObsoleted;
    private volatile Map<Package, Integer> positions;

    /** Where the keys of one index are looked up: a map's get, or the tables'. */
    private interface Lookup {
        /** The one {@link Package} under {@code key}, a list of two or more, or null. */
        Object get(String key);
    }

    /**
     * Packages by key, with the few keys a later layer changed laid over the shared base: the file
     * owners the file lists add touch a handful of keys, and copying 150,000 entries for them would
     * cost more than the solve they serve. A value is the one {@link Package} of its key (nearly every
     * provide and file has one) or a list of two or more, see {@link #add}.
     */
    private record Index(Lookup base, Map<String, Object> over) {
        List<Package> get(String key) {
            Object v = over.get(key);
            return list(v != null ? v : base.get(key));
        }

        boolean has(String key) {
            return over.containsKey(key) || base.get(key) != null;
        }

        Index with(Map<String, Object> more) {
            if (more.isEmpty()) return this;
            Map<String, Object> o = new HashMap<>(over);
            o.putAll(more);
            return new Index(base, o);
        }
    }

    /**
     * A universe's packages as their tables hold them: {@code at[t][ordinal]} is the package of this
     * universe at that place of table {@code t} (null where policy hid it), and {@code tail} indexes
     * in memory the packages no table holds (URL packages, a host's), which come after all others.
     * A lookup lists the tables' packages in table order, then the tail's: the universe's order.
     */
    private static final class Tables {
        private final Package.Table[] tables;
        private final Package[][] at;
        private final List<Package> tail;
        private final Map<Package.Table.Index, Map<String, Object>> tailIndex = new java.util.EnumMap<>(Package.Table.Index.class);
        /** The files of the packages that have more than their tables list, by path. */
        private final Map<String, Object> addedFiles = new HashMap<>();

        private Tables(Package.Table[] tables, Package[][] at, List<Package> tail, List<Package> filesAdded) {
            this.tables = tables;
            this.at = at;
            this.tail = tail;
            for (Package.Table.Index i : Package.Table.Index.values()) {
                Map<String, Object> m = new HashMap<>();
                for (Package p : tail) keys(i, p, k -> add(m, k, p));
                tailIndex.put(i, m);
            }
            for (Package p : filesAdded) for (String f : p.files()) add(addedFiles, f, p);
        }

        /** The index of the table that holds {@code p} for this universe; -1 when none does. */
        private int tableOf(Package p) {
            for (int t = 0; t < tables.length; t++)
                if (tables[t] == p.table() && p.ordinal() < at[t].length && at[t][p.ordinal()] == p) return t;
            return -1;
        }

        /** A number that orders {@code p} as the universe does: its table's place, then its ordinal; -1 for none. */
        int position(Package p) {
            int t = tableOf(p), base = 0;
            for (int k = 0; k < (t >= 0 ? t : tables.length); k++) base += at[k].length;
            if (t >= 0) return base + p.ordinal();
            for (int i = 0; i < tail.size(); i++) if (tail.get(i) == p) return base + i;
            return -1;
        }

        /**
         * The tables of {@code kept}, or null when it is not laid out as they read: each table's
         * packages in one run, in ascending order, and every package of no table after them all.
         */
        static Tables of(List<Package> kept) {
            List<Package.Table> order = new ArrayList<>();
            List<Integer> ends = new ArrayList<>();
            int i = 0, last = -1;
            for (; i < kept.size(); i++) {
                Package p = kept.get(i);
                Package.Table t = p.table();
                if (t == null) break;
                if (order.isEmpty() || order.get(order.size() - 1) != t) {
                    for (Package.Table seen : order) if (seen == t) return null;
                    order.add(t);
                    ends.add(i);
                    last = -1;
                }
                if (p.ordinal() <= last) return null;
                last = p.ordinal();
            }
            if (order.isEmpty()) return null;
            ends.add(i);
            for (int j = i; j < kept.size(); j++) if (kept.get(j).table() != null) return null;
            Package[][] at = new Package[order.size()][];
            List<Package> filesAdded = new ArrayList<>();
            for (int t = 0; t < order.size(); t++) {
                int from = ends.get(t), to = ends.get(t + 1);
                at[t] = new Package[kept.get(to - 1).ordinal() + 1];
                for (int k = from; k < to; k++) {
                    Package p = kept.get(k);
                    at[t][p.ordinal()] = p;
                    if (p.filesAdded()) filesAdded.add(p);
                }
            }
            return new Tables(order.toArray(new Package.Table[0]), at, List.copyOf(kept.subList(i, kept.size())), filesAdded);
        }

        Object get(Package.Table.Index index, String key) {
            Object found = null;
            Object added = index == Package.Table.Index.FILES ? addedFiles.get(key) : null;
            for (int t = 0; t < tables.length; t++) {
                int[] ordinals = tables[t].lookup(index, key);
                if (added != null) ordinals = with(ordinals, tables[t], added);
                for (int o : ordinals) {
                    Package p = o < at[t].length ? at[t][o] : null;
                    if (p != null) found = append(found, p);
                }
            }
            Object more = tailIndex.get(index).get(key);
            if (more == null) return found;
            if (found == null) return more;
            for (Package p : list(more)) found = append(found, p);
            return found;
        }

        /**
         * The kept packages under capability {@code name}, in order, each with its provides of that
         * name from the table (null for a tail package: judge it by its own lists).
         */
        void providers(String name, java.util.function.BiConsumer<Package, List<Dep>> each) {
            for (int t = 0; t < tables.length; t++) {
                Package[] here = at[t];
                tables[t].providers(name, (deps, o) -> {
                    if (o < here.length && here[o] != null) each.accept(here[o], deps);
                });
            }
            for (Package p : list(tailIndex.get(Package.Table.Index.PROVIDES).get(name))) each.accept(p, null);
        }

        /** {@code p}'s provides named {@code name} from its table, or null when no table of these holds it. */
        List<Dep> provides(Package p, String name) {
            int t = tableOf(p);
            if (t < 0) return null;
            List<Dep> found = new ArrayList<>(1);
            tables[t].providers(name, (deps, o) -> {
                if (o == p.ordinal()) found.addAll(deps);
            });
            return found;
        }

        /** The kept packages {@code owners} names (by repo and checksum), with what each is given. */
        Map<Package, List<String>> byChecksum(Map<PackageId, List<String>> owners) {
            Map<Package, List<String>> out = new IdentityHashMap<>();
            owners.forEach((id, more) -> {
                for (Package p : list(get(Package.Table.Index.CHECKSUMS, id.checksum())))
                    if (p.repo().name().equals(id.repo())) out.put(p, more);
            });
            return out;
        }

        /** {@code ordinals} of {@code table} and those of the packages in {@code added} it holds, ascending, each once. */
        private static int[] with(int[] ordinals, Package.Table table, Object added) {
            java.util.TreeSet<Integer> all = new java.util.TreeSet<>();
            for (int o : ordinals) all.add(o);
            for (Package p : list(added)) if (p.table() == table) all.add(p.ordinal());
            return all.stream().mapToInt(Integer::intValue).toArray();
        }

        /** The paths the kept packages require, table by table, then the tail's. */
        void requiredFiles(Map<String, Boolean> out) {
            for (int t = 0; t < tables.length; t++) {
                Package[] here = at[t];
                tables[t].forEach(Package.Table.Index.REQUIRED_FILES, (path, ordinals) -> {
                    for (int o : ordinals)
                        if (o < here.length && here[o] != null) {
                            out.put(path, true);
                            return;
                        }
                });
            }
            for (Package p : tail) keys(Package.Table.Index.REQUIRED_FILES, p, f -> out.put(f, true));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Package> list(Object v) {
        if (v == null) return List.of();
        return v instanceof Package p ? List.of(p) : (List<Package>) v;
    }

    /** {@code found} (a package, a list, or null) with {@code p} after it: a list only for two or more. */
    @SuppressWarnings("unchecked")
    private static Object append(Object found, Package p) {
        if (found == null) return p;
        if (found instanceof Package q) {
            List<Package> l = new ArrayList<>(2);
            l.add(q);
            l.add(p);
            return l;
        }
        ((List<Package>) found).add(p);
        return found;
    }

    private Universe(Rules rules, String targetArch, List<Package> packages, Index byName, Index byProvide, Index byFile,
                     Tables tables) {
        this.rules = rules;
        this.targetArch = targetArch;
        this.packages = packages;
        this.byName = byName;
        this.byProvide = byProvide;
        this.byFile = byFile;
        this.tables = tables;
    }

    private Universe(Rules rules, String targetArch, List<Package> packages, Map<String, Object> byName) {
        this.rules = rules;
        this.targetArch = targetArch;
        this.packages = List.copyOf(packages);
        this.byName = new Index(byName::get, Map.of());
        this.tables = Tables.of(this.packages);
        if (tables != null) {
            // read from the parsed cache: its indexes are looked up, no package is decoded for them
            Tables t = tables;
            this.byProvide = new Index(k -> t.get(Package.Table.Index.PROVIDES, k), Map.of());
            this.byFile = new Index(k -> t.get(Package.Table.Index.FILES, k), Map.of());
            return;
        }
        int n = this.packages.size();
        Map<String, Object> byProvide = new HashMap<>(n * 8), byFile = new HashMap<>(n * 4);
        for (Package p : this.packages) {
            keys(Package.Table.Index.PROVIDES, p, k -> add(byProvide, k, p));
            keys(Package.Table.Index.FILES, p, k -> add(byFile, k, p));
        }
        this.byProvide = new Index(byProvide::get, Map.of());
        this.byFile = new Index(byFile::get, Map.of());
    }

    /**
     * The keys {@code p} is listed under in {@code index}, the one definition for the indexes built
     * here and the tables a cache writes: its provides' names and its own name (PROVIDES), its files,
     * the names it obsoletes, the paths its requirements name (REQUIRED_FILES), and its checksum.
     */
    public static void keys(Package.Table.Index index, Package p, java.util.function.Consumer<String> out) {
        switch (index) {
            case PROVIDES -> provideKeys(p, (k, d) -> out.accept(k));
            case FILES -> p.files().forEach(out);
            case OBSOLETES -> {
                for (Dep o : p.obsoletes()) out.accept(o.name());
            }
            case CHECKSUMS -> out.accept(p.checksum().hex());
            case REQUIRED_FILES -> {
                for (Req r : p.requires()) {
                    if (r instanceof Req.Atom a) { // nearly all: judged without a list per requirement
                        if (a.dep().isFile()) out.accept(a.dep().name());
                        continue;
                    }
                    for (Dep d : Req.needed(r)) if (d.isFile()) out.accept(d.name());
                }
            }
        }
    }

    /**
     * The PROVIDES keys of {@code p} with the provide each comes from: every provide under its name,
     * then, when none is named as the package, its own name with null (the name and version it has).
     */
    public static void provideKeys(Package p, java.util.function.BiConsumer<String, Dep> out) {
        boolean selfProvided = false;
        for (Dep d : p.provides()) {
            out.accept(d.name(), d);
            if (d.name().equals(p.name())) selfProvided = true;
        }
        if (!selfProvided) out.accept(p.name(), null);
    }

    /**
     * Adds {@code p} under {@code key} once: a key's first package is stored as itself, a list is made
     * only for a second one (a CS9 universe has 300,000 keys and few shared: a list each was 5 MB).
     */
    @SuppressWarnings("unchecked")
    private static void add(Map<String, Object> index, String key, Package p) {
        Object v = index.putIfAbsent(key, p);
        if (v == null || v == p) return;
        if (v instanceof Package q) {
            List<Package> l = new ArrayList<>(2);
            l.add(q);
            l.add(p);
            index.put(key, l);
            return;
        }
        List<Package> l = (List<Package>) v;
        if (l.get(l.size() - 1) != p) l.add(p);
    }

    /**
     * Builds the universe from every package the repos offer: drops arches the target cannot run and
     * applies priority masking. The order of {@code offered} (repos in plan order, each in its
     * metadata's order) is kept: it is deterministic, and the resolver breaks every tie by rule.
     */
    public static Universe of(Rules rules, String targetArch, List<Package> offered) {
        Map<String, Object> byName = new HashMap<>(offered.size() * 2);
        List<Package> installable = new ArrayList<>(offered.size());
        int best = Integer.MAX_VALUE, worst = Integer.MIN_VALUE;
        for (Package p : offered)
            if (rules.installableArch(p.arch(), targetArch)) {
                add(byName, p.name(), p);
                installable.add(p);
                best = Math.min(best, p.repo().priority());
                worst = Math.max(worst, p.repo().priority());
            }
        // repos of one priority hide nothing (most plans): one pass over the packages, not two
        if (best >= worst) return new Universe(rules, targetArch, installable, byName);
        List<Package> kept = new ArrayList<>(offered.size());
        for (Package p : offered) {
            // a source package shares its name with its binaries but is never installable
            if (!byName.containsKey(p.name()) || !rules.installableArch(p.arch(), targetArch)) continue;
            List<Package> same = list(byName.get(p.name()));
            boolean hidden = false;
            for (Package q : same)
                if (q.arch().equals(p.arch()) && q.repo().priority() < p.repo().priority() && !p.repo().equals(Repo.INSTALLED)) {
                    hidden = true;
                    break;
                }
            if (!hidden) kept.add(p);
        }
        if (kept.size() < offered.size()) {
            byName.clear();
            for (Package p : kept) add(byName, p.name(), p);
        }
        return new Universe(rules, targetArch, kept, byName);
    }

    /** The packages that obsolete something named {@code name} (any version): an index built on first use. */
    public List<Package> obsoleting(String name) {
        if (tables != null) return list(tables.get(Package.Table.Index.OBSOLETES, name));
        Map<String, Object> idx = byObsoleted;
        if (idx == null) {
            Map<String, Object> m = new HashMap<>();
            for (Package p : packages) keys(Package.Table.Index.OBSOLETES, p, k -> add(m, k, p));
            byObsoleted = idx = m;
        }
        return list(idx.get(name));
    }

    /**
     * This universe with more file paths owned by its packages (from file lists, keyed by package id),
     * as if built with them: the packages that gain files are replaced in the shared indexes instead
     * of re-indexing every provide.
     */
    public Universe withFiles(Map<PackageId, List<String>> owners) {
        if (owners.isEmpty()) return this;
        Map<Package, Package> changed = new IdentityHashMap<>();
        Set<String> added = new HashSet<>();
        List<Package> all = new ArrayList<>(packages.size());
        // read from tables: the owners are found by checksum there, not by decoding every package's
        Map<Package, List<String>> owned = tables == null ? null : tables.byChecksum(owners);
        for (Package p : packages) {
            List<String> more = owned != null ? owned.get(p) : owners.get(PackageId.of(p));
            if (more != null) {
                List<String> files = new ArrayList<>(p.files());
                for (String f : more)
                    if (!files.contains(f)) {
                        files.add(f);
                        added.add(f);
                    }
                if (files.size() > p.files().size()) {
                    Package q = p.withFiles(files);
                    changed.put(p, q);
                    p = q;
                }
            }
            all.add(p);
        }
        if (changed.isEmpty()) return this;
        Map<String, Object> name = new HashMap<>(), provide = new HashMap<>(), file = new HashMap<>();
        changed.forEach((p, q) -> {
            replace(byName, name, p.name(), p, q);
            replace(byProvide, provide, p.name(), p, q);
            for (Dep d : p.provides()) replace(byProvide, provide, d.name(), p, q);
            for (String f : p.files()) replace(byFile, file, f, p, q);
        });
        // a path the file lists added: its owners in universe order, as building the index would list them
        List<Package> kept = List.copyOf(all);
        for (String f : added) {
            List<Package> of = new ArrayList<>(file.containsKey(f) ? list(file.get(f)) : byFile.get(f));
            for (Package q : changed.values()) if (q.files().contains(f) && !of.contains(q)) of.add(q);
            if (of.size() > 1) {
                Map<Package, Integer> at = new IdentityHashMap<>();
                for (Package o : of) at.put(o, indexOf(kept, o));
                of.sort(java.util.Comparator.comparingInt(at::get));
            }
            file.put(f, of);
        }
        // a changed package stands in its table's place: the tables then find it, not the one it replaced
        Tables t = tables == null ? null : Tables.of(kept);
        if (tables != null && t == null) throw new IllegalStateException("file owners changed the universe's order");
        Index provides = t == null ? byProvide : new Index(k -> t.get(Package.Table.Index.PROVIDES, k), byProvide.over());
        Index files = t == null ? byFile : new Index(k -> t.get(Package.Table.Index.FILES, k), byFile.over());
        return new Universe(rules, targetArch, kept, byName.with(name), provides.with(provide), files.with(file), t);
    }

    private static int indexOf(List<Package> all, Package p) {
        for (int i = 0; i < all.size(); i++) if (all.get(i) == p) return i;
        return -1;
    }

    /** Puts into {@code out} the list of {@code key} (as changed so far) with {@code p} replaced by {@code q}. */
    private static void replace(Index index, Map<String, Object> out, String key, Package p, Package q) {
        List<Package> l = out.containsKey(key) ? list(out.get(key)) : index.get(key);
        for (int i = 0; i < l.size(); i++)
            if (l.get(i) == p) {
                List<Package> c = new ArrayList<>(l);
                c.set(i, q);
                out.put(key, c);
                return;
            }
    }

    /** This universe plus packages from elsewhere (URL packages), re-indexed. */
    public Universe with(List<Package> extra) {
        if (extra.isEmpty()) return this;
        List<Package> all = new ArrayList<>(packages);
        all.addAll(extra);
        return of(rules, targetArch, all);
    }

    /**
     * A number that orders {@code p} as this universe lists it (libsolv's solvable id), for ties
     * broken by repo order; -1 when it is not here.
     */
    public int position(Package p) {
        if (tables != null) return tables.position(p);
        Map<Package, Integer> at = positions;
        if (at == null) {
            at = new IdentityHashMap<>();
            for (int i = 0; i < packages.size(); i++) at.put(packages.get(i), i);
            positions = at;
        }
        return at.getOrDefault(p, -1);
    }

    public Rules rules() {
        return rules;
    }

    public String targetArch() {
        return targetArch;
    }

    public List<Package> packages() {
        return packages;
    }

    public List<Package> named(String name) {
        return byName.get(name);
    }

    /** All package names, sorted: used to expand globs. */
    public List<String> names() {
        java.util.TreeSet<String> names = new java.util.TreeSet<>();
        for (Package p : packages) names.add(p.name());
        return List.copyOf(names);
    }

    /** Packages that provide {@code dep} by provide (version relation checked) or, for paths, by file. */
    public List<Package> whatProvides(Dep dep) {
        List<Package> out = new ArrayList<>();
        if (tables != null) { // judged from the tables' provides of that name: no package is decoded
            tables.providers(dep.name(), (p, deps) -> {
                if (deps == null ? provides(p, dep) : provides(p, deps, dep)) out.add(p);
            });
        } else {
            for (Package p : byProvide.get(dep.name()))
                if (provides(p, dep)) out.add(p);
        }
        if (dep.isFile())
            for (Package p : byFile.get(dep.name()))
                if (!out.contains(p)) out.add(p);
        return out;
    }

    /**
     * Whether {@code p} itself provides {@code dep}: by a listed provide, by its own name and version
     * (always, also when it lists its own name unversioned among its Provides), or by a listed file.
     */
    public boolean provides(Package p, Dep dep) {
        if (tables != null && !p.decoded()) {
            List<Dep> named = tables.provides(p, dep.name());
            if (named != null) return provides(p, named, dep) || dep.isFile() && byFile.get(dep.name()).contains(p);
        }
        if (provides(p, p.provides(), dep)) return true;
        return dep.isFile() && p.files().contains(dep.name());
    }

    /** Whether {@code p}, whose provides of {@code dep}'s name are {@code named}, provides it by one of them or by its own name. */
    private boolean provides(Package p, List<Dep> named, Dep dep) {
        for (Dep d : named)
            if (d.name().equals(dep.name()) && rules.satisfies(d, dep)) return true;
        return p.name().equals(dep.name()) && rules.satisfies(Dep.of(p.name(), Op.EQ, p.evr()), dep);
    }

    /**
     * Whether {@code p} alone satisfies {@code r}, the way the parts of {@code with} and {@code without}
     * are judged: atoms by {@link #provides}, and/or/with by their parts, conditions never.
     */
    public boolean satisfiedBy(Req r, Package p) {
        if (r instanceof Req.Atom a) return provides(p, a.dep());
        if (r instanceof Req.All a) return a.parts().stream().allMatch(x -> satisfiedBy(x, p));
        if (r instanceof Req.With w) return w.parts().stream().allMatch(x -> satisfiedBy(x, p));
        if (r instanceof Req.Any a) return a.parts().stream().anyMatch(x -> satisfiedBy(x, p));
        if (r instanceof Req.Without w) return satisfiedBy(w.what(), p) && !satisfiedBy(w.not(), p);
        return false;
    }

    /**
     * Every package that alone satisfies {@code r} (see {@link #satisfiedBy}): the providers of any
     * version of the capabilities its first part names, filtered by the whole of {@code r}.
     */
    public List<Package> singleProviders(Req r) {
        java.util.LinkedHashSet<Package> seen = new java.util.LinkedHashSet<>();
        for (String name : leadingNames(r, new ArrayList<>()))
            for (Package p : whatProvides(Dep.of(name))) if (satisfiedBy(r, p)) seen.add(p);
        return new ArrayList<>(seen);
    }

    /** The capability names any package satisfying {@code r} alone must provide one of. */
    private static List<String> leadingNames(Req r, List<String> out) {
        if (r instanceof Req.Atom a) out.add(a.dep().name());
        else if (r instanceof Req.All a) leadingNames(a.parts().get(0), out);
        else if (r instanceof Req.With w) leadingNames(w.parts().get(0), out);
        else if (r instanceof Req.Any a) a.parts().forEach(x -> leadingNames(x, out));
        else if (r instanceof Req.Without w) leadingNames(w.what(), out);
        return out;
    }

    /** Every file path some package requires but no provide or listed file supplies: filelists may. */
    public List<String> unprovidedFileRequirements() {
        TreeMap<String, Boolean> paths = new TreeMap<>();
        if (tables != null) tables.requiredFiles(paths);
        else for (Package p : packages) keys(Package.Table.Index.REQUIRED_FILES, p, f -> paths.put(f, true));
        paths.keySet().removeIf(path -> byFile.has(path) || byProvide.has(path));
        return List.copyOf(paths.keySet());
    }
}
