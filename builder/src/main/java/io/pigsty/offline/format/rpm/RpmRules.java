package io.pigsty.offline.format.rpm;

import io.pigsty.offline.model.Dep;
import io.pigsty.offline.model.Evr;
import io.pigsty.offline.model.Op;
import io.pigsty.offline.model.Package;
import io.pigsty.offline.model.Rules;

import java.util.Set;

/** RPM's version order (rpmvercmp with tilde and caret), dependency matching and multilib policy. */
public final class RpmRules implements Rules {
    public static final RpmRules INSTANCE = new RpmRules();

    /** Arches that run on each target beside noarch; i686 is multilib on x86_64. */
    private static final Set<String> X86_64 = Set.of("x86_64", "i686", "noarch");
    private static final Set<String> AARCH64 = Set.of("aarch64", "noarch");

    private RpmRules() {}

    @Override
    public int compare(Evr a, Evr b) {
        if (a.epoch() != b.epoch()) return Integer.compare(a.epoch(), b.epoch());
        int c = vercmp(a.version(), b.version());
        if (c != 0) return c;
        return vercmp(a.release(), b.release());
    }

    /**
     * Compares a provided EVR with a required one the way rpm does for dependencies: a release
     * missing on either side is not compared.
     */
    static int compareForDep(Evr provided, Evr required) {
        if (provided.epoch() != required.epoch()) return Integer.compare(provided.epoch(), required.epoch());
        int c = vercmp(provided.version(), required.version());
        if (c != 0 || !provided.hasRelease() || !required.hasRelease()) return c;
        return vercmp(provided.release(), required.release());
    }

    @Override
    public boolean satisfies(Dep provide, Dep req) {
        // rpm: an unversioned provide matches any version; ranged provides are too rare to model.
        if (!req.versioned() || provide.op() != Op.EQ) return true;
        return req.op().accepts(compareForDep(provide.evr(), req.evr()));
    }

    @Override
    public boolean defaultArch(String arch, String targetArch) {
        return arch.equals(targetArch) || arch.equals("noarch");
    }

    @Override
    public boolean installableArch(String arch, String targetArch) {
        return switch (targetArch) {
            case "x86_64" -> X86_64.contains(arch);
            case "aarch64" -> AARCH64.contains(arch);
            default -> arch.equals(targetArch) || arch.equals("noarch");
        };
    }

    @Override
    public boolean archMatches(Package provider, Dep dep, Package requirer, String targetArch) {
        return true; // multilib is kept apart by sonames such as "()(64bit)", not by arch rules
    }

    /** rpmvercmp: alternating digit and letter segments; '~' sorts before anything, '^' after the end. */
    /** dnf's default installonlypkgs, matched against what a package provides. */
    private static final Set<String> INSTALL_ONLY = Set.of("kernel", "kernel-PAE", "installonlypkg(kernel)",
            "installonlypkg(kernel-module)", "installonlypkg(vm)", "multiversion(kernel)");

    @Override
    public String slot(Package p, String targetArch) {
        return p.name() + "." + p.arch();
    }

    @Override
    public boolean installOnly(Package p) {
        if (INSTALL_ONLY.contains(p.name())) return true;
        for (Dep d : p.provides()) if (INSTALL_ONLY.contains(d.name())) return true;
        return false;
    }

    @Override
    public boolean alternativesInOrder() {
        return false;
    }

    @Override
    public boolean hintsSteerChoices() {
        return true;
    }

    public static int vercmp(String a, String b) {
        if (a.equals(b)) return 0;
        int i = 0, j = 0;
        int na = a.length(), nb = b.length();
        while (i < na || j < nb) {
            while (i < na && !alnum(a.charAt(i)) && a.charAt(i) != '~' && a.charAt(i) != '^') i++;
            while (j < nb && !alnum(b.charAt(j)) && b.charAt(j) != '~' && b.charAt(j) != '^') j++;
            char ca = i < na ? a.charAt(i) : 0, cb = j < nb ? b.charAt(j) : 0;
            if (ca == '~' || cb == '~') {
                if (ca != '~') return 1;
                if (cb != '~') return -1;
                i++;
                j++;
                continue;
            }
            if (ca == '^' || cb == '^') {
                if (i >= na) return -1;
                if (j >= nb) return 1;
                if (ca != '^') return 1;
                if (cb != '^') return -1;
                i++;
                j++;
                continue;
            }
            if (i >= na || j >= nb) break;
            int si = i, sj = j;
            boolean num = digit(ca);
            if (num) {
                while (i < na && digit(a.charAt(i))) i++;
                while (j < nb && digit(b.charAt(j))) j++;
            } else {
                while (i < na && alpha(a.charAt(i))) i++;
                while (j < nb && alpha(b.charAt(j))) j++;
            }
            if (j == sj) return num ? 1 : -1; // numeric segments are newer than alphabetic ones
            if (num) {
                while (si < i - 1 && a.charAt(si) == '0') si++;
                while (sj < j - 1 && b.charAt(sj) == '0') sj++;
                int la = i - si, lb = j - sj;
                if (la != lb) return la > lb ? 1 : -1;
            }
            int c = a.substring(si, i).compareTo(b.substring(sj, j));
            if (c != 0) return c < 0 ? -1 : 1;
        }
        if (i >= na && j >= nb) return 0;
        return i < na ? 1 : -1;
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean alpha(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean alnum(char c) {
        return digit(c) || alpha(c);
    }
}
