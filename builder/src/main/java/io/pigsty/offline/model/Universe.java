package io.pigsty.offline.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    private final Map<String, List<Package>> byName;
    private final Map<String, List<Package>> byProvide;
    private final Map<String, List<Package>> byFile;

    private Universe(Rules rules, String targetArch, List<Package> packages, Map<String, List<Package>> byName) {
        this.rules = rules;
        this.targetArch = targetArch;
        this.packages = List.copyOf(packages);
        this.byName = byName;
        int n = this.packages.size();
        byProvide = new HashMap<>(n * 8);
        byFile = new HashMap<>(n * 4);
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
    }

    private static void add(Map<String, List<Package>> index, String key, Package p) {
        List<Package> l = index.get(key);
        if (l == null) {
            l = new ArrayList<>(2);
            index.put(key, l);
        } else if (l.get(l.size() - 1) == p) {
            return;
        }
        l.add(p);
    }

    /**
     * Builds the universe from every package the repos offer: drops arches the target cannot run and
     * applies priority masking. The order of {@code offered} (repos in plan order, each in its
     * metadata's order) is kept: it is deterministic, and the resolver breaks every tie by rule.
     */
    public static Universe of(Rules rules, String targetArch, List<Package> offered) {
        Map<String, List<Package>> byName = new HashMap<>(offered.size() * 2);
        for (Package p : offered) if (rules.installableArch(p.arch(), targetArch)) add(byName, p.name(), p);
        List<Package> kept = new ArrayList<>(offered.size());
        for (Package p : offered) {
            List<Package> same = byName.get(p.name());
            if (same == null) continue;
            boolean hidden = false;
            for (Package q : same)
                if (q.arch().equals(p.arch()) && q.repo().priority() < p.repo().priority()) {
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
        return byName.getOrDefault(name, List.of());
    }

    /** All package names, sorted: used to expand globs. */
    public List<String> names() {
        List<String> names = new ArrayList<>(byName.keySet());
        Collections.sort(names);
        return names;
    }

    /** Packages that provide {@code dep} by provide (version relation checked) or, for paths, by file. */
    public List<Package> whatProvides(Dep dep) {
        List<Package> out = new ArrayList<>();
        for (Package p : byProvide.getOrDefault(dep.name(), List.of()))
            if (provides(p, dep)) out.add(p);
        if (dep.isFile())
            for (Package p : byFile.getOrDefault(dep.name(), List.of()))
                if (!out.contains(p)) out.add(p);
        return out;
    }

    /** Whether {@code p} itself provides {@code dep}. */
    public boolean provides(Package p, Dep dep) {
        boolean any = false;
        for (Dep d : p.provides()) {
            if (!d.name().equals(dep.name())) continue;
            any = true;
            if (rules.satisfies(d, dep)) return true;
        }
        if (!any && p.name().equals(dep.name()))
            return rules.satisfies(Dep.of(p.name(), Op.EQ, p.evr()), dep);
        return dep.isFile() && p.files().contains(dep.name());
    }

    /** Every file path some package requires but no provide or listed file supplies: filelists may. */
    public List<String> unprovidedFileRequirements() {
        TreeMap<String, Boolean> paths = new TreeMap<>();
        for (Package p : packages)
            for (Req r : p.requires()) collectFiles(r, paths);
        paths.keySet().removeIf(path -> byFile.containsKey(path) || byProvide.containsKey(path));
        return List.copyOf(paths.keySet());
    }

    private static void collectFiles(Req r, Map<String, Boolean> out) {
        // Java 17 has no pattern switch: walk the sealed tree with instanceof.
        if (r instanceof Req.Atom a) {
            if (a.dep().isFile()) out.put(a.dep().name(), true);
        } else if (r instanceof Req.All a) {
            a.parts().forEach(x -> collectFiles(x, out));
        } else if (r instanceof Req.Any a) {
            a.parts().forEach(x -> collectFiles(x, out));
        } else if (r instanceof Req.Cond c) {
            collectFiles(c.then(), out);
            if (c.otherwise() != null) collectFiles(c.otherwise(), out);
        } else if (r instanceof Req.With w) {
            w.parts().stream().filter(Dep::isFile).forEach(d -> out.put(d.name(), true));
        } else if (r instanceof Req.Without w) {
            if (w.what().isFile()) out.put(w.what().name(), true);
        }
    }
}
