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
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Computes one dependency closure for the whole request, as an install into an empty root of the
 * target would need it. It is a forward-chaining closure, not a full SAT solve: each requirement not
 * already met by the selection gets one provider, chosen by a fixed, explained order of preferences
 * (no conflict with the selection, the requirement's own name, the requirer's arch, repo priority,
 * newest version, shortest name). When a requirement insists on another version of a name already
 * chosen, both versions are shipped; the installer picks the consistent one. Conditional rich
 * dependencies are evaluated at the fixed point, so they see every package chosen so far.
 */
public final class Resolver {
    public record Options(boolean weakDeps) {}

    private final Universe u;
    private final Rules rules;
    private final Options options;

    private final Map<Package, Reason> selected = new LinkedHashMap<>();
    private final Set<String> selectedNames = new HashSet<>();
    private final Deque<Package> queue = new ArrayDeque<>();
    private final List<Pending> conds = new ArrayList<>();
    private final Map<String, List<Package>> conflictsByName = new HashMap<>();
    private final Map<String, List<Package>> obsoletesByName = new HashMap<>();
    private final Map<String, Resolution.Problem> problems = new LinkedHashMap<>();
    private final Map<String, Resolution.Choice> choices = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    /** Why a package is selected: the spec, or the package and requirement that pulled it in. */
    private record Reason(Spec spec, Package parent, String via, boolean weak) {}

    private record Pending(Req.Cond cond, Package from) {}

    private Resolver(Universe u, Options options) {
        this.u = u;
        this.rules = u.rules();
        this.options = options;
    }

    public static Resolution resolve(Universe universe, List<Spec> specs, Options options) {
        Resolver r = new Resolver(universe, options);
        for (Spec s : specs) r.request(s);
        r.close();
        List<Resolution.Pick> picks = new ArrayList<>();
        r.selected.forEach((p, why) -> picks.add(new Resolution.Pick(p, r.describe(why))));
        picks.sort(Comparator.comparing((Resolution.Pick k) -> k.pkg().name())
                .thenComparing(k -> k.pkg().arch()).thenComparing(k -> k.pkg().evr(), r.rules::compare));
        List<Resolution.Problem> problems = new ArrayList<>(r.problems.values());
        problems.sort(Comparator.comparing(Resolution.Problem::describe));
        return new Resolution(picks, problems, List.copyOf(r.choices.values()), r.notes);
    }

    // ---- specs ----------------------------------------------------------------------------------

    private void request(Spec spec) {
        String text = spec.text().trim();
        Reason why = new Reason(spec, null, null, false);
        if (Glob.isGlob(text)) {
            // Like dnf: every name the glob matches is installed, each at its best version.
            Glob g = Glob.of(text);
            boolean any = false;
            for (String n : u.names()) {
                Package best = g.matches(n) ? bestOfName(u.named(n), null) : null;
                if (best != null) {
                    select(best, why);
                    any = true;
                }
            }
            if (!any) problem(spec, null, "no package matches it", false);
            return;
        }
        Package byName = bestOfName(u.named(text), null);
        if (byName != null) {
            select(byName, why);
            return;
        }
        int sep = text.lastIndexOf('.');
        if (sep > 0) {
            String arch = text.substring(sep + 1);
            Package exact = bestOfName(u.named(text.substring(0, sep)), arch);
            if (exact != null) {
                select(exact, why);
                return;
            }
        }
        Dep cap = Dep.of(text);
        List<Package> providers = candidates(cap, null);
        if (!providers.isEmpty()) {
            Package p = choose(providers, cap, null);
            select(p, why);
            return;
        }
        Package nevr = byNameVersion(text);
        if (nevr != null) {
            select(nevr, why);
            return;
        }
        problem(spec, null, "no package matches it", false);
    }

    /** The newest package of one name, of the target's default arches unless {@code arch} is given. */
    private Package bestOfName(List<Package> all, String arch) {
        Package best = null;
        for (Package p : all) {
            if (arch == null ? !rules.defaultArch(p.arch(), u.targetArch()) : !p.arch().equals(arch)) continue;
            if (best == null) {
                best = p;
                continue;
            }
            int c = rules.compare(p.evr(), best.evr());
            if (c > 0 || c == 0 && p.arch().equals(u.targetArch()) && !best.arch().equals(u.targetArch())) best = p;
        }
        return best;
    }

    /** {@code name-version} or {@code name-version-release}, as dnf accepts them. */
    private Package byNameVersion(String text) {
        for (int dash = text.lastIndexOf('-'); dash > 0; dash = text.lastIndexOf('-', dash - 1)) {
            String name = text.substring(0, dash);
            String ver = text.substring(dash + 1);
            List<Package> same = new ArrayList<>();
            for (Package p : u.named(name)) {
                String vr = p.evr().version() + "-" + p.evr().release();
                if (p.evr().version().equals(ver) || vr.equals(ver)) same.add(p);
            }
            Package best = bestOfName(same, null);
            if (best != null) return best;
        }
        return null;
    }

    // ---- the closure ----------------------------------------------------------------------------

    private void close() {
        while (true) {
            while (!queue.isEmpty()) {
                Package p = queue.poll();
                for (Req r : p.requires()) need(r, p, false);
                if (options.weakDeps()) for (Req r : p.weak()) need(r, p, true);
            }
            int before = selected.size();
            for (Pending c : List.copyOf(conds)) {
                boolean holds = satisfied(c.cond().cond(), c.from()) != c.cond().negate();
                Req branch = holds ? c.cond().then() : c.cond().otherwise();
                if (branch != null && !satisfied(branch, c.from())) need(branch, c.from(), isWeak(c.from()));
            }
            if (selected.size() == before && queue.isEmpty()) return;
        }
    }

    private boolean isWeak(Package p) {
        Reason r = selected.get(p);
        return r != null && r.weak();
    }

    private void need(Req r, Package from, boolean weak) {
        if (r instanceof Req.Cond c) {
            // Re-evaluated at every fixed point: its condition may come true later.
            conds.add(new Pending(c, from));
            return;
        }
        if (satisfied(r, from)) return;
        if (r instanceof Req.Atom a) {
            List<Package> cands = candidates(a.dep(), from);
            if (cands.isEmpty()) {
                if (!weak) missing(from, a.dep().toString(), "nothing provides it");
                return;
            }
            select(choose(cands, a.dep(), from), new Reason(null, from, a.dep().toString(), weak || isWeak(from)));
        } else if (r instanceof Req.All all) {
            for (Req part : all.parts()) need(part, from, weak);
        } else if (r instanceof Req.Any any) {
            for (Req part : any.parts()) {
                if (installable(part, from)) {
                    need(part, from, weak);
                    return;
                }
            }
            if (!weak) missing(from, r.toString(), "no alternative is installable");
        } else if (r instanceof Req.With w) {
            List<Package> cands = withCandidates(w, from);
            if (cands.isEmpty()) {
                if (!weak) missing(from, r.toString(), "no single package provides all of it");
                return;
            }
            select(choose(cands, w.parts().get(0), from), new Reason(null, from, r.toString(), weak || isWeak(from)));
        } else if (r instanceof Req.Without w) {
            List<Package> cands = withoutCandidates(w, from);
            if (cands.isEmpty()) {
                if (!weak) missing(from, r.toString(), "nothing provides it");
                return;
            }
            select(choose(cands, w.what(), from), new Reason(null, from, r.toString(), weak || isWeak(from)));
        }
    }

    private boolean satisfied(Req r, Package from) {
        if (r instanceof Req.Atom a) {
            for (Package p : u.whatProvides(a.dep()))
                if (selected.containsKey(p) && rules.archMatches(p, a.dep(), from, u.targetArch())) return true;
            return false;
        }
        if (r instanceof Req.All all) return all.parts().stream().allMatch(x -> satisfied(x, from));
        if (r instanceof Req.Any any) return any.parts().stream().anyMatch(x -> satisfied(x, from));
        if (r instanceof Req.Cond c) {
            boolean holds = satisfied(c.cond(), from) != c.negate();
            Req branch = holds ? c.then() : c.otherwise();
            return branch == null || satisfied(branch, from);
        }
        if (r instanceof Req.With w) return withCandidates(w, from).stream().anyMatch(selected::containsKey);
        Req.Without w = (Req.Without) r;
        return withoutCandidates(w, from).stream().anyMatch(selected::containsKey);
    }

    /** Whether some provider exists for {@code r} that does not clash with the selection. */
    private boolean installable(Req r, Package from) {
        if (r instanceof Req.Atom a) return candidates(a.dep(), from).stream().anyMatch(p -> !blocked(p));
        if (r instanceof Req.All all) return all.parts().stream().allMatch(x -> installable(x, from));
        if (r instanceof Req.Any any) return any.parts().stream().anyMatch(x -> installable(x, from));
        if (r instanceof Req.With w) return withCandidates(w, from).stream().anyMatch(p -> !blocked(p));
        if (r instanceof Req.Without w) return withoutCandidates(w, from).stream().anyMatch(p -> !blocked(p));
        return true;
    }

    private List<Package> candidates(Dep dep, Package from) {
        List<Package> out = new ArrayList<>();
        for (Package p : u.whatProvides(dep)) {
            boolean archOk = rules.defaultArch(p.arch(), u.targetArch()) || from != null && p.arch().equals(from.arch());
            if (archOk && rules.archMatches(p, dep, from, u.targetArch())) out.add(p);
        }
        return out;
    }

    private List<Package> withCandidates(Req.With w, Package from) {
        List<Package> out = candidates(w.parts().get(0), from);
        out.removeIf(p -> !w.parts().stream().allMatch(d -> u.provides(p, d)));
        return out;
    }

    private List<Package> withoutCandidates(Req.Without w, Package from) {
        List<Package> out = candidates(w.what(), from);
        out.removeIf(p -> u.provides(p, w.not()));
        return out;
    }

    // ---- choosing among providers ---------------------------------------------------------------

    private record Rule(String why, Comparator<Package> order) {}

    /** The ordered preferences; the first one that separates two candidates decides and explains. */
    private List<Rule> rulesFor(Dep dep, Package from) {
        String fromArch = from == null ? u.targetArch() : from.arch();
        return List.of(
                new Rule("the others conflict with packages already chosen", byFlag(p -> !blocked(p))),
                new Rule("already chosen", byFlag(p -> selectedNames.contains(p.name()))),
                new Rule("its name is the requirement's", byFlag(p -> p.name().equals(dep.name()))),
                new Rule("same arch as " + (from == null ? "the target" : from.name()),
                        byFlag(p -> p.arch().equals(fromArch) || p.arch().equals("noarch") || p.arch().equals("all"))),
                new Rule("better repo priority", Comparator.comparingInt((Package p) -> p.repo().priority())),
                new Rule("newer version", (a, b) -> a.name().equals(b.name()) ? rules.compare(b.evr(), a.evr()) : 0),
                new Rule("shorter name", Comparator.comparingInt((Package p) -> p.name().length())),
                new Rule("first by name", Comparator.comparing(Package::name)),
                new Rule("newer version", (a, b) -> rules.compare(b.evr(), a.evr())),
                new Rule("first by arch", Comparator.comparing(Package::arch)));
    }

    private static Comparator<Package> byFlag(Function<Package, Boolean> preferred) {
        return (a, b) -> Boolean.compare(preferred.apply(b), preferred.apply(a));
    }

    private Package choose(List<Package> cands, Dep dep, Package from) {
        if (cands.size() == 1) return cands.get(0);
        List<Rule> order = rulesFor(dep, from);
        Comparator<Package> all = order.stream().map(Rule::order).reduce(Comparator::thenComparing).orElseThrow();
        List<Package> sorted = new ArrayList<>(cands);
        sorted.sort(all);
        Package best = sorted.get(0);
        Set<String> otherNames = new LinkedHashSet<>();
        for (Package p : sorted) if (!p.name().equals(best.name())) otherNames.add(p.name());
        if (!otherNames.isEmpty()) {
            Package runnerUp = sorted.stream().filter(p -> !p.name().equals(best.name())).findFirst().orElseThrow();
            String why = order.stream().filter(r -> r.order().compare(best, runnerUp) != 0)
                    .map(Rule::why).findFirst().orElse("first in order");
            String by = from == null ? "request" : from.name();
            choices.putIfAbsent(by + "|" + dep, new Resolution.Choice(dep.toString(), by, best.name(),
                    List.copyOf(otherNames), why));
        }
        return best;
    }

    /** Whether {@code p} clashes with the selection by a conflict or an obsolete, in either direction. */
    private boolean blocked(Package p) {
        for (Dep c : p.conflicts())
            for (Package s : u.whatProvides(c))
                if (selected.containsKey(s) && !s.name().equals(p.name())) return true;
        for (Dep o : p.obsoletes())
            for (Package s : u.named(o.name()))
                if (selected.containsKey(s) && !s.name().equals(p.name()) && u.provides(s, o)) return true;
        Set<String> names = new HashSet<>();
        names.add(p.name());
        for (Dep d : p.provides()) names.add(d.name());
        for (String n : names) {
            for (Package s : conflictsByName.getOrDefault(n, List.of()))
                if (!s.name().equals(p.name()))
                    for (Dep c : s.conflicts()) if (c.name().equals(n) && u.provides(p, c)) return true;
        }
        for (Package s : obsoletesByName.getOrDefault(p.name(), List.of()))
            if (!s.name().equals(p.name()))
                for (Dep o : s.obsoletes()) if (o.name().equals(p.name()) && u.provides(p, o)) return true;
        return false;
    }

    private void select(Package p, Reason why) {
        if (selected.containsKey(p)) return;
        if (selectedNames.contains(p.name()) && why.parent() != null)
            notes.add("shipping a second version of " + p.name() + ": " + p.nevra() + " for " + why.parent().nevra()
                    + " (" + why.via() + ")");
        selected.put(p, why);
        selectedNames.add(p.name());
        for (Dep c : p.conflicts()) conflictsByName.computeIfAbsent(c.name(), k -> new ArrayList<>()).add(p);
        for (Dep o : p.obsoletes()) obsoletesByName.computeIfAbsent(o.name(), k -> new ArrayList<>()).add(p);
        queue.add(p);
    }

    // ---- reporting ------------------------------------------------------------------------------

    private void missing(Package from, String requirement, String what) {
        List<String> chain = new ArrayList<>();
        Spec spec = null;
        boolean weak = false;
        Set<Package> seen = new HashSet<>();
        for (Package p = from; p != null && seen.add(p); ) {
            chain.add(0, p.name());
            Reason r = selected.get(p);
            if (r == null) break;
            weak |= r.weak();
            if (r.spec() != null) {
                spec = r.spec();
                if (!spec.text().equals(p.name())) chain.add(0, spec.text());
            }
            p = r.parent();
        }
        chain.add(requirement);
        problem(spec, chain, what, weak);
    }

    private void problem(Spec spec, List<String> chain, String what, boolean weak) {
        List<String> c = chain == null ? List.of(spec.text()) : chain;
        String key = String.join(">", c) + ":" + what;
        problems.putIfAbsent(key, new Resolution.Problem(spec, c, what, weak));
    }

    private String describe(Reason r) {
        if (r.spec() != null) return "requested: " + r.spec();
        return (r.weak() ? "recommended by " : "required by ") + r.parent().nevra() + " (" + r.via() + ")";
    }
}
