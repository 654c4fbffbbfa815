package io.pigsty.offline.format.deb;

import io.pigsty.offline.model.Dep;
import io.pigsty.offline.model.Evr;
import io.pigsty.offline.model.Op;
import io.pigsty.offline.model.Req;

import java.util.ArrayList;
import java.util.List;

/**
 * Debian relationship fields: {@code a (>= 1.0) | b:any, c (<< 2~)}. Commas join requirements, bars
 * give alternatives; architecture restrictions ({@code [amd64]}) and build profiles
 * ({@code <!nocheck>}) belong to source packages and are dropped when they appear.
 */
final class DebDeps {
    private DebDeps() {}

    /** Depends, Pre-Depends, Recommends: each comma group becomes one requirement. */
    public static List<Req> requirements(String field) {
        List<Req> out = new ArrayList<>();
        if (field == null) return out;
        for (String group : split(field, ',')) {
            List<String> alts = split(group, '|');
            if (alts.isEmpty()) continue;
            if (alts.size() == 1) {
                out.add(Req.atom(relation(alts.get(0))));
            } else {
                List<Req> parts = new ArrayList<>(alts.size());
                for (String a : alts) parts.add(Req.atom(relation(a)));
                out.add(new Req.Any(parts));
            }
        }
        return out;
    }

    /** Provides, Conflicts, Breaks, Replaces: a comma list without alternatives. */
    public static List<Dep> relations(String field) {
        List<Dep> out = new ArrayList<>();
        if (field == null) return out;
        for (String s : split(field, ',')) out.add(relation(s));
        return out;
    }

    /** One relation: {@code name[:arch] [(op version)]}. */
    public static Dep relation(String text) {
        String s = strip(text, '[', ']');
        s = strip(s, '<', '>').trim();
        String name = s, version = null;
        Op op = Op.ANY;
        int paren = s.indexOf('(');
        if (paren >= 0) {
            int close = s.indexOf(')', paren);
            if (close < 0) throw new IllegalArgumentException("unclosed '(' in relation '" + text.trim() + "'");
            name = s.substring(0, paren).trim();
            String inner = s.substring(paren + 1, close).trim();
            int k = 0;
            while (k < inner.length() && "<>=".indexOf(inner.charAt(k)) >= 0) k++;
            String rel = inner.substring(0, k);
            version = inner.substring(k).trim();
            op = switch (rel) {
                case "<<" -> Op.LT;
                case "<=", "<" -> Op.LE; // a bare '<' is the obsolete spelling of '<='
                case "=" -> Op.EQ;
                case ">=", ">" -> Op.GE;
                case ">>" -> Op.GT;
                default -> throw new IllegalArgumentException("unknown relation '" + rel + "' in '" + text.trim() + "'");
            };
            if (version.isEmpty()) throw new IllegalArgumentException("no version in relation '" + text.trim() + "'");
        }
        if (name.isEmpty() || name.indexOf(' ') >= 0) throw new IllegalArgumentException("bad package name in relation '" + text.trim() + "'");
        String arch = null;
        int colon = name.indexOf(':');
        if (colon > 0) {
            arch = name.substring(colon + 1);
            name = name.substring(0, colon);
        }
        Evr evr = version == null ? Evr.NONE : Evr.parse(version);
        return new Dep(name, op, evr, arch);
    }

    private static String strip(String s, char open, char close) {
        int a = s.indexOf(open);
        if (a < 0) return s;
        int b = s.indexOf(close, a);
        // '<' inside a version relation "(<< 2)" is not a build profile
        int paren = s.indexOf('(');
        if (open == '<' && paren >= 0 && a > paren && a < s.indexOf(')', paren)) return s;
        return b < 0 ? s : strip(s.substring(0, a) + s.substring(b + 1), open, close);
    }

    private static List<String> split(String s, char sep) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length() || s.charAt(i) == sep) {
                String part = s.substring(start, i).trim();
                if (!part.isEmpty()) out.add(part);
                start = i + 1;
            }
        }
        return out;
    }
}
