package io.pigsty.offline.format.rpm;

import io.pigsty.offline.format.RepoFiles;
import io.pigsty.offline.model.Checksum;
import io.pigsty.offline.model.Dep;
import io.pigsty.offline.model.Evr;
import io.pigsty.offline.model.MetadataException;
import io.pigsty.offline.model.Op;
import io.pigsty.offline.model.Package;
import io.pigsty.offline.model.Repo;
import io.pigsty.offline.model.Req;
import io.pigsty.offline.model.SafePaths;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Streams primary.xml into {@link Package}s, one at a time, keeping only what resolution needs
 * (summaries and descriptions are skipped; the writer re-reads upstream records when it copies them).
 */
final class PrimaryReader {
    private final Xml.Interner strings = new Xml.Interner();
    private final java.util.Map<Dep, Req> requirements = new java.util.HashMap<>();
    private final java.util.Map<Evr, Evr> versions = new java.util.HashMap<>();
    private final Repo repo;
    private final String where;
    // Scratch lists reused for every package; each package gets immutable copies.
    private final List<Dep> provides = new ArrayList<>(), conflicts = new ArrayList<>(), obsoletes = new ArrayList<>();
    private final List<Req> requires = new ArrayList<>(), weak = new ArrayList<>(), suggests = new ArrayList<>(),
            supplements = new ArrayList<>();
    private final List<String> files = new ArrayList<>();

    private static final java.util.Set<String> SECTIONS =
            java.util.Set.of("provides", "requires", "conflicts", "obsoletes", "recommends", "suggests", "supplements");

    PrimaryReader(Repo repo, String where) {
        this.repo = repo;
        this.where = where;
    }

    /**
     * Reads every package record into {@code sink}. A record whose dependencies or version cannot be
     * parsed is left out and told to the sink (as libsolv does); a record that is unsafe, and a file
     * that is not well-formed, fail the whole repo.
     */
    void read(InputStream in, RepoFiles.Sink sink) throws IOException {
        try {
            XMLStreamReader r = Xml.reader(in);
            while (r.hasNext()) {
                if (r.next() == XMLStreamConstants.START_ELEMENT && r.getLocalName().equals("package")) {
                    String type = r.getAttributeValue(null, "type");
                    Package p = readPackage(r, sink::drop);
                    if (p != null && (type == null || type.equals("rpm"))) sink.add(p);
                }
            }
            r.close();
        } catch (XMLStreamException | IllegalArgumentException e) {
            throw new MetadataException(where + ": malformed primary.xml: " + e.getMessage(), e);
        }
    }

    private Package readPackage(XMLStreamReader r, Consumer<String> dropped) throws XMLStreamException, MetadataException {
        String name = null, arch = null, location = null, base = null;
        Evr evr = Evr.NONE;
        Checksum sum = null;
        long size = 0;
        provides.clear();
        conflicts.clear();
        obsoletes.clear();
        requires.clear();
        weak.clear();
        suggests.clear();
        supplements.clear();
        files.clear();
        String section = null, bad = null;
        int depth = 1;
        while (depth > 0) {
            int ev = r.next();
            if (ev == XMLStreamConstants.END_ELEMENT) {
                depth--;
                String ln = r.getLocalName();
                if (SECTIONS.contains(ln)) section = null;
                continue;
            }
            if (ev != XMLStreamConstants.START_ELEMENT) continue;
            depth++;
            switch (r.getLocalName()) {
                case "name" -> {
                    name = r.getElementText().trim();
                    depth--;
                }
                case "arch" -> {
                    arch = strings.get(r.getElementText().trim());
                    depth--;
                }
                case "version" -> {
                    try {
                        evr = evr(r);
                    } catch (IllegalArgumentException e) {
                        bad = "version: " + e.getMessage();
                    }
                }
                case "checksum" -> {
                    String t = r.getAttributeValue(null, "type");
                    sum = new Checksum(t, r.getElementText());
                    depth--;
                }
                case "size" -> size = parseLong(r.getAttributeValue(null, "package"));
                case "location" -> {
                    location = r.getAttributeValue(null, "href");
                    base = r.getAttributeValue("http://www.w3.org/XML/1998/namespace", "base");
                }
                case "provides", "requires", "conflicts", "obsoletes", "recommends", "suggests", "supplements" ->
                        section = r.getLocalName();
                case "entry" -> {
                    if (section != null && bad == null) {
                        try {
                            entry(r, section);
                        } catch (IllegalArgumentException e) {
                            bad = section + ": " + e.getMessage();
                        }
                    }
                }
                case "file" -> {
                    files.add(r.getElementText());
                    depth--;
                }
                case "summary", "description" -> {
                    Xml.skip(r);
                    depth--;
                }
                default -> { }
            }
        }
        if (name == null || arch == null || location == null || sum == null)
            throw new MetadataException(where + ": a package record lacks name, arch, location or checksum"
                    + (name == null ? "" : " (" + name + ")"));
        if (!SafePaths.safeRelative(location))
            throw new MetadataException(where + ": package " + name + " has unsafe location '" + SafePaths.shown(location)
                    + "' (outside the repo, a control character, a query or a percent-escape); refusing this repo's metadata");
        if (base != null && !base.isEmpty())
            throw new MetadataException(where + ": package " + name + " points to another server (xml:base '"
                    + base + "'); only packages below the repo's own base URL are mirrored");
        if (bad != null) {
            dropped.accept(where + ": left out " + name + "." + arch + " (" + location + "): " + bad);
            return null;
        }
        return new Package(name, evr, arch, List.copyOf(provides), List.copyOf(requires), List.copyOf(conflicts),
                List.copyOf(obsoletes), List.copyOf(weak), List.copyOf(suggests), List.copyOf(supplements), List.copyOf(files),
                location, size, sum,
                repo, null);
    }

    private void entry(XMLStreamReader r, String section) {
        // Names, provides and files are mostly unique to their package; requirement names and
        // versions repeat across packages (libc.so.6, /bin/sh, 1.el9...), so only those are shared.
        String n = r.getAttributeValue(null, "name");
        Op op = RpmDeps.op(r.getAttributeValue(null, "flags"));
        Evr e = op == Op.ANY ? Evr.NONE : evr(r);
        switch (section) {
            case "provides" -> provides.add(Dep.of(n, op, e));
            case "requires" -> {
                // rpmlib(...) features are met by rpm itself, not by a package.
                if (!n.startsWith("rpmlib(")) requires.add(requirement(n, op, e));
            }
            case "recommends" -> weak.add(requirement(n, op, e));
            case "suggests" -> suggests.add(requirement(n, op, e));
            case "supplements" -> supplements.add(requirement(n, op, e));
            case "conflicts" -> {
                if (!n.startsWith("(")) conflicts.add(Dep.of(n, op, e));
            }
            case "obsoletes" -> {
                if (!n.startsWith("(")) obsoletes.add(Dep.of(n, op, e));
            }
            default -> { }
        }
    }

    /** Requirements repeat across packages: each distinct one is made once and shared. */
    private Req requirement(String name, Op op, Evr evr) {
        Dep key = Dep.of(name, op, evr);
        Req r = requirements.get(key);
        if (r == null) requirements.put(key, r = RpmDeps.requirement(strings.get(name), op, evr));
        return r;
    }

    private Evr evr(XMLStreamReader r) {
        String epoch = r.getAttributeValue(null, "epoch");
        String ver = r.getAttributeValue(null, "ver");
        String rel = r.getAttributeValue(null, "rel");
        int ep = epoch == null || epoch.isEmpty() ? 0 : Integer.parseInt(epoch);
        Evr e = new Evr(ep, strings.get(ver), strings.get(rel));
        Evr known = versions.putIfAbsent(e, e);
        return known != null ? known : e;
    }

    private static long parseLong(String s) {
        return s == null || s.isEmpty() ? 0 : Long.parseLong(s.trim());
    }
}
