package io.pigsty.offline.solve;

import io.pigsty.offline.model.Dep;
import io.pigsty.offline.model.Glob;
import io.pigsty.offline.model.Package;
import io.pigsty.offline.model.Req;
import io.pigsty.offline.model.Rules;
import io.pigsty.offline.model.Spec;
import io.pigsty.offline.model.Universe;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A request and the packages it can reach, as boolean variables and clauses. Variable 1..n are
 * packages in the order a breadth-first walk from the request meets them (the order decisions
 * follow), then come auxiliary variables for nested rich dependencies and one selector per request
 * clause. Every clause reads "if all of {@code neg} are installed, one of {@code pos} must be".
 */
final class Encoding {
    /**
     * A clause: the variables that trigger it, the literals that satisfy it, for each of those the
     * index of the alternative ({@code a | b | c}) it satisfies, and what the clause stands for.
     */
    record Clause(int[] neg, int[] pos, int[] alt, Package owner, Req req, Spec spec, boolean weak) {
        String text() {
            return spec != null ? spec.text() : req.toString();
        }

        /** As the generated equals (arrays by identity), written out: see {@link io.pigsty.offline.model.Dep#equals}. */
        @Override
        public boolean equals(Object o) {
            return o instanceof Clause c && neg == c.neg && pos == c.pos && alt == c.alt && java.util.Objects.equals(owner, c.owner)
                    && java.util.Objects.equals(req, c.req) && java.util.Objects.equals(spec, c.spec) && weak == c.weak;
        }

        @Override
        public int hashCode() {
            int h = System.identityHashCode(neg);
            h = h * 31 + System.identityHashCode(pos);
            h = h * 31 + System.identityHashCode(alt);
            h = h * 31 + java.util.Objects.hashCode(owner);
            h = h * 31 + java.util.Objects.hashCode(req);
            h = h * 31 + java.util.Objects.hashCode(spec);
            return h * 31 + Boolean.hashCode(weak);
        }

        /** The alternative a literal of this clause satisfies (0 when the requirement has no alternatives). */
        int alternative(int lit) {
            for (int i = 0; i < pos.length; i++) if (pos[i] == lit) return alt[i];
            return Integer.MAX_VALUE;
        }
    }

    /** What a request spec matched: one clause per name a glob matched, or one clause. */
    record Request(Spec spec, List<Clause> clauses, String problem) {}

    final Universe u;
    private final Map<Dep, List<Package>> provided = new HashMap<>();
    final Rules rules;
    final String arch;
    private final boolean weakDeps;

    final List<Package> packages = new ArrayList<>(); // var - 1 -> package
    private final Map<Package, Integer> vars = new HashMap<>();
    /**
     * The same by identity, filled as looked up: a package's hash walks all its dependencies and
     * files, and the solver asks for the same universe instances millions of times.
     */
    private final Map<Package, Integer> varsSeen = new java.util.IdentityHashMap<>();
    /** Auxiliary variables: the package literal standing for each (its first provider), for preferences. */
    final Map<Integer, Integer> auxLead = new HashMap<>();
    final List<Request> requests = new ArrayList<>();
    /** One clause per installed package: it stays, or something replaces it. */
    final List<Clause> keeps = new ArrayList<>();
    private final Set<Package> installedSet = new HashSet<>();
    /** Packages a request matched because they obsolete the name asked for: dnf tries them first. */
    private final Set<Package> obsoleting = new HashSet<>();
    final List<Clause> clauses = new ArrayList<>();
    final List<Clause> weakClauses = new ArrayList<>();
    /** Pairs of variables that must not both be true (conflicts, obsoletes). */
    final List<int[]> exclusions = new ArrayList<>();
    /** Groups of which at most one may be true (one version per slot). */
    final List<int[]> slots = new ArrayList<>();
    private final Map<Integer, List<Clause>> byTrigger = new HashMap<>();
    private int nVars;

    /**
     * @param installed what the target host already has (a baseline; part of {@code u}): each stays,
     *                  or is replaced by a newer version of its slot or a package obsoleting it
     */
    Encoding(Universe u, List<Spec> specs, boolean weakDeps, List<Package> installed) {
        this.u = u;
        this.rules = u.rules();
        this.arch = u.targetArch();
        this.weakDeps = weakDeps;
        List<List<List<Package>>> matched = new ArrayList<>();
        Deque<Package> queue = new ArrayDeque<>();
        Map<Package, List<Package>> replacements = new LinkedHashMap<>();
        for (Package i : installed) {
            add(i, queue);
            installedSet.add(i);
            List<Package> newer = new ArrayList<>();
            for (Package q : u.named(i.name()))
                if (rules.slot(q, arch).equals(rules.slot(i, arch)) && rules.compare(q.evr(), i.evr()) > 0) newer.add(q);
            for (Package o : u.obsoleting(i.name()))
                for (Dep d : o.obsoletes())
                    if (d.name().equals(i.name()) && u.provides(i, d) && !newer.contains(o)) newer.add(o);
            for (Package q : newer) add(q, queue);
            replacements.put(i, newer);
        }
        List<String> problems = new ArrayList<>();
        for (Spec s : specs) {
            List<List<Package>> groups = new ArrayList<>();
            String problem = match(s, groups);
            problems.add(problem);
            matched.add(groups);
            for (List<Package> g : groups) for (Package p : g) add(p, queue);
        }
        while (!queue.isEmpty()) {
            Package p = queue.poll();
            for (Req r : p.requires()) reach(r, p, queue);
            if (weakDeps) for (Req r : p.weak()) reach(r, p, queue);
        }
        nVars = packages.size();
        replacements.forEach((i, newer) -> {
            List<Package> keepOrReplace = new ArrayList<>(List.of(i));
            keepOrReplace.addAll(newer);
            int[] pos = lits(keepOrReplace);
            keeps.add(new Clause(new int[0], pos, new int[pos.length], i, null, new Spec(i.nevra(), "installed on the target"), false));
        });
        for (int i = 0; i < specs.size(); i++) {
            List<Clause> cs = new ArrayList<>();
            for (List<Package> g : matched.get(i)) {
                int sel = ++nVars;
                int[] pos = lits(g);
                cs.add(new Clause(new int[] {sel}, pos, new int[pos.length], null, null, specs.get(i), false));
            }
            requests.add(new Request(specs.get(i), cs, problems.get(i)));
        }
        for (Package p : List.copyOf(packages)) {
            int v = var(p);
            for (Req r : p.requires()) require(v, p, r, false);
            if (weakDeps) for (Req r : p.weak()) require(v, p, r, true);
            exclusions(v, p);
        }
        Map<String, List<Integer>> bySlot = new LinkedHashMap<>();
        for (Package p : packages)
            if (!rules.installOnly(p)) bySlot.computeIfAbsent(rules.slot(p, arch), k -> new ArrayList<>()).add(var(p));
        for (List<Integer> g : bySlot.values()) if (g.size() > 1) slots.add(g.stream().mapToInt(Integer::intValue).toArray());
        for (Clause c : clauses) byTrigger.computeIfAbsent(c.neg()[0], k -> new ArrayList<>()).add(c);
        for (Clause c : weakClauses) byTrigger.computeIfAbsent(c.neg()[0], k -> new ArrayList<>()).add(c);
    }

    /** The clauses (hard and weak) whose first trigger is {@code var}: a package's requirements, an auxiliary's definition. */
    List<Clause> of(int var) {
        return byTrigger.getOrDefault(var, List.of());
    }

    /** For a request clause, the packages of the requested name itself (not those obsoleting it). */
    List<Package> named(Clause request) {
        List<Package> out = new ArrayList<>();
        for (int l : request.pos()) if (!obsoletesRequested(l)) out.add(pkg(l));
        return out;
    }

    /** Whether a literal of a request stands for a package that obsoletes the requested name. */
    boolean obsoletesRequested(int lit) {
        Package p = pkg(lit);
        return p != null && obsoleting.contains(p);
    }

    /** Whether a literal stands for a package the target already has installed. */
    boolean installed(int lit) {
        Package p = pkg(lit);
        return p != null && installedSet.contains(p);
    }

    int nVars() {
        return nVars;
    }

    Integer var(Package p) {
        Integer v = varsSeen.get(p);
        if (v == null && (v = vars.get(p)) != null) varsSeen.put(p, v);
        return v;
    }

    /** The package of a variable, null for auxiliary and selector variables. */
    Package pkg(int var) {
        return var >= 1 && var <= packages.size() ? packages.get(var - 1) : null;
    }

    /** The package a literal stands for when weighing it against others: its own, or an auxiliary's lead. */
    Package lead(int lit) {
        Package p = pkg(lit);
        if (p != null) return p;
        Integer l = auxLead.get(lit);
        return l == null ? null : pkg(l);
    }

    // ---- requests -------------------------------------------------------------------------------

    /** Fills {@code groups} with what {@code s} asks for; returns why it matches nothing, or null. */
    private String match(Spec s, List<List<Package>> groups) {
        String text = s.text().trim();
        if (Glob.isGlob(text)) {
            Glob g = Glob.of(text);
            for (String n : u.names()) {
                if (!g.matches(n)) continue;
                List<Package> named = defaultArch(u.named(n));
                if (!named.isEmpty()) groups.add(named);
            }
            return groups.isEmpty() ? "no package matches it" : null;
        }
        List<Package> named = defaultArch(u.named(text));
        if (!named.isEmpty()) {
            // Like dnf, the packages that obsolete the name are candidates too, and preferred.
            List<Package> obsoleters = obsoleters(named);
            obsoleting.addAll(obsoleters);
            List<Package> group = new ArrayList<>(obsoleters);
            group.addAll(named);
            groups.add(group);
            return null;
        }
        int sep = text.lastIndexOf('.');
        if (sep > 0) {
            String a = text.substring(sep + 1);
            List<Package> exact = new ArrayList<>();
            for (Package p : u.named(text.substring(0, sep))) if (p.arch().equals(a)) exact.add(p);
            if (!exact.isEmpty()) {
                groups.add(exact);
                return null;
            }
        }
        List<Package> providers = providers(Dep.of(text), null);
        if (!providers.isEmpty()) {
            groups.add(providers);
            return null;
        }
        List<Package> nevr = byNameVersion(text);
        if (!nevr.isEmpty()) {
            groups.add(nevr);
            return null;
        }
        return "no package matches it";
    }

    private List<Package> defaultArch(List<Package> all) {
        List<Package> out = new ArrayList<>();
        for (Package p : all) if (rules.defaultArch(p.arch(), arch)) out.add(p);
        return out;
    }

    /** The packages (all versions) that obsolete the newest version of a requested name. */
    private List<Package> obsoleters(List<Package> named) {
        Package newest = named.get(0);
        for (Package p : named) if (rules.compare(p.evr(), newest.evr()) > 0) newest = p;
        List<Package> out = new ArrayList<>();
        for (Package o : u.obsoleting(newest.name())) {
            if (o.name().equals(newest.name()) || !rules.defaultArch(o.arch(), arch)) continue;
            for (Dep d : o.obsoletes())
                if (d.name().equals(newest.name()) && u.provides(newest, d)) {
                    out.add(o);
                    break;
                }
        }
        return out;
    }

    /** {@code name-version} or {@code name-version-release}, as dnf accepts them. */
    private List<Package> byNameVersion(String text) {
        for (int dash = text.lastIndexOf('-'); dash > 0; dash = text.lastIndexOf('-', dash - 1)) {
            String name = text.substring(0, dash), ver = text.substring(dash + 1);
            List<Package> same = new ArrayList<>();
            for (Package p : defaultArch(u.named(name))) {
                String vr = p.evr().version() + "-" + p.evr().release();
                if (p.evr().version().equals(ver) || vr.equals(ver)) same.add(p);
            }
            if (!same.isEmpty()) return same;
        }
        return List.of();
    }

    // ---- the reachable packages -----------------------------------------------------------------

    private void add(Package p, Deque<Package> queue) {
        if (var(p) != null) return;
        packages.add(p);
        vars.put(p, packages.size());
        queue.add(p);
    }

    /** Adds every package that may satisfy {@code r} (conditions are only read, never installed for). */
    private void reach(Req r, Package from, Deque<Package> queue) {
        if (r instanceof Req.Atom a) {
            for (Package p : providers(a.dep(), from)) add(p, queue);
        } else if (r instanceof Req.All a) {
            for (Req x : a.parts()) reach(x, from, queue);
        } else if (r instanceof Req.Any a) {
            for (Req x : a.parts()) reach(x, from, queue);
        } else if (r instanceof Req.Cond c) {
            reach(c.then(), from, queue);
            if (c.otherwise() != null) reach(c.otherwise(), from, queue);
        } else {
            for (Package p : singleProviders(r, from)) add(p, queue);
        }
    }

    /**
     * The packages that may satisfy {@code dep} for {@code from}: those of the target's arches or of
     * {@code from}'s own; when there are none, any arch the target runs (dnf installs the i686 build
     * when it alone provides what a noarch package needs).
     */
    /**
     * The universe's providers of {@code dep}, asked once per dependency: a library thousands of
     * packages require is looked up once, not once per requirer and again per clause (each lookup
     * scans every provide of every candidate, thousands for some packages).
     */
    List<Package> whatProvides(Dep dep) {
        List<Package> l = provided.get(dep);
        if (l == null) provided.put(dep, l = u.whatProvides(dep));
        return l;
    }

    List<Package> providers(Dep dep, Package from) {
        List<Package> out = new ArrayList<>(), other = new ArrayList<>();
        for (Package p : whatProvides(dep))
            if (rules.archMatches(p, dep, from, arch)) (archOk(p, from) ? out : other).add(p);
        return out.isEmpty() ? other : out;
    }

    private List<Package> singleProviders(Req r, Package from) {
        List<Package> out = new ArrayList<>(), other = new ArrayList<>();
        for (Package p : u.singleProviders(r)) (archOk(p, from) ? out : other).add(p);
        return out.isEmpty() ? other : out;
    }

    private boolean archOk(Package p, Package from) {
        return rules.defaultArch(p.arch(), arch) || from != null && p.arch().equals(from.arch());
    }

    private int[] lits(List<Package> ps) {
        int[] out = new int[ps.size()];
        int n = 0;
        next:
        for (Package p : ps) {
            Integer v = var(p);
            if (v == null) continue;
            for (int k = 0; k < n; k++) if (out[k] == v) continue next;
            out[n++] = v;
        }
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    // ---- clauses --------------------------------------------------------------------------------

    private void require(int v, Package p, Req r, boolean weak) {
        List<Clause> into = weak ? weakClauses : clauses;
        if (r instanceof Req.All a) {
            for (Req x : a.parts()) require(v, p, x, weak);
        } else if (r instanceof Req.Cond c) {
            // The condition holds when all packages of one of these sets are in (an or of ands).
            List<int[]> cond = condition(c.cond());
            Req onTrue = c.negate() ? c.otherwise() : c.then(), onFalse = c.negate() ? c.then() : c.otherwise();
            if (onTrue != null) {
                int[] pos = positive(onTrue, p);
                for (int[] set : cond) {
                    int[] neg = new int[set.length + 1];
                    neg[0] = v;
                    System.arraycopy(set, 0, neg, 1, set.length);
                    into.add(new Clause(neg, pos, new int[pos.length], p, r, null, weak));
                }
            }
            if (onFalse != null) {
                // The condition does not hold: onFalse must, unless one of the sets is in after all.
                List<Integer> pos = new ArrayList<>();
                for (int[] set : cond) {
                    if (set.length == 1) {
                        pos.add(set[0]);
                        continue;
                    }
                    int aux = ++nVars; // stands for "this whole set is in"
                    for (int l : set) clauses.add(new Clause(new int[] {aux}, new int[] {l}, new int[1], p, r, null, false));
                    pos.add(aux);
                }
                for (int l : positive(onFalse, p)) pos.add(l);
                int[] lits = pos.stream().mapToInt(Integer::intValue).toArray();
                into.add(new Clause(new int[] {v}, lits, new int[lits.length], p, r, null, weak));
            }
        } else if (r instanceof Req.Any any) {
            List<Integer> pos = new ArrayList<>(), alt = new ArrayList<>();
            for (int i = 0; i < any.parts().size(); i++)
                for (int l : positive(any.parts().get(i), p))
                    if (!pos.contains(l)) {
                        pos.add(l);
                        alt.add(i);
                    }
            into.add(new Clause(new int[] {v}, pos.stream().mapToInt(Integer::intValue).toArray(),
                    alt.stream().mapToInt(Integer::intValue).toArray(), p, r, null, weak));
        } else {
            int[] pos = positive(r, p);
            into.add(new Clause(new int[] {v}, pos, new int[pos.length], p, r, null, weak));
        }
    }

    /** Literals each of which makes {@code r} hold; parts that need more than one package get an auxiliary. */
    private int[] positive(Req r, Package from) {
        if (r instanceof Req.Atom a) return lits(providers(a.dep(), from));
        if (r instanceof Req.Any a) {
            List<Integer> out = new ArrayList<>();
            for (Req x : a.parts()) for (int l : positive(x, from)) if (!out.contains(l)) out.add(l);
            return out.stream().mapToInt(Integer::intValue).toArray();
        }
        if (r instanceof Req.All || r instanceof Req.Cond) {
            int aux = ++nVars;
            int before = clauses.size();
            require(aux, from, r, false);
            for (int i = before; i < clauses.size(); i++)
                for (int l : clauses.get(i).pos()) {
                    if (pkg(l) != null) {
                        auxLead.putIfAbsent(aux, l);
                        break;
                    }
                }
            return new int[] {aux};
        }
        return lits(singleProviders(r, from));
    }

    /**
     * When a condition holds, as rpm reads it on what is installed: the sets of packages that make it
     * true when all of a set are in (one set per provider of a capability; an {@code and} joins sets).
     */
    private List<int[]> condition(Req r) {
        List<int[]> out = new ArrayList<>();
        if (r instanceof Req.Any a) {
            for (Req x : a.parts()) out.addAll(condition(x));
        } else if (r instanceof Req.All a) {
            out.add(new int[0]);
            for (Req x : a.parts()) {
                List<int[]> next = new ArrayList<>();
                for (int[] left : out)
                    for (int[] right : condition(x)) {
                        int[] both = java.util.Arrays.copyOf(left, left.length + right.length);
                        System.arraycopy(right, 0, both, left.length, right.length);
                        next.add(both);
                    }
                out = next;
            }
        } else {
            List<Package> ps = r instanceof Req.Atom a ? whatProvides(a.dep()) : u.singleProviders(r);
            for (int l : lits(ps)) out.add(new int[] {l});
        }
        return out;
    }

    /** Conflicts (and Debian Breaks) and obsoletes of {@code p} against the reachable packages. */
    private void exclusions(int v, Package p) {
        Set<Integer> seen = new HashSet<>();
        for (Dep c : p.conflicts())
            for (Package q : whatProvides(c)) {
                Integer w = var(q);
                // an arch-qualified conflict ("libc6-x32:i386") meets only that arch
                if (w != null && w != v && !q.name().equals(p.name()) && rules.archMatches(q, c, p, arch) && seen.add(w))
                    exclusions.add(new int[] {v, w});
            }
        for (Dep o : p.obsoletes())
            for (Package q : u.named(o.name())) {
                Integer w = var(q);
                if (w != null && w != v && !q.name().equals(p.name()) && u.provides(q, o) && seen.add(w))
                    exclusions.add(new int[] {v, w});
            }
    }
}
