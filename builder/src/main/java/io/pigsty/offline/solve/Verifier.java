package io.pigsty.offline.solve;

import io.pigsty.offline.model.Dep;
import io.pigsty.offline.model.Package;
import io.pigsty.offline.model.Req;
import io.pigsty.offline.model.Rules;
import io.pigsty.offline.model.Universe;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks an answer without the solver: every requirement of every selected package is met inside
 * the selection, no two selected packages conflict or obsolete one another, and no slot holds two
 * versions. It shares no code with the encoding, so a wrong clause shows up here as a finding.
 */
public final class Verifier {
    private final Universe selection;
    private final Rules rules;
    private final String arch;

    private Verifier(Universe selection) {
        this.selection = selection;
        this.rules = selection.rules();
        this.arch = selection.targetArch();
    }

    /** What is wrong with {@code chosen} as an install into an empty root; empty when it is consistent. */
    public static List<String> check(Rules rules, String targetArch, Collection<Package> chosen) {
        Verifier v = new Verifier(Universe.of(rules, targetArch, List.copyOf(chosen)));
        List<String> wrong = new ArrayList<>();
        if (v.selection.packages().size() != chosen.size())
            wrong.add("the selection holds packages the target cannot install or a repo hides");
        Map<String, Package> slots = new HashMap<>();
        for (Package p : v.selection.packages()) {
            for (Req r : p.requires())
                if (!v.holds(r, p)) wrong.add(p.nevra() + " requires " + r + ", which the selection does not meet");
            for (Dep c : p.conflicts())
                for (Package q : v.selection.whatProvides(c))
                    if (!q.name().equals(p.name()) && rules.archMatches(q, c, p, targetArch))
                        wrong.add(p.nevra() + " conflicts with " + q.nevra() + " (" + c + ")");
            for (Dep o : p.obsoletes())
                for (Package q : v.selection.named(o.name()))
                    if (!q.name().equals(p.name()) && v.selection.provides(q, o))
                        wrong.add(p.nevra() + " obsoletes " + q.nevra() + " (" + o + ")");
            if (!rules.installOnly(p)) {
                Package other = slots.put(rules.slot(p, targetArch), p);
                if (other != null) wrong.add(other.nevra() + " and " + p.nevra() + " cannot both be installed");
            }
        }
        return wrong;
    }

    private boolean holds(Req r, Package from) {
        if (r instanceof Req.Atom a) {
            for (Package q : selection.whatProvides(a.dep()))
                if (rules.archMatches(q, a.dep(), from, arch)) return true;
            return false;
        }
        if (r instanceof Req.All a) {
            for (Req x : a.parts()) if (!holds(x, from)) return false;
            return true;
        }
        if (r instanceof Req.Any a) {
            for (Req x : a.parts()) if (holds(x, from)) return true;
            return false;
        }
        if (r instanceof Req.Cond c) {
            boolean cond = present(c.cond()) != c.negate();
            Req branch = cond ? c.then() : c.otherwise();
            return branch == null || holds(branch, from);
        }
        for (Package q : selection.packages()) if (selection.satisfiedBy(r, q)) return true;
        return false;
    }

    /** Whether a condition holds: something in the selection provides it. */
    private boolean present(Req r) {
        if (r instanceof Req.Atom a) return !selection.whatProvides(a.dep()).isEmpty();
        if (r instanceof Req.Any a) return a.parts().stream().anyMatch(this::present);
        if (r instanceof Req.All a) return a.parts().stream().allMatch(this::present);
        for (Package q : selection.packages()) if (selection.satisfiedBy(r, q)) return true;
        return false;
    }
}
