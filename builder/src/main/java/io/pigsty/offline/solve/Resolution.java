package io.pigsty.offline.solve;

import io.pigsty.offline.model.Package;
import io.pigsty.offline.model.Spec;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What the resolver decided: the packages to ship, each with why it is there; the problems (a spec
 * that matches nothing or a requirement nothing provides, each with the chain that led there); the
 * explained choices among alternative providers; notes on decisions worth telling the user, such
 * as a requested name that an obsoleting package replaces; and, on a host with a baseline, what the
 * request upgrades there (the picks then hold only what the host does not have yet).
 */
public record Resolution(List<Pick> picks, List<Problem> problems, List<Choice> choices, List<String> notes,
                         List<Upgrade> upgrades) {

    public Resolution(List<Pick> picks, List<Problem> problems, List<Choice> choices, List<String> notes) {
        this(picks, problems, choices, notes, List.of());
    }

    /** On a host with a baseline: an installed package the request replaces, and what replaces it. */
    public record Upgrade(Package from, Package to) {
        @Override
        public String toString() {
            return from.nevra() + " -> " + to.nevra();
        }
    }

    /**
     * A package to ship; {@code reason} says which spec or package pulled it in. A package shipped
     * only so the installer finds a requested name that another package obsoletes is not part of
     * the install ({@code lookupOnly}): dnf reads its name and installs the obsoleting package.
     */
    public record Pick(Package pkg, String reason, boolean lookupOnly) {
        public Pick(Package pkg, String reason) {
            this(pkg, reason, false);
        }
    }

    /**
     * An unsatisfied spec or requirement. {@code chain} starts with the spec, lists the package names
     * that led on, and ends with the requirement that failed; {@code what} says how it failed;
     * {@code weak} marks problems below a weak dependency only.
     */
    public record Problem(Spec spec, List<String> chain, String what, boolean weak) {
        public String describe() {
            return String.join(" → ", chain) + ": " + what;
        }
    }

    /** A requirement that several packages could satisfy, the one taken and the rule that decided. */
    public record Choice(String requirement, String requiredBy, String chosen, List<String> alternatives, String why) {
        @Override
        public String toString() {
            return requiredBy + " needs " + requirement + ": chose " + chosen + " over "
                    + String.join(", ", alternatives) + " (" + why + ")";
        }
    }

    public Resolution {
        picks = List.copyOf(picks);
        problems = List.copyOf(problems);
        choices = List.copyOf(choices);
        notes = List.copyOf(notes);
        upgrades = List.copyOf(upgrades);
    }

    public List<Package> packages() {
        return picks.stream().map(Pick::pkg).collect(Collectors.toList());
    }

    /** Problems that fail the build (those below weak dependencies are only warnings). */
    public List<Problem> hardProblems() {
        return problems.stream().filter(p -> !p.weak()).collect(Collectors.toList());
    }
}
