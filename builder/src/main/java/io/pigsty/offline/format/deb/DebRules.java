package io.pigsty.offline.format.deb;

import io.pigsty.offline.model.Dep;
import io.pigsty.offline.model.Evr;
import io.pigsty.offline.model.Op;
import io.pigsty.offline.model.Package;
import io.pigsty.offline.model.Rules;

/**
 * Debian's version order (dpkg's verrevcmp: epoch, then upstream version and revision with '~'
 * before everything and letters before other symbols), dependency matching (an unversioned Provides
 * satisfies only unversioned dependencies) and Multi-Arch for a single-arch install.
 */
final class DebRules implements Rules {
    public static final DebRules INSTANCE = new DebRules();

    private DebRules() {}

    @Override
    public int compare(Evr a, Evr b) {
        if (a.epoch() != b.epoch()) return Integer.compare(a.epoch(), b.epoch());
        int c = verrevcmp(a.version(), b.version());
        return c != 0 ? c : verrevcmp(a.release(), b.release());
    }

    @Override
    public boolean satisfies(Dep provide, Dep req) {
        if (!req.versioned()) return true;
        if (provide.op() != Op.EQ) return false; // Debian: only "Provides: x (= v)" can meet a versioned dependency
        return req.op().accepts(compare(provide.evr(), req.evr()));
    }

    @Override
    public boolean defaultArch(String arch, String targetArch) {
        return arch.equals(targetArch) || arch.equals("all");
    }

    @Override
    public boolean installableArch(String arch, String targetArch) {
        return defaultArch(arch, targetArch);
    }

    /**
     * {@code pkg:any} needs a provider marked {@code Multi-Arch: allowed}; {@code pkg:native} one of
     * the native arch (or all); {@code pkg:amd64} exactly that arch. Plain dependencies match any
     * installable arch, as the bundle holds only the native one and all.
     */
    @Override
    public boolean archMatches(Package provider, Dep dep, Package requirer, String targetArch) {
        String q = dep.archQualifier();
        if (q == null) return true;
        return switch (q) {
            case "any" -> "allowed".equals(provider.multiArch()) || !provider.name().equals(dep.name());
            case "native" -> defaultArch(provider.arch(), targetArch);
            default -> provider.arch().equals(q) || provider.arch().equals("all") && q.equals(targetArch);
        };
    }

    /** dpkg's verrevcmp over one part (upstream version or revision). */
    @Override
    public String slot(Package p, String targetArch) {
        return p.name() + ":" + (p.arch().equals("all") ? targetArch : p.arch());
    }

    @Override
    public boolean installOnly(Package p) {
        return false;
    }

    @Override
    public boolean alternativesInOrder() {
        return true;
    }

    @Override
    public boolean hintsSteerChoices() {
        return false;
    }

    public static int verrevcmp(String a, String b) {
        int i = 0, j = 0;
        int na = a.length(), nb = b.length();
        while (i < na || j < nb) {
            int firstDiff = 0;
            while (i < na && !digit(a.charAt(i)) || j < nb && !digit(b.charAt(j))) {
                int ac = order(i < na ? a.charAt(i) : 0), bc = order(j < nb ? b.charAt(j) : 0);
                if (ac != bc) return ac - bc;
                i++;
                j++;
            }
            while (i < na && a.charAt(i) == '0') i++;
            while (j < nb && b.charAt(j) == '0') j++;
            while (i < na && digit(a.charAt(i)) && j < nb && digit(b.charAt(j))) {
                if (firstDiff == 0) firstDiff = a.charAt(i) - b.charAt(j);
                i++;
                j++;
            }
            if (i < na && digit(a.charAt(i))) return 1;
            if (j < nb && digit(b.charAt(j))) return -1;
            if (firstDiff != 0) return firstDiff;
        }
        return 0;
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    /** '~' sorts before the end of a part, letters before other symbols. */
    private static int order(char c) {
        if (digit(c)) return 0;
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') return c;
        if (c == '~') return -1;
        if (c != 0) return c + 256;
        return 0;
    }
}
