package io.pigsty.offline.model;

import java.util.ArrayList;
import java.util.Collections;
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
    private volatile Map<String, Object> byObsoleted;

    /**
     * Packages by key, with the few keys a later layer changed laid over the shared base: the file
     * owners the file lists add touch a handful of keys, and copying 150,000 entries for them would
     * cost more than the solve they serve. A value is the one {@link Package} of its key (nearly every
     * provide and file has one) or a list of two or more, see {@link #add}.
     */
    private record Index(Map<String, Object> base, Map<String, Object> over) {
        List<Package> get(String key) {
            Object v = over.get(key);
            return list(v != null ? v : base.get(key));
        }

        boolean has(String key) {
            return over.containsKey(key) || base.containsKey(key);
        }

        Index with(Map<String, Object> more) {
            if (more.isEmpty()) return this;
            Map<String, Object> o = new HashMap<>(over);
            o.putAll(more);
            return new Index(base, o);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Package> list(Object v) {
        if (v == null) return List.of();
        return v instanceof Package p ? List.of(p) : (List<Package>) v;
    }

    private Universe(Rules rules, String targetArch, List<Package> packages, Index byName, Index byProvide, Index byFile) {
        this.rules = rules;
        this.targetArch = targetArch;
        this.packages = packages;
        this.byName = byName;
        this.byProvide = byProvide;
        this.byFile = byFile;
    }

    private Universe(Rules rules, String targetArch, List<Package> packages, Map<String, Object> byName) {
        this.rules = rules;
        this.targetArch = targetArch;
        this.packages = List.copyOf(packages);
        this.byName = new Index(byName, Map.of());
        int n = this.packages.size();
        Map<String, Object> byProvide = new HashMap<>(n * 8), byFile = new HashMap<>(n * 4);
        // Plain loops rather than computeIfAbsent lambdas: a warm plan builds this on a cold JVM.
        for (Package p : this.packages) {
            boolean selfProvided = false;
            for (Dep d : p.provides()) {
                add(byProvide, d.name(), p);
                if (d.name().equals(p.name())) selfProvided = true;
            }
            if (!selfProvided) add(byProvide, p.name(), p);
            for (String f : p.files()) add(byFile, f, p);
        }
        this.byProvide = new Index(byProvide, Map.of());
        this.byFile = new Index(byFile, Map.of());
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
        for (Package p : offered) if (rules.installableArch(p.arch(), targetArch)) add(byName, p.name(), p);
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
        Map<String, Object> idx = byObsoleted;
        if (idx == null) {
            idx = new HashMap<>();
            for (Package p : packages) for (Dep o : p.obsoletes()) add(idx, o.name(), p);
            byObsoleted = idx;
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
        for (Package p : packages) {
            List<String> more = owners.get(PackageId.of(p));
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
        return new Universe(rules, targetArch, kept, byName.with(name), byProvide.with(provide), byFile.with(file));
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
        List<String> names = new ArrayList<>(byName.base().keySet()); // later layers change owners, never names
        Collections.sort(names);
        return names;
    }

    /** Packages that provide {@code dep} by provide (version relation checked) or, for paths, by file. */
    public List<Package> whatProvides(Dep dep) {
        List<Package> out = new ArrayList<>();
        for (Package p : byProvide.get(dep.name()))
            if (provides(p, dep)) out.add(p);
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
        for (Dep d : p.provides())
            if (d.name().equals(dep.name()) && rules.satisfies(d, dep)) return true;
        if (p.name().equals(dep.name()) && rules.satisfies(Dep.of(p.name(), Op.EQ, p.evr()), dep)) return true;
        return dep.isFile() && p.files().contains(dep.name());
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
        for (Package p : packages)
            for (Req r : p.requires()) collectFiles(r, paths);
        paths.keySet().removeIf(path -> byFile.has(path) || byProvide.has(path));
        return List.copyOf(paths.keySet());
    }

    private static void collectFiles(Req r, Map<String, Boolean> out) {
        if (r instanceof Req.Atom a) { // nearly all: judged without a list per requirement
            if (a.dep().isFile()) out.put(a.dep().name(), true);
            return;
        }
        for (Dep d : Req.needed(r)) if (d.isFile()) out.put(d.name(), true);
    }
}
