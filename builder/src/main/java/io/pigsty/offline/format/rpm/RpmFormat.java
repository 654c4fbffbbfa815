package io.pigsty.offline.format.rpm;

import io.pigsty.bundle.BundleLayout;
import io.pigsty.offline.format.Decompress;
import io.pigsty.offline.format.BundleKey;
import io.pigsty.offline.format.Format;
import io.pigsty.offline.format.IndexFile;
import io.pigsty.offline.format.IndexSet;
import io.pigsty.offline.format.Keyring;
import io.pigsty.offline.format.PackageContents;
import io.pigsty.offline.format.RepoFiles;
import io.pigsty.offline.model.Checksum;
import io.pigsty.offline.model.Dep;
import io.pigsty.offline.model.Evr;
import io.pigsty.offline.model.Glob;
import io.pigsty.offline.model.Log;
import io.pigsty.offline.model.MetadataException;
import io.pigsty.offline.model.Op;
import io.pigsty.offline.model.Package;
import io.pigsty.offline.model.PackageId;
import io.pigsty.offline.model.Repo;
import io.pigsty.offline.model.Req;
import io.pigsty.offline.model.Rules;
import io.pigsty.offline.model.Universe;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Yum/dnf repositories: repomd.xml, primary, filelists and modules in; createrepo-style repodata out. */
public final class RpmFormat implements Format {
    public static final RpmFormat INSTANCE = new RpmFormat();

    static final String PRIMARY = "primary", FILELISTS = "filelists", MODULES = "modules";

    private RpmFormat() {}

    @Override
    public Rules rules() {
        return RpmRules.INSTANCE;
    }

    @Override
    public String nativeArch(String pigstyArch) {
        return pigstyArch;
    }

    private static boolean weak(io.pigsty.offline.model.Checksum c) {
        return c != null && weak(c.algo());
    }

    private static boolean weak(String algo) {
        return algo.equals("MD5") || algo.equals("SHA-1");
    }

    @Override
    public RepoIndex read(Source s, String targetArch, RepoFiles files, Log log) throws IOException {
        Repo repo = s.repo();
        String where = "repo " + repo.name();
        Repomd md;
        try (InputStream in = Decompress.open(files.root("repodata/repomd.xml"), "repomd.xml")) {
            md = Repomd.parse(in, where);
        }
        List<IndexFile> index = new ArrayList<>();
        for (Repomd.Entry e : md.data().values())
            index.add(new IndexFile(repo, e.type(), e.location(), e.checksum(), e.size(), e.timestamp(), null));
        // Module streams are read unless the repo is exempt from module filtering, and the primary, each
        // only when its derived form is not cached: a warm plan neither fetches nor parses them again.
        Modules modules = null;
        Repomd.Entry me = md.get(MODULES);
        if (me != null && !s.moduleHotfixes())
            modules = Modules.of(files.derived("rpm-modules-" + Modules.VERSION + "-" + me.checksum().hex(), () -> {
                Modules m = new Modules();
                try (InputStream in = Decompress.open(files.file(me.location(), me.checksum(), me.size()), me.location())) {
                    m.read(in, where);
                }
                return m.compact();
            }), where);
        Repomd.Entry pe = md.get(PRIMARY);
        // dnf accepts them, but a collision can be made for these: say so rather than trust quietly
        if (weak(pe.checksum()))
            log.warn(where + ": its metadata is checked with " + pe.checksum().algo() + " only, a weak hash (sha256 is usual)");
        RepoFiles.Parsed parsed = files.parsed("rpm-primary-" + pe.checksum().hex(), sink -> {
            try (InputStream in = Decompress.open(files.file(pe.location(), pe.checksum(), pe.size()), pe.location())) {
                new PrimaryReader(repo, where).read(in, sink);
            }
        });
        List<Package> pkgs = parsed.packages();
        long weakPkgs = pkgs.stream().filter(p -> weak(p.checksumAlgorithm())).count();
        if (weakPkgs > 0)
            log.warn(where + ": " + weakPkgs + " of its packages are checked with MD5 or SHA-1 only, weak hashes (sha256 is usual)");
        List<Glob> excludes = s.excludes().stream().map(Glob::of).toList();
        int before = pkgs.size();
        if (!excludes.isEmpty()) {
            pkgs = new ArrayList<>(pkgs);
            pkgs.removeIf(p -> excludes.stream().anyMatch(g -> g.matches(p.name())));
        }
        log.info(where + ": " + pkgs.size() + " packages (revision " + md.revision() + ")"
                + (pkgs.size() < before ? ", excludepkgs hides " + (before - pkgs.size()) : ""));
        return new RepoIndex(s, pkgs, index, parsed.dropped(), modules);
    }

    @Override
    public Universe universe(List<RepoIndex> repos, String targetArch, Log log) throws IOException {
        Modules modules = new Modules();
        for (RepoIndex r : repos) if (r.extra() instanceof Modules m) modules.add(m);
        List<Package> all = new ArrayList<>();
        if (modules.isEmpty()) {
            for (RepoIndex r : repos) all.addAll(r.packages());
        } else {
            List<Package> filtered = new ArrayList<>();
            for (RepoIndex r : repos) if (!r.source().moduleHotfixes()) filtered.addAll(r.packages());
            Set<String> enabledNames = modules.namesOfEnabledStreams(filtered);
            int hidden = 0;
            for (RepoIndex r : repos) {
                for (Package p : r.packages()) {
                    if (r.source().moduleHotfixes() || modules.visible(p, enabledNames)) all.add(p);
                    else hidden++;
                }
            }
            log.info("modular filtering hides " + hidden + " packages (non-default streams, or masked by a default stream)");
        }
        return Universe.of(rules(), targetArch, all);
    }

    @Override
    public Set<String> fileListTypes() {
        return Set.of(FILELISTS);
    }

    @Override
    public Map<PackageId, List<String>> fileOwners(Collection<String> paths, IndexSet index) throws IOException {
        Map<PackageId, List<String>> found = new HashMap<>();
        if (paths.isEmpty()) return found;
        Set<String> wanted = new HashSet<>(paths);
        for (IndexFile fl : index.files()) {
            if (!fl.type().equals(FILELISTS)) continue;
            String repo = fl.repo().name();
            try (InputStream in = Decompress.open(IndexSet.local(fl), fl.path())) {
                FilelistsReader.read(in, "repo " + repo, wanted,
                        (pkgid, path) -> found.computeIfAbsent(new PackageId(repo, pkgid), k -> new ArrayList<>()).add(path));
            }
        }
        return found;
    }

    @Override
    public Set<String> carriedTypes() {
        return Set.of(PRIMARY, FILELISTS);
    }

    /**
     * An rpm list of what a host has: a line {@code NAME EPOCH VERSION RELEASE ARCH} per package, each
     * optionally followed by its requirements ({@code R name [op evr]}) and provides ({@code P ...}),
     * as {@code rpm -qa --qf '%{NAME} %{EPOCHNUM} %{VERSION} %{RELEASE} %{ARCH}\n[R %{REQUIRENEVRS}\n][P %{PROVIDENEVRS}\n]'}
     * prints them. With requirements, what must move with an upgraded package is known (a langpack
     * pinned to its glibc); file requirements are taken as met (the host is consistent as it stands).
     */
    @Override
    public List<Package> installed(String text, String where) throws MetadataException {
        List<Package> out = new ArrayList<>();
        String name = null, arch = null;
        Evr evr = null;
        List<Req> requires = new ArrayList<>();
        List<Dep> provides = new ArrayList<>();
        int n = 0;
        for (String line : (text + "\n").split("\n")) {
            n++;
            try {
                if (line.startsWith("R ") || line.startsWith("P ")) {
                    if (name == null) throw new IllegalArgumentException("'" + line + "' before any package line");
                    String[] t = line.substring(2).trim().split("\\s+", 3);
                    Op op = t.length == 3 ? symbol(t[1]) : Op.ANY;
                    Evr v = t.length == 3 ? Evr.parse(t[2]) : Evr.NONE;
                    if (line.charAt(0) == 'P') provides.add(Dep.of(t[0], op, v));
                    else if (!t[0].startsWith("rpmlib(") && !t[0].startsWith("/")) requires.add(RpmDeps.requirement(t[0], op, v));
                    continue;
                }
                if (name != null) out.add(installedPackage(name, evr, arch, provides, requires));
                name = null;
                if (line.isBlank()) continue;
                String[] t = line.trim().split("\\s+");
                if (t.length != 5)
                    throw new IllegalArgumentException("expected 'NAME EPOCH VERSION RELEASE ARCH', not '" + line.trim() + "'");
                if (t[0].equals("gpg-pubkey")) continue; // rpm lists imported keys as packages
                name = t[0];
                evr = new Evr(t[1].equals("(none)") ? 0 : Integer.parseInt(t[1]), t[2], t[3]);
                arch = t[4];
                requires = new ArrayList<>();
                provides = new ArrayList<>();
            } catch (IllegalArgumentException e) {
                throw new MetadataException(where + ":" + n + ": " + e.getMessage() + " (take the list with rpm -qa --qf"
                        + " '%{NAME} %{EPOCHNUM} %{VERSION} %{RELEASE} %{ARCH}\\n[R %{REQUIRENEVRS}\\n][P %{PROVIDENEVRS}\\n]')");
            }
        }
        return out;
    }

    private static Package installedPackage(String name, Evr evr, String arch, List<Dep> provides, List<Req> requires) {
        Package p = Package.installed(name, evr, arch);
        return new Package(name, evr, arch, provides, requires, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                p.location(), 0, p.checksum(), p.repo(), null);
    }

    private static Op symbol(String s) {
        return switch (s) {
            case "<" -> Op.LT;
            case "<=" -> Op.LE;
            case "=" -> Op.EQ;
            case ">=" -> Op.GE;
            case ">" -> Op.GT;
            default -> throw new IllegalArgumentException("unknown relation '" + s + "'");
        };
    }

    @Override
    public Inspected inspect(Path file, String fileName, Checksum sha256, Repo origin) throws IOException {
        RpmHeader h = RpmHeader.read(file, fileName);
        return new Inspected(h.toPackage(fileName, sha256, origin), h);
    }

    @Override
    public Map<String, About> writeIndex(Path dir, List<Shipped> shipped, IndexSet index, long timestamp, BundleKey key)
            throws IOException {
        // Records of mirrored packages are copied from upstream, one pass over each repo's files.
        Map<PackageId, String> primary = new HashMap<>(), filelists = new HashMap<>();
        for (Map.Entry<Repo, Map<String, Shipped>> e : Format.byRepo(shipped).entrySet()) {
            Repo repo = e.getKey();
            Map<String, Shipped> ids = e.getValue();
            String where = "repo " + repo.name();
            for (IndexFile pe : index.of(repo, PRIMARY))
                try (InputStream in = Decompress.open(IndexSet.local(pe), pe.path())) {
                    Records.copy(in, where, ids.keySet(), null, id -> ids.get(id).fileName())
                            .forEach((id, xml) -> primary.put(new PackageId(repo.name(), id), xml));
                }
            for (IndexFile fe : index.of(repo, FILELISTS))
                try (InputStream in = Decompress.open(IndexSet.local(fe), fe.path())) {
                    Records.copy(in, where, ids.keySet(), r -> r.getAttributeValue(null, "pkgid"), id -> null)
                            .forEach((id, xml) -> filelists.put(new PackageId(repo.name(), id), xml));
                }
        }
        List<RepodataWriter.Entry> entries = new ArrayList<>(shipped.size());
        Map<String, About> about = new HashMap<>();
        for (Shipped s : shipped) {
            Package p = s.pkg();
            if (s.own() instanceof RpmHeader h) {
                entries.add(new RepodataWriter.Entry(h.primaryXml(s), h.filelistsXml(s.sha256()), h.otherXml(s.sha256())));
                about.put(s.fileName(), new About(h.license(), h.vendor()));
                continue;
            }
            PackageId id = PackageId.of(p);
            String pri = primary.get(id);
            if (pri == null)
                throw new MetadataException("repo " + p.repo().name() + ": the record of " + p.nevra()
                        + " vanished from its primary.xml between reading and writing");
            String fl = filelists.get(id);
            if (fl == null) fl = RpmHeader.filelistsRecord(p.checksum().hex(), p, p.files());
            entries.add(new RepodataWriter.Entry(pri, fl, RpmHeader.otherRecord(p.checksum().hex(), p)));
            about.put(s.fileName(), new About(Records.field(pri, "license"), Records.field(pri, "vendor")));
        }
        RepodataWriter.write(dir, entries, timestamp);
        if (key != null) { // what dnf checks with repo_gpgcheck=1
            Path repomd = dir.resolve(BundleLayout.REPODATA).resolve("repomd.xml");
            try (InputStream in = Files.newInputStream(repomd)) {
                Files.write(repomd.resolveSibling("repomd.xml.asc"), key.detached(in, timestamp));
            }
        }
        return about;
    }

    @Override
    public Path buildPackage(PackageContents contents, Path dir, long mtime) throws IOException {
        return RpmBuilder.build(contents, dir, mtime);
    }

    @Override
    public void signPackage(Path file, BundleKey key, long mtime) throws IOException {
        RpmSignature.sign(file, key, mtime);
    }

    @Override
    public PackageSignature checkSignature(Path file, String fileName, Keyring keys) throws IOException {
        return RpmSignature.check(file, fileName, keys);
    }
}
