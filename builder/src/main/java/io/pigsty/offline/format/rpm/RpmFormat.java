package io.pigsty.offline.format.rpm;

import io.pigsty.offline.model.Log;
import io.pigsty.offline.format.Decompress;
import io.pigsty.offline.metadata.RepoLoader;
import io.pigsty.offline.model.Checksum;
import io.pigsty.offline.format.Format;
import io.pigsty.offline.model.Glob;
import io.pigsty.offline.metadata.MetaSource;
import io.pigsty.offline.model.MetadataException;
import io.pigsty.offline.model.Package;
import io.pigsty.offline.model.Repo;
import io.pigsty.offline.model.Rules;
import io.pigsty.offline.model.Universe;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Yum/dnf repositories: repomd.xml, primary, filelists and modules in; createrepo-style repodata out. */
public final class RpmFormat implements Format {
    private final Map<Repo, Repomd> indexes = new LinkedHashMap<>();
    private final Map<Package, RpmHeader> inspected = new HashMap<>();

    @Override
    public Rules rules() {
        return RpmRules.INSTANCE;
    }

    /** One repo's index and packages, read on a worker thread. */
    private record Loaded(Source source, Repomd md, List<Package> packages, Modules modules) {}

    @Override
    public Universe load(List<Source> sources, String targetArch, MetaSource meta, Log log) throws IOException {
        List<Loaded> loaded = RepoLoader.loadAll(sources, src -> loadRepo(src, meta, log), log);
        Modules modules = new Modules();
        for (Loaded l : loaded) {
            indexes.put(l.source().repo(), l.md());
            if (l.modules() != null) modules.add(l.modules());
        }
        List<Package> all = new ArrayList<>();
        if (modules.isEmpty()) {
            for (Loaded l : loaded) all.addAll(l.packages());
        } else {
            List<Package> filtered = new ArrayList<>();
            for (Loaded l : loaded) if (!l.source().moduleHotfixes()) filtered.addAll(l.packages());
            Set<String> enabledNames = modules.namesOfEnabledStreams(filtered);
            int hidden = 0;
            for (Loaded l : loaded) {
                for (Package p : l.packages()) {
                    if (l.source().moduleHotfixes() || modules.visible(p, enabledNames)) all.add(p);
                    else hidden++;
                }
            }
            log.info("modular filtering hides " + hidden + " packages (non-default streams, or masked by a default stream)");
        }
        return Universe.of(rules(), targetArch, all);
    }

    private static Loaded loadRepo(Source s, MetaSource meta, Log log) throws IOException {
        Repo repo = s.repo();
        String where = "repo " + repo.name();
        Path mdFile = meta.root(repo, "repodata/repomd.xml");
        Repomd md;
        try (InputStream in = Decompress.open(mdFile, "repomd.xml")) {
            md = Repomd.parse(in, where);
        }
        List<Package> pkgs = packages(repo, md.get("primary"), meta, where, log);
        Modules modules = null;
        Repomd.Entry mods = md.get("modules");
        if (mods != null && !s.moduleHotfixes()) {
            modules = new Modules();
            try (InputStream in = Decompress.open(meta.file(repo, mods.location(), mods.checksum()), mods.location())) {
                modules.read(in, where);
            }
        }
        List<Glob> excludes = s.excludes().stream().map(Glob::of).toList();
        int before = pkgs.size();
        if (!excludes.isEmpty()) {
            pkgs = new ArrayList<>(pkgs);
            pkgs.removeIf(p -> excludes.stream().anyMatch(g -> g.matches(p.name())));
        }
        log.info(where + ": " + pkgs.size() + " packages (revision " + md.revision() + ")"
                + (pkgs.size() < before ? ", excludepkgs hides " + (before - pkgs.size()) : ""));
        return new Loaded(s, md, pkgs, modules);
    }

    /** The packages of one primary.xml, parsed once per checksum. */
    private static List<Package> packages(Repo repo, Repomd.Entry primary, MetaSource meta, String where, Log log)
            throws IOException {
        return RepoLoader.cached(meta, "rpm-primary-" + primary.checksum().hex(), repo, () -> {
            List<Package> pkgs = new ArrayList<>();
            try (InputStream in = Decompress.open(meta.file(repo, primary.location(), primary.checksum()), primary.location())) {
                new PrimaryReader(repo, where).read(in, pkgs::add);
            }
            return pkgs;
        }, where, log);
    }

    @Override
    public long metadataTime() {
        long t = 0;
        for (Repomd md : indexes.values())
            for (Repomd.Entry e : md.data().values()) t = Math.max(t, e.timestamp());
        return t;
    }

    @Override
    public Universe addFiles(Universe u, Collection<String> paths, MetaSource meta) throws IOException {
        if (paths.isEmpty()) return u;
        Set<String> wanted = new HashSet<>(paths);
        Map<String, List<String>> found = new HashMap<>(); // repo name + pkgid -> paths
        for (Map.Entry<Repo, Repomd> e : indexes.entrySet()) {
            Repomd.Entry fl = e.getValue().get("filelists");
            if (fl == null) continue;
            String repo = e.getKey().name();
            try (InputStream in = Decompress.open(meta.file(e.getKey(), fl.location(), fl.checksum()), fl.location())) {
                FilelistsReader.read(in, "repo " + repo, wanted,
                        (pkgid, path) -> found.computeIfAbsent(repo + "/" + pkgid, k -> new ArrayList<>()).add(path));
            }
        }
        if (found.isEmpty()) return u;
        List<Package> enriched = new ArrayList<>(u.packages().size());
        for (Package p : u.packages()) {
            List<String> more = found.get(p.repo().name() + "/" + p.checksum().hex());
            if (more == null) {
                enriched.add(p);
            } else {
                List<String> files = new ArrayList<>(p.files());
                for (String f : more) if (!files.contains(f)) files.add(f);
                enriched.add(p.withFiles(files));
            }
        }
        return Universe.of(rules(), u.targetArch(), enriched);
    }

    @Override
    public Package inspect(Path file, String fileName, Checksum sha256, Repo origin) throws IOException {
        RpmHeader h = RpmHeader.read(file, fileName);
        Package p = h.toPackage(fileName, sha256, origin);
        inspected.put(p, h);
        return p;
    }

    @Override
    public void writeIndex(Path dir, List<Shipped> shipped, long timestamp, MetaSource meta) throws IOException {
        // Records of mirrored packages are copied from upstream, one pass over each repo's files.
        Map<Repo, Map<String, Shipped>> fromRepo = Format.byRepo(shipped, inspected::containsKey);
        Map<String, String> primary = new HashMap<>(), filelists = new HashMap<>();
        for (Map.Entry<Repo, Map<String, Shipped>> e : fromRepo.entrySet()) {
            Repo repo = e.getKey();
            Repomd md = indexes.get(repo);
            Map<String, Shipped> ids = e.getValue();
            String where = "repo " + repo.name();
            Repomd.Entry pe = md.get("primary");
            try (InputStream in = Decompress.open(meta.file(repo, pe.location(), pe.checksum()), pe.location())) {
                Records.copy(in, where, ids.keySet(), null, id -> ids.get(id).fileName())
                        .forEach((id, xml) -> primary.put(repo.name() + "/" + id, xml));
            }
            Repomd.Entry fe = md.get("filelists");
            if (fe != null) {
                try (InputStream in = Decompress.open(meta.file(repo, fe.location(), fe.checksum()), fe.location())) {
                    Records.copy(in, where, ids.keySet(), r -> r.getAttributeValue(null, "pkgid"), id -> null)
                            .forEach((id, xml) -> filelists.put(repo.name() + "/" + id, xml));
                }
            }
        }
        List<RepodataWriter.Entry> entries = new ArrayList<>(shipped.size());
        for (Shipped s : shipped) {
            Package p = s.pkg();
            RpmHeader h = inspected.get(p);
            if (h != null) {
                entries.add(new RepodataWriter.Entry(h.primaryXml(s), h.filelistsXml(s.sha256()), h.otherXml(s.sha256())));
                continue;
            }
            String key = p.repo().name() + "/" + p.checksum().hex();
            String pri = primary.get(key);
            if (pri == null)
                throw new MetadataException("repo " + p.repo().name() + ": the record of " + p.nevra()
                        + " vanished from its primary.xml between reading and writing");
            String fl = filelists.get(key);
            if (fl == null) fl = RpmHeader.filelistsRecord(p.checksum().hex(), p, p.files());
            entries.add(new RepodataWriter.Entry(pri, fl, RpmHeader.otherRecord(p.checksum().hex(), p)));
        }
        RepodataWriter.write(dir, entries, timestamp);
    }
}
