package io.pigsty.offline.solve;

import io.pigsty.offline.model.BuildException;
import io.pigsty.offline.model.ExitCode;
import io.pigsty.offline.model.Package;
import io.pigsty.offline.model.Spec;
import io.pigsty.offline.model.Universe;
import org.sat4j.core.VecInt;
import org.sat4j.minisat.SolverFactory;
import org.sat4j.minisat.core.DataStructureFactory;
import org.sat4j.minisat.core.Solver;
import org.sat4j.specs.ContradictionException;
import org.sat4j.specs.IVecInt;
import org.sat4j.specs.TimeoutException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One complete solve for the whole request, as an install into an empty root of the target: the
 * request and every package it can reach become a SAT problem (requirements, rich dependencies,
 * conflicts, obsoletes, one version per slot) that Sat4j solves with the decisions of
 * {@link Heuristic}. A request that cannot be met is set aside and explained with the chain that
 * fails; every answer is checked by {@link Verifier} before it is returned.
 */
public final class Resolver {
    public record Options(boolean weakDeps) {}

    /** How long one solve may search before the build gives up (a bug, not a real repo, would need it). */
    private static final int TIMEOUT_SECONDS = 300;

    private final Encoding e;
    private final Heuristic heuristic;
    private final Solver<DataStructureFactory> solver;
    private final Map<Integer, Boolean> installable = new HashMap<>();
    private final Map<Encoding.Clause, Boolean> possibleAlone = new java.util.IdentityHashMap<>();

    private Resolver(Encoding e) {
        this.e = e;
        this.heuristic = new Heuristic(e);
        this.solver = SolverFactory.newMiniLearningHeap();
        solver.setOrder(heuristic);
        solver.setTimeout(TIMEOUT_SECONDS);
        solver.newVar(e.nVars());
        // Sat4j stops deciding once every variable it has seen is set: show it them all, or packages
        // that only weak dependencies mention would never be offered.
        for (int v = 1; v <= e.nVars(); v++) solver.registerLiteral(v);
        try {
            for (Encoding.Clause c : e.clauses) solver.addClause(clause(c));
            for (Encoding.Request r : e.requests) for (Encoding.Clause c : r.clauses()) solver.addClause(clause(c));
            for (Encoding.Clause c : e.keeps) solver.addClause(clause(c));
            for (int[] x : e.exclusions) solver.addClause(new VecInt(new int[] {-x[0], -x[1]}));
            for (int[] s : e.slots) solver.addAtMost(new VecInt(s), 1);
        } catch (ContradictionException ex) {
            // Only a clause that is false at level 0 gets here; every clause has a trigger, so none is.
            throw new IllegalStateException("the dependency problem is contradictory before any choice", ex);
        }
    }

    private static IVecInt clause(Encoding.Clause c) {
        int[] lits = new int[c.neg().length + c.pos().length];
        for (int i = 0; i < c.neg().length; i++) lits[i] = -c.neg()[i];
        System.arraycopy(c.pos(), 0, lits, c.neg().length, c.pos().length);
        return new VecInt(lits);
    }

    /** The request as an install into an empty root. */
    public static Resolution resolve(Universe universe, List<Spec> specs, Options options) {
        return resolve(universe, specs, options, List.of());
    }

    /**
     * The request as an install onto a host that has {@code installed} (a baseline, not part of
     * {@code universe}): each installed package stays or is upgraded from the repos when something
     * needs it, and what must move with it moves too. The picks are what the host lacks.
     */
    public static Resolution resolve(Universe universe, List<Spec> specs, Options options, List<Package> installed) {
        List<Package> host0 = new ArrayList<>();
        for (Package i : installed) host0.add(known(universe, i));
        Universe withHost = universe.with(host0);
        Set<Package> host = new java.util.HashSet<>(host0);
        List<Package> present = withHost.packages().stream().filter(host::contains).toList();
        Resolver r = new Resolver(new Encoding(withHost, specs, options.weakDeps(), present));
        return r.run();
    }

    /**
     * An installed package as the repos describe it when they carry the same version (a baseline
     * that lists only names and versions then brings its real dependencies), else as given.
     */
    private static Package known(Universe u, Package installed) {
        for (Package p : u.named(installed.name()))
            if (p.arch().equals(installed.arch()) && u.rules().compare(p.evr(), installed.evr()) == 0)
                return new Package(p.name(), p.evr(), p.arch(), p.provides(), p.requires(), p.conflicts(), p.obsoletes(),
                        p.weak(), p.suggests(), p.supplements(), p.files(), p.location(), p.size(), p.checksum(),
                        io.pigsty.offline.model.Repo.INSTALLED, p.multiArch());
        return installed;
    }

    private Resolution run() {
        List<Resolution.Problem> problems = new ArrayList<>();
        List<Encoding.Clause> active = new ArrayList<>();
        for (Encoding.Request r : e.requests) {
            if (r.problem() != null) problems.add(new Resolution.Problem(r.spec(), List.of(r.spec().text()), r.problem(), false));
            active.addAll(r.clauses());
        }
        // A request whose every candidate propagation alone rules out (nothing provides what it needs,
        // however deep) is set aside at once: one solve proves them all, not one solve each.
        sat(new VecInt());
        // Explanations are written once the answer stands: their solves change the solver's learnt
        // state, which would otherwise steer which clashing request the loop below sets aside.
        List<java.util.function.Supplier<List<Resolution.Problem>>> explained = new ArrayList<>();
        List<Encoding.Clause> dead = new ArrayList<>();
        for (Encoding.Clause c : active) if (heuristic.falseAtRoot(c.neg()[0])) dead.add(c);
        for (Encoding.Clause c : dead) explained.add(() -> explain(c));
        active.removeAll(dead);
        // The others that cannot be met are set aside one by one.
        while (!active.isEmpty() && !sat(selectors(active))) {
            List<Encoding.Clause> core = core(active);
            List<Encoding.Clause> impossible = new ArrayList<>();
            for (Encoding.Clause c : core) if (!possibleAlone(c)) impossible.add(c);
            if (impossible.isEmpty()) {
                Encoding.Clause last = core.get(core.size() - 1);
                List<Encoding.Clause> others = List.copyOf(core.subList(0, core.size() - 1));
                explained.add(() -> List.of(together(last, others)));
                active.remove(last);
            } else {
                for (Encoding.Clause c : impossible) explained.add(() -> explain(c));
                active.removeAll(impossible);
            }
        }
        BitSet model = new BitSet(); // the last solve of the loop above was the satisfiable one
        if (!active.isEmpty()) for (int lit : solver.model()) if (lit > 0) model.set(lit);
        Map<Package, String> reasons = reasons(model, active);
        List<Resolution.Pick> picks = new ArrayList<>();
        reasons.forEach((p, why) -> picks.add(new Resolution.Pick(p, why)));
        List<String> notes = new ArrayList<>();
        picks.addAll(lookups(model, active, reasons, notes));
        picks.sort(Comparator.comparing((Resolution.Pick k) -> k.pkg().name())
                .thenComparing(k -> k.pkg().arch()).thenComparing(k -> k.pkg().evr(), e.rules::compare));
        List<Package> chosen = picks.stream().filter(k -> !k.lookupOnly()).map(Resolution.Pick::pkg).toList();
        List<String> wrong = Verifier.check(e.rules, e.arch, chosen); // kept installed packages are among the picks here
        List<Resolution.Upgrade> upgrades = new ArrayList<>();
        for (Encoding.Clause keep : e.keeps) {
            Package from = keep.owner();
            if (model.get(e.var(from))) continue;
            for (int l : keep.pos()) if (model.get(l)) upgrades.add(new Resolution.Upgrade(from, e.pkg(l)));
        }
        picks.removeIf(k -> e.installed(e.var(k.pkg()))); // the host has them: nothing to ship
        if (!wrong.isEmpty())
            throw new BuildException(ExitCode.FAILED, "the resolver chose an inconsistent set (a bug; please report it):\n  "
                    + String.join("\n  ", wrong.subList(0, Math.min(20, wrong.size()))));
        problems.addAll(skippedWeak(model));
        List<Resolution.Choice> choices = new ArrayList<>();
        for (Heuristic.Choice c : heuristic.choices(model, e.exclusions)) {
            Package p = e.lead(c.chosen());
            Set<String> others = new LinkedHashSet<>();
            for (int l : c.others()) others.add(e.lead(l).name());
            Package owner = c.clause().owner();
            choices.add(new Resolution.Choice(c.clause().text(), owner == null ? "request" : owner.name(), p.name(),
                    List.copyOf(others), c.why()));
        }
        for (var x : explained) problems.addAll(x.get()); // last: the choices above are the answer's own decisions
        problems.sort(Comparator.comparing(Resolution.Problem::describe));
        return new Resolution(picks, dedupe(problems), choices, notes, upgrades);
    }

    /**
     * For a request met by a package that obsoletes the name asked for, the newest package of that
     * name, shipped but not installed: an installer asked for the name on the target finds it there
     * and installs the obsoleting package, as dnf did here.
     */
    private List<Resolution.Pick> lookups(BitSet model, List<Encoding.Clause> active, Map<Package, String> chosen,
                                          List<String> notes) {
        List<Resolution.Pick> out = new ArrayList<>();
        for (Encoding.Clause c : active) {
            List<Package> named = e.named(c);
            if (named.isEmpty() || named.stream().anyMatch(p -> model.get(e.var(p)))) continue;
            Package newest = named.get(0);
            for (Package p : named) if (e.rules.compare(p.evr(), newest.evr()) > 0) newest = p;
            if (chosen.containsKey(newest)) continue;
            String by = null;
            for (int l : c.pos()) if (model.get(l)) by = e.pkg(l).nevra();
            out.add(new Resolution.Pick(newest, "requested: " + c.spec() + "; obsoleted by " + by
                    + ", shipped so the installer finds the name (not installed)", true));
            notes.add(c.spec().text() + " is obsoleted by " + by + ": that is installed; " + newest.nevra()
                    + " is shipped only so the name is found");
        }
        return out;
    }

    private static List<Resolution.Problem> dedupe(List<Resolution.Problem> ps) {
        Map<String, Resolution.Problem> out = new LinkedHashMap<>();
        for (Resolution.Problem p : ps) out.putIfAbsent(p.describe() + "|" + p.weak(), p);
        return List.copyOf(out.values());
    }

    private static IVecInt selectors(List<Encoding.Clause> requests) {
        VecInt v = new VecInt();
        for (Encoding.Clause c : requests) v.push(c.neg()[0]);
        return v;
    }

    private boolean sat(IVecInt assumptions) {
        try {
            if (!solver.isSatisfiable(assumptions)) return false;
            learn(solver.model());
            return true;
        } catch (TimeoutException ex) {
            throw new BuildException(ExitCode.FAILED, "dependency resolution did not finish in " + TIMEOUT_SECONDS
                    + " s (" + e.nVars() + " variables); please report this request");
        }
    }

    /** The requests the last failed solve depended on, in request order. */
    private List<Encoding.Clause> core(List<Encoding.Clause> active) {
        IVecInt why = solver.unsatExplanation();
        Set<Integer> sel = new java.util.HashSet<>();
        if (why != null) for (int i = 0; i < why.size(); i++) sel.add(Math.abs(why.get(i)));
        List<Encoding.Clause> core = new ArrayList<>();
        for (Encoding.Clause c : active) if (sel.contains(c.neg()[0])) core.add(c);
        return core.isEmpty() ? List.copyOf(active) : core;
    }

    // ---- explanations ---------------------------------------------------------------------------

    /** Why a request cannot be met on its own: for each candidate, the first chain of requirements that fails. */
    private List<Resolution.Problem> explain(Encoding.Clause request) {
        List<Resolution.Problem> out = new ArrayList<>();
        for (int l : request.pos()) {
            Package p = e.pkg(l);
            List<String> chain = new ArrayList<>();
            if (!request.spec().text().equals(p.name())) chain.add(request.spec().text());
            String what = why(p, chain, new java.util.HashSet<>(), 0);
            out.add(new Resolution.Problem(request.spec(), chain, what, false));
        }
        if (out.isEmpty())
            out.add(new Resolution.Problem(request.spec(), List.of(request.spec().text()), "no package matches it", false));
        return out;
    }

    /** Extends {@code chain} from {@code p} to the requirement that fails and returns how it fails. */
    private String why(Package p, List<String> chain, Set<Package> seen, int depth) {
        chain.add(p.name());
        seen.add(p);
        // First a requirement nothing provides, then one whose every provider propagation alone has
        // ruled out (the solver's facts, before any choice): either proves p uninstallable with no
        // solve, and a package ruled out that way always has one; last, with solves, one none of whose
        // providers can be installed. The shortest true chain comes first.
        for (Encoding.Clause c : e.of(e.var(p)))
            if (!c.weak() && c.neg().length == 1 && c.pos().length == 0) {
                chain.add(c.text());
                return "nothing provides it";
            }
        String found = firstFailing(p, chain, seen, depth, heuristic::falseAtRoot);
        if (found == null) found = firstFailing(p, chain, seen, depth, l -> !installable(l));
        if (found != null) return found;
        // Each requirement alone can be met, not together with p: name the clash with p itself.
        Integer v = e.var(p);
        for (Encoding.Clause c : e.of(v)) {
            if (c.weak() || c.neg().length != 1 || c.pos().length == 0) continue;
            boolean anyWith = false;
            for (int l : c.pos()) anyWith |= sat(new VecInt(new int[] {v, l}));
            if (anyWith) continue;
            chain.add(c.text());
            for (int[] x : e.exclusions)
                for (int l : c.pos())
                    if (x[0] == v && x[1] == l || x[1] == v && x[0] == l)
                        return "its provider " + e.pkg(l).nevra() + " conflicts with " + p.nevra();
            return "no provider can be installed together with " + p.nevra();
        }
        return "it conflicts with what it needs (no consistent set contains it)";
    }

    /**
     * The first requirement of {@code p} whose every provider is {@code out}, followed down through a
     * provider not yet seen, else told; null when every requirement has a provider that is not out.
     */
    private String firstFailing(Package p, List<String> chain, Set<Package> seen, int depth, java.util.function.IntPredicate out) {
        for (Encoding.Clause c : e.of(e.var(p))) {
            if (c.weak() || c.neg().length != 1) continue;
            Package stuck = null;
            boolean allOut = true;
            for (int l : c.pos()) {
                if (!out.test(l)) {
                    allOut = false;
                    break;
                }
                Package q = e.lead(l);
                if (stuck == null && q != null && !seen.contains(q)) stuck = q;
            }
            if (!allOut) continue;
            if (c.pos().length == 0) {
                chain.add(c.text());
                return "nothing provides it";
            }
            if (stuck != null && depth < 4) return why(stuck, chain, seen, depth + 1);
            chain.add(c.text());
            return "no provider can be installed";
        }
        return null;
    }

    /**
     * What a model proves beyond the question it answered: every package it installs can be installed,
     * and every request one of its packages meets can be met alone (its selector, in no other
     * clause, can be set too). Later questions about them need no solve of their own.
     */
    private void learn(int[] model) {
        BitSet on = new BitSet();
        for (int lit : model) if (lit > 0) on.set(lit);
        for (int lit = on.nextSetBit(0); lit >= 0; lit = on.nextSetBit(lit + 1)) installable.putIfAbsent(lit, true);
        for (Encoding.Request r : e.requests)
            for (Encoding.Clause c : r.clauses()) {
                if (possibleAlone.containsKey(c)) continue;
                for (int l : c.pos())
                    if (on.get(l)) {
                        possibleAlone.put(c, true);
                        break;
                    }
            }
    }

    /** Whether a request can be met on its own: asked once per request, however many cores it is in. */
    private boolean possibleAlone(Encoding.Clause request) {
        Boolean known = possibleAlone.get(request);
        if (known != null) return known;
        // The solve also takes on the requests not yet known (their models are learnt: most later
        // questions need no solve), which may add clauses Sat4j learns but never changes an answer.
        java.util.stream.IntStream.Builder others = java.util.stream.IntStream.builder();
        for (Encoding.Request r : e.requests)
            for (Encoding.Clause c : r.clauses()) if (c != request && !possibleAlone.containsKey(c)) others.add(c.neg()[0]);
        heuristic.greedy(others.build().toArray());
        boolean can;
        try {
            can = sat(selectors(List.of(request))); // a solve may learn others (not computeIfAbsent: it adds to the map)
        } finally {
            heuristic.greedy(new int[0]);
        }
        possibleAlone.put(request, can);
        return can;
    }

    private boolean installable(int lit) {
        Boolean known = installable.get(lit);
        if (known != null) return known;
        boolean can = !heuristic.falseAtRoot(lit) && sat(new VecInt(new int[] {lit}));
        installable.put(lit, can);
        return can;
    }

    /**
     * Requests each possible alone, not together: names them, and the first clash between what each
     * needs alone (two versions of one slot, or a conflict), e.g. "needs lib-2.0 but old needs lib-1.0".
     */
    private Resolution.Problem together(Encoding.Clause last, List<Encoding.Clause> others) {
        List<String> names = new ArrayList<>();
        for (Encoding.Clause o : others) names.add(o.spec().text());
        String what = "cannot be installed together with " + String.join(", ", names);
        BitSet mine = alone(last);
        for (Encoding.Clause o : others) {
            BitSet theirs = alone(o);
            String clash = clash(mine, theirs);
            if (clash != null) {
                what = clash.replace("%s", o.spec().text());
                break;
            }
        }
        return new Resolution.Problem(last.spec(), List.of(last.spec().text()), what, false);
    }

    /** The packages one request installs on its own. */
    private BitSet alone(Encoding.Clause request) {
        BitSet m = new BitSet();
        if (sat(selectors(List.of(request)))) for (int lit : solver.model()) if (lit > 0 && lit <= e.packages.size()) m.set(lit);
        return m;
    }

    /** How two answers clash: a slot holding different versions, or a conflict/obsolete between them. */
    private String clash(BitSet mine, BitSet theirs) {
        Map<String, Package> slot = new HashMap<>();
        for (int v = mine.nextSetBit(1); v >= 0; v = mine.nextSetBit(v + 1)) slot.put(e.rules.slot(e.pkg(v), e.arch), e.pkg(v));
        for (int v = theirs.nextSetBit(1); v >= 0; v = theirs.nextSetBit(v + 1)) {
            Package q = e.pkg(v), p = slot.get(e.rules.slot(q, e.arch));
            if (p != null && !p.equals(q) && !e.rules.installOnly(q))
                return "needs " + p.nevra() + " but %s needs " + q.nevra() + " (one " + q.name() + " at a time)";
        }
        for (int[] x : e.exclusions) {
            if (mine.get(x[0]) && theirs.get(x[1]) || mine.get(x[1]) && theirs.get(x[0])) {
                Package a = e.pkg(mine.get(x[0]) ? x[0] : x[1]), b = e.pkg(mine.get(x[0]) ? x[1] : x[0]);
                return "needs " + a.nevra() + ", which conflicts with " + b.nevra() + " that %s needs";
            }
        }
        return null;
    }

    /** Weak dependencies of chosen packages that nothing installable meets: skipped, and said. */
    private List<Resolution.Problem> skippedWeak(BitSet model) {
        List<Resolution.Problem> out = new ArrayList<>();
        for (Encoding.Clause c : e.weakClauses) {
            boolean triggered = true;
            for (int n : c.neg()) triggered &= model.get(n);
            if (!triggered) continue;
            boolean met = false;
            for (int l : c.pos()) met |= model.get(l);
            if (!met && c.owner() != null)
                out.add(new Resolution.Problem(null, List.of(c.owner().name(), c.text()),
                        c.pos().length == 0 ? "nothing provides it; skipped" : "no provider fits; skipped", true));
        }
        return out;
    }

    // ---- why each package is there --------------------------------------------------------------

    /** Each chosen package with the request or requirement that brought it, met breadth-first from the request. */
    private Map<Package, String> reasons(BitSet model, List<Encoding.Clause> active) {
        Map<Package, String> reasons = new LinkedHashMap<>();
        Deque<Package> queue = new ArrayDeque<>();
        for (Encoding.Clause c : active)
            for (int l : c.pos())
                if (model.get(l) && reasons.putIfAbsent(e.pkg(l), "requested: " + c.spec()) == null) queue.add(e.pkg(l));
        for (Encoding.Clause keep : e.keeps)
            for (int l : keep.pos())
                if (model.get(l) && reasons.putIfAbsent(e.pkg(l), e.installed(l) ? "installed on the target"
                        : "replaces " + keep.owner().nevra() + ", installed on the target") == null) queue.add(e.pkg(l));
        while (!queue.isEmpty()) {
            Package p = queue.poll();
            List<Encoding.Clause> own = new ArrayList<>(e.of(e.var(p)));
            // conditional clauses are filed under their first trigger, the package itself
            for (Encoding.Clause c : own) {
                boolean triggered = true;
                for (int n : c.neg()) triggered &= model.get(n);
                if (!triggered) continue;
                for (int l : c.pos()) {
                    if (!model.get(l)) continue;
                    for (Package q : members(l, model)) {
                        String via = (c.weak() ? "recommended by " : "required by ") + p.nevra() + " (" + c.text() + ")";
                        if (reasons.putIfAbsent(q, via) == null) queue.add(q);
                    }
                }
            }
        }
        for (int v = model.nextSetBit(1); v >= 0 && v <= e.packages.size(); v = model.nextSetBit(v + 1))
            reasons.putIfAbsent(e.pkg(v), "chosen by the solver");
        return reasons;
    }

    /** The chosen packages a literal stands for: itself, or what an auxiliary's own clauses chose. */
    private List<Package> members(int lit, BitSet model) {
        Package p = e.pkg(lit);
        if (p != null) return List.of(p);
        List<Package> out = new ArrayList<>();
        for (Encoding.Clause c : e.of(lit)) for (int l : c.pos()) if (model.get(l)) out.addAll(members(l, model));
        return out;
    }
}
