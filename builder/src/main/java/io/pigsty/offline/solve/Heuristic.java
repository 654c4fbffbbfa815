package io.pigsty.offline.solve;

import io.pigsty.offline.model.Package;
import io.pigsty.offline.model.Req;
import org.sat4j.minisat.core.ILits;
import org.sat4j.minisat.core.IOrder;
import org.sat4j.minisat.core.IPhaseSelectionStrategy;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.function.ToIntFunction;

/**
 * Sat4j's decisions, made the way libsolv and apt make theirs: first every request, then the
 * requirements of what is installed in the order the packages were met, each met by the most
 * preferred provider still open; weak dependencies after that when asked for; everything else is
 * left out. Sat4j propagates, learns from conflicts and backjumps, so a preferred choice that
 * cannot work is replaced by the next one and the answer is complete; the preferences make it the
 * answer the installers would give.
 */
final class Heuristic implements IOrder {
    /** A choice among providers of different names, and the preference that decided it. */
    record Choice(Encoding.Clause clause, int chosen, List<Integer> others, String why) {}

    private final Encoding e;
    private final List<List<Encoding.Clause>> byTrigger = new ArrayList<>(), weakByTrigger = new ArrayList<>();
    /** For each package variable, the variables of the packages that recommend it, and that suggest it. */
    private final Map<Integer, List<Integer>> recommendedBy = new HashMap<>(), suggestedBy = new HashMap<>();
    private final Map<Encoding.Clause, Choice> choices = new HashMap<>();
    private ILits lits;
    private final BitSet trueVars = new BitSet(), pending = new BitSet(), weakPending = new BitSet();
    /** What must be met first, kept before requested; and how many of them are already met or out of reach. */
    private final List<Encoding.Clause> front = new ArrayList<>();
    private int frontFrom;
    private boolean dirty;
    private int freeFrom = 1;
    /** Request selectors to set when nothing else is open, in order; see {@link #greedy}. */
    private int[] greedy = new int[0];
    /** Whether real choices wait for requirements that name their package (libsolv's way; apt's is the order met). */
    private final boolean postponing;

    Heuristic(Encoding e) {
        this.e = e;
        for (int v = 0; v <= e.nVars(); v++) {
            byTrigger.add(new ArrayList<>(0));
            weakByTrigger.add(new ArrayList<>(0));
        }
        for (Encoding.Clause c : e.clauses) for (int v : c.neg()) byTrigger.get(v).add(c);
        for (Encoding.Clause c : e.weakClauses) for (int v : c.neg()) weakByTrigger.get(v).add(c);
        postponing = !e.rules.alternativesInOrder();
        front.addAll(e.keeps);
        for (Encoding.Request r : e.requests) front.addAll(r.clauses());
        if (e.rules.hintsSteerChoices())
            for (Package q : e.packages) {
                int qv = e.var(q);
                for (Req r : q.weak()) for (Package p : hinted(r, q)) recommendedBy.computeIfAbsent(e.var(p), k -> new ArrayList<>()).add(qv);
                for (Req r : q.suggests()) for (Package p : hinted(r, q)) suggestedBy.computeIfAbsent(e.var(p), k -> new ArrayList<>()).add(qv);
            }
    }

    private List<Package> hinted(Req r, Package from) {
        if (r instanceof Req.Atom a) return e.providers(a.dep(), from).stream().filter(p -> e.var(p) != null).toList();
        return e.u.singleProviders(r).stream().filter(p -> e.var(p) != null).toList();
    }

    /**
     * Every choice among providers of different names in the answer, with its reason: the one the
     * decision gave, or, for a provider the others' exclusion forced, that the others conflict.
     */
    List<Choice> choices(java.util.BitSet model, List<int[]> exclusions) {
        java.util.Set<Integer> excluded = new java.util.HashSet<>();
        for (int[] x : exclusions) {
            if (model.get(x[0])) excluded.add(x[1]);
            if (model.get(x[1])) excluded.add(x[0]);
        }
        List<Choice> out = new ArrayList<>();
        for (Encoding.Clause c : e.clauses) {
            if (c.owner() == null && c.spec() == null) continue;
            boolean triggered = true;
            for (int n : c.neg()) triggered &= model.get(n);
            if (!triggered) continue;
            Choice made = choices.get(c);
            if (made != null && model.get(made.chosen())) {
                out.add(made);
                continue;
            }
            int chosen = 0;
            for (int l : c.pos()) if (model.get(l) && e.pkg(l) != null) chosen = l;
            if (chosen == 0) continue;
            Package bp = e.pkg(chosen);
            List<Integer> others = new ArrayList<>();
            for (int l : c.pos()) if (e.lead(l) != null && !e.lead(l).name().equals(bp.name())) others.add(l);
            if (others.isEmpty()) continue;
            boolean allShut = others.stream().allMatch(excluded::contains);
            if (allShut) out.add(new Choice(c, chosen, others, "the others conflict with packages already chosen"));
        }
        for (Encoding.Request r : e.requests)
            for (Encoding.Clause c : r.clauses()) {
                Choice made = choices.get(c);
                if (made != null && model.get(made.chosen())) out.add(made);
            }
        out.sort(Comparator.comparing((Choice c) -> c.clause().owner() == null ? "" : c.clause().owner().nevra())
                .thenComparing(c -> c.clause().text()));
        return out;
    }

    /** Whether Sat4j has proven {@code var} false for good (at the root level, before any decision). */
    boolean falseAtRoot(int var) {
        return lits != null && lits.isFalsified(var << 1) && lits.getLevel(var << 1) == 0;
    }

    // ---- IOrder ---------------------------------------------------------------------------------

    /**
     * While set, a solve that has met everything it must also takes these requests on (their
     * selectors, when still open), backing out of any that clash: one model then proves many
     * requests possible, where a model of the bare question proved few.
     */
    void greedy(int[] selectors) {
        greedy = selectors;
    }

    @Override
    public void setLits(ILits lits) {
        this.lits = lits;
    }

    @Override
    public void init() {
        // Sat4j may call this with literals already set (assumptions, level-0 units): start from what is true.
        trueVars.clear();
        for (int v = 1; v <= e.nVars(); v++) if (lits.isSatisfied(v << 1)) trueVars.set(v);
        dirty = true;
        freeFrom = 1;
        frontFrom = 0;
    }

    @Override
    public void assignLiteral(int p) {
        if ((p & 1) == 0) {
            int v = p >> 1;
            trueVars.set(v);
            pending.set(v);
            weakPending.set(v);
        }
    }

    @Override
    public void undo(int x) {
        trueVars.clear(x);
        dirty = true;
        if (x < freeFrom) freeFrom = x;
    }

    @Override
    public int select() {
        if (dirty) {
            // Backjumping may have unset what satisfied a clause already looked at: look again at all.
            pending.clear();
            pending.or(trueVars);
            weakPending.clear();
            weakPending.or(trueVars);
            frontFrom = 0;
            dirty = false;
        }
        // Until something is undone, a clause found met, untriggered or out of reach stays so: skip it
        // next time (with thousands of requests, looking at each on every decision was most of the work).
        for (; frontFrom < front.size(); frontFrom++) {
            int l = open(front.get(frontFrom));
            if (l != 0) return l << 1;
        }
        // libsolv decides a requirement that leaves a real choice (providers of several names, after
        // priority and arch) only when no requirement is left that names its package outright: what
        // those bring in may already meet it (texlive-latex, needed by name by many, over the
        // collection that also provides it). Then it takes the postponed rule of the package met last
        // in the repos (its rules are sorted so), which decides which choice meets the others.
        Encoding.Clause postponed = null;
        for (int v = pending.nextSetBit(0); v >= 0; v = pending.nextSetBit(v + 1)) {
            boolean waiting = false;
            if (v < byTrigger.size())
                for (Encoding.Clause c : byTrigger.get(v)) {
                    if (postponing && realChoice(c)) {
                        if (postponed == null || position(c.owner()) > position(postponed.owner())) postponed = c;
                        waiting = true;
                        continue;
                    }
                    int l = open(c);
                    if (l != 0) return l << 1;
                }
            if (!waiting) pending.clear(v);
        }
        if (postponed != null) return open(postponed) << 1;
        for (int v = weakPending.nextSetBit(0); v >= 0; v = weakPending.nextSetBit(v + 1)) {
            if (v < weakByTrigger.size())
                for (Encoding.Clause c : weakByTrigger.get(v)) {
                    int l = open(c);
                    if (l != 0) return l << 1;
                }
            weakPending.clear(v);
        }
        for (int v : greedy) if (lits.isUnassigned(v << 1)) return v << 1;
        for (int v = freeFrom; v <= e.nVars(); v++) {
            if (lits.isUnassigned(v << 1)) {
                freeFrom = v + 1;
                return (v << 1) | 1; // not needed: left out
            }
        }
        return ILits.UNDEFINED;
    }

    /**
     * Whether a triggered, unmet clause leaves open providers of more than one name among those of
     * the best repo priority and arch, which is when libsolv postpones it.
     */
    private boolean realChoice(Encoding.Clause c) {
        for (int n : c.neg()) if (!lits.isSatisfied(n << 1)) return false;
        int best = Integer.MAX_VALUE;
        boolean bestArch = false;
        String fromArch = c.owner() == null ? e.arch : c.owner().arch();
        for (int p : c.pos()) {
            if (lits.isSatisfied(p << 1)) return false;
            Package q = lead(p);
            if (q == null || !lits.isUnassigned(p << 1)) continue;
            best = Math.min(best, q.repo().priority());
            bestArch |= sameArch(q, fromArch);
        }
        String name = null;
        for (int p : c.pos()) {
            Package q = lead(p);
            if (q == null || !lits.isUnassigned(p << 1) || q.repo().priority() != best || bestArch && !sameArch(q, fromArch))
                continue;
            if (name == null) name = q.name();
            else if (!name.equals(q.name())) return true;
        }
        return false;
    }

    /** Where a package stands in the repos' own order (libsolv's solvable id); -1 for none. */
    private int position(Package p) {
        return p == null ? -1 : e.u.position(p);
    }

    private static boolean sameArch(Package p, String arch) {
        return p.arch().equals(arch) || p.arch().equals("noarch") || p.arch().equals("all");
    }

    /** The best open literal of a triggered clause no literal of which holds yet; 0 when none. */
    private int open(Encoding.Clause c) {
        for (int n : c.neg()) if (!lits.isSatisfied(n << 1)) return 0;
        List<Integer> candidates = new ArrayList<>();
        boolean shut = false;
        for (int p : c.pos()) {
            if (lits.isSatisfied(p << 1)) return 0;
            if (lits.isUnassigned(p << 1)) candidates.add(p);
            else shut = true;
        }
        if (candidates.isEmpty()) return 0;
        if (candidates.size() == 1 && !shut) return candidates.get(0);
        List<Rule> rules = rules(c, candidates);
        Comparator<Integer> order = rules.stream().map(Rule::order).reduce(Comparator::thenComparing).orElseThrow();
        candidates.sort(order);
        int best = candidates.get(0);
        explain(c, best, candidates, rules, order);
        return best;
    }

    /**
     * Keeps the reason for a choice among providers of different names: the preference that put the
     * best first, or that the others cannot be installed beside what is already chosen.
     */
    private void explain(Encoding.Clause c, int best, List<Integer> open, List<Rule> rules, Comparator<Integer> order) {
        Package bp = e.lead(best);
        if (bp == null) return;
        List<Integer> others = new ArrayList<>();
        for (int l : c.pos()) {
            Package p = e.lead(l);
            if (p != null && !p.name().equals(bp.name())) others.add(l);
        }
        if (others.isEmpty()) return;
        others.sort(order);
        int runnerUp = others.get(0);
        String why = !open.contains(runnerUp) ? "the others conflict with packages already chosen"
                : rules.stream().filter(r -> r.order().compare(best, runnerUp) != 0).map(Rule::why).findFirst().orElse("first in order");
        choices.put(c, new Choice(c, best, others, why));
    }

    // ---- preferences ----------------------------------------------------------------------------

    /** One preference: literals it orders first come first; {@code why} explains a choice it decided. */
    record Rule(String why, Comparator<Integer> order) {}

    private List<Rule> rules(Encoding.Clause c, List<Integer> open) {
        Package from = c.owner();
        String fromArch = from == null ? e.arch : from.arch();
        List<Rule> rules = new ArrayList<>();
        // What the host has installed stays, and meets what it can, before anything new comes in.
        rules.add(new Rule("already installed on the target", flag(e::installed)));
        Rule arch = new Rule("same arch as " + (from == null ? "the target" : from.name()),
                flag(l -> lead(l) != null && sameArch(lead(l), fromArch)));
        Rule priority = new Rule("better repo priority",
                Comparator.comparingInt(l -> lead(l) == null ? Integer.MAX_VALUE : lead(l).repo().priority()));
        Rule version = new Rule("newer version", (a, b) -> name(a).equals(name(b)) ? newer(a, b) : 0);
        if (c.spec() != null) rules.add(new Rule("it obsoletes the name asked for", flag(e::obsoletesRequested)));
        if (e.rules.alternativesInOrder()) {
            // apt: the first alternative that can be installed; within it the package of that name, then the rest.
            String wanted = c.spec() != null ? c.spec().text() : c.req() instanceof Req.Atom a ? a.dep().name() : null;
            rules.add(new Rule("an earlier alternative", Comparator.comparingInt(c::alternative)));
            rules.add(new Rule("its name is the requirement's", flag(l -> wanted != null && name(l).equals(wanted))));
            rules.add(arch);
            rules.add(priority);
            rules.add(version);
            rules.add(new Rule("shorter name", Comparator.comparingInt((ToIntFunction<Integer>) l -> name(l).length())));
        } else {
            // libsolv's policy: repo priority, arch, best version of each name, what chosen packages
            // recommend, what supplements them, what they suggest, the highest version of the required
            // capability itself, and the rest by name (dnf takes aaa over postfix for "mta").
            String capability = commonCapability(open);
            rules.add(priority);
            rules.add(arch);
            rules.add(version);
            rules.add(new Rule("recommended by a package already chosen", flag(l -> hinted(l, recommendedBy))));
            rules.add(new Rule("it supplements packages already chosen", flag(this::supplementing)));
            rules.add(new Rule("suggested by a package already chosen", flag(l -> hinted(l, suggestedBy))));
            if (capability != null)
                rules.add(new Rule("a newer " + capability, (a, b) -> newerProvide(b, a, capability)));
        }
        rules.add(new Rule("first by name", Comparator.comparing(this::name)));
        rules.add(new Rule("newer version", this::newer));
        rules.add(new Rule("first by arch", Comparator.comparing(l -> lead(l) == null ? "" : lead(l).arch())));
        rules.add(new Rule("first in order", Comparator.naturalOrder()));
        return rules;
    }

    private static Comparator<Integer> flag(IntPredicate preferred) {
        return (a, b) -> Boolean.compare(preferred.test(b), preferred.test(a));
    }

    private boolean hinted(int lit, Map<Integer, List<Integer>> hintedBy) {
        List<Integer> by = hintedBy.get(lit);
        if (by == null) return false;
        for (int q : by) if (trueVars.get(q)) return true;
        return false;
    }

    /** Whether a candidate's Supplements hold on what is chosen so far. */
    private boolean supplementing(int lit) {
        Package p = lead(lit);
        if (p == null) return false;
        for (Req r : p.supplements()) if (holdsNow(r)) return true;
        return false;
    }

    private boolean holdsNow(Req r) {
        if (r instanceof Req.Atom a) {
            for (Package q : e.whatProvides(a.dep())) {
                Integer v = e.var(q);
                if (v != null && trueVars.get(v)) return true;
            }
            return false;
        }
        if (r instanceof Req.All a) return a.parts().stream().allMatch(this::holdsNow);
        if (r instanceof Req.Any a) return a.parts().stream().anyMatch(this::holdsNow);
        return false;
    }

    /**
     * A capability every candidate provides with a version (other than their own names), as libsolv
     * sorts by a common dependency: java-17 over java-11 for "java-headless"; null when there is none.
     */
    private String commonCapability(List<Integer> candidates) {
        Package first = candidates.isEmpty() ? null : lead(candidates.get(0));
        if (first == null || candidates.size() < 2) return null;
        for (io.pigsty.offline.model.Dep d : first.provides()) {
            if (!d.versioned() || d.name().equals(first.name())) continue;
            boolean all = true;
            for (int l : candidates) {
                Package p = lead(l);
                if (p == null || p.name().equals(d.name()) || provided(l, d.name()) == null) {
                    all = false;
                    break;
                }
            }
            if (all) return d.name();
        }
        return null;
    }

    /** Compares the versions two candidates provide of {@code capability}, when both provide it with one. */
    private int newerProvide(int a, int b, String capability) {
        io.pigsty.offline.model.Evr ea = provided(a, capability), eb = provided(b, capability);
        // only versions weigh: an unversioned provide says nothing (dnf takes a-python over python3 for "python3")
        if (ea == null || eb == null) return 0;
        return e.rules.compare(ea, eb);
    }

    private io.pigsty.offline.model.Evr provided(int lit, String capability) {
        Package p = lead(lit);
        if (p == null) return null;
        io.pigsty.offline.model.Evr best = null;
        for (io.pigsty.offline.model.Dep d : p.provides())
            if (d.name().equals(capability) && d.versioned() && (best == null || e.rules.compare(d.evr(), best) > 0)) best = d.evr();
        return best;
    }

    private Package lead(int lit) {
        return e.lead(lit);
    }

    private String name(int lit) {
        Package p = lead(lit);
        return p == null ? "" : p.name();
    }

    private int newer(int a, int b) {
        Package pa = lead(a), pb = lead(b);
        if (pa == null || pb == null) return 0;
        return e.rules.compare(pb.evr(), pa.evr());
    }

    // ---- the rest of IOrder: activity-based parts Sat4j calls but these decisions do not use ------

    @Override
    public void updateVar(int p) {}

    @Override
    public void updateVar(int p, double value) {}

    @Override
    public void printStat(PrintWriter out, String prefix) {}

    @Override
    public void setVarDecay(double d) {}

    @Override
    public void varDecayActivity() {}

    @Override
    public double varActivity(int p) {
        return 0;
    }

    @Override
    public void setPhaseSelectionStrategy(IPhaseSelectionStrategy strategy) {}

    @Override
    public IPhaseSelectionStrategy getPhaseSelectionStrategy() {
        return null;
    }

    @Override
    public void updateVarAtDecisionLevel(int q) {}

    @Override
    public double[] getVariableHeuristics() {
        return new double[0];
    }
}
