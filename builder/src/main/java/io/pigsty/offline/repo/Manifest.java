package io.pigsty.offline.repo;

import io.pigsty.bundle.BundleLayout.Keys;
import io.pigsty.offline.model.Package;
import io.pigsty.offline.model.Spec;
import io.pigsty.offline.plan.BuildPlan;
import io.pigsty.offline.plan.PlannedRepo;
import io.pigsty.offline.plan.Target;
import io.pigsty.offline.repo.Json;
import io.pigsty.offline.solve.Resolution;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bundle's {@code manifest.json}: what was built from what. It lists the target, the repos with
 * their URLs, every package with its exact version, origin, checksum and file name, what could not be
 * resolved, how many upstream records could not be read (each named among the warnings), the extra
 * files and warnings. The launcher reads it by the keys of {@link Keys}.
 */
public final class Manifest {
    private Manifest() {}

    /**
     * The manifest of a built tree; {@code sha256ByPackage} gives each shipped package's verified
     * sha256 (also for packages whose upstream checksum is of another kind).
     */
    /** What one baseline (a host's installed packages) came to: the request installs there or not, and what moves. */
    public record Baseline(String file, int installed, boolean installable, int ships, List<String> upgrades) {
        public Baseline {
            upgrades = List.copyOf(upgrades);
        }
    }

    public static String write(BuildPlan plan, Resolution res, int droppedRecords, List<Baseline> baselines,
                               Map<Package, String> sha256ByPackage, Map<String, String> files, List<String> warnings) {
        return Json.write(body(plan, res, droppedRecords, baselines, sha256ByPackage, files, warnings));
    }

    /** The packages a previous bundle's manifest lists, as what a host built from it has installed. */
    @SuppressWarnings("unchecked")
    public static List<Package> installed(String json, String where) {
        Object o = new org.yaml.snakeyaml.Yaml(new org.yaml.snakeyaml.constructor.SafeConstructor(new org.yaml.snakeyaml.LoaderOptions()))
                .load(json);
        if (!(o instanceof Map<?, ?> m) || !(m.get("packages") instanceof List<?> pkgs))
            throw new IllegalArgumentException(where + ": not a bundle manifest (no packages list)");
        List<Package> out = new ArrayList<>();
        for (Object x : pkgs) {
            Map<String, Object> e = (Map<String, Object>) x;
            if (Boolean.TRUE.equals(e.get("lookup_only"))) continue;
            out.add(Package.installed(String.valueOf(e.get("name")), new io.pigsty.offline.model.Evr(
                    ((Number) e.get("epoch")).intValue(), String.valueOf(e.get("version")), String.valueOf(e.get("release"))),
                    String.valueOf(e.get("arch"))));
        }
        return out;
    }

    static Map<String, Object> body(BuildPlan plan, Resolution res, int dropped, List<Baseline> baselines, Map<Package, String> sha256,
                                            Map<String, String> files, List<String> warnings) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", 1);
        m.put(Keys.NAME, plan.bundleName());
        m.put("version", plan.version());
        Target t = plan.target();
        Map<String, Object> target = new LinkedHashMap<>();
        target.put("os", t.os());
        target.put(Keys.FAMILY, t.family().id());
        target.put("major", t.major());
        target.put("codename", t.codename());
        target.put("arch", t.arch());
        m.put(Keys.TARGET, target);
        List<Object> repos = new ArrayList<>();
        for (PlannedRepo r : plan.repos()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", r.name());
            e.put("module", r.module());
            e.put("urls", r.urls().stream().map(io.pigsty.offline.model.Secrets::redact).toList());
            if (r instanceof PlannedRepo.AptRepo apt) {
                e.put("suite", apt.suite());
                e.put("components", apt.components());
                e.put("signature", apt.trusted() ? "not checked (trusted)" : "checked with " + String.join(", ", apt.keyrings().stream().map(Path::toString).toList()));
            }
            e.put("priority", r.priority());
            e.put("excludes", r.excludes());
            e.put("module_hotfixes", r instanceof PlannedRepo.YumRepo yum && yum.moduleHotfixes());
            repos.add(e);
        }
        m.put("repos", repos);
        List<Object> requested = new ArrayList<>();
        for (Spec s : plan.specs()) requested.add(s.text());
        m.put("requested", requested);
        List<Object> pkgs = new ArrayList<>();
        for (Resolution.Pick pick : res.picks()) {
            Package p = pick.pkg();
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("name", p.name());
            e.put("epoch", p.evr().epoch());
            e.put("version", p.evr().version());
            e.put("release", p.evr().release());
            e.put("arch", p.arch());
            e.put("repo", p.repo().name());
            e.put("location", p.location());
            if (sha256 != null) e.put("file", p.fileName());
            String sum = sha256 != null ? sha256.get(p) : p.checksum().isSha256() ? p.checksum().hex() : null;
            e.put(Keys.SHA256, sum);
            if (!p.checksum().isSha256()) e.put("checksum", p.checksum().toString());
            e.put("size", p.size());
            e.put("reason", pick.reason());
            if (pick.lookupOnly()) e.put("lookup_only", true);
            pkgs.add(e);
        }
        m.put("packages", pkgs);
        List<Object> missing = new ArrayList<>();
        for (Resolution.Problem p : res.problems()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("spec", p.spec() == null ? null : p.spec().text());
            e.put("origin", p.spec() == null ? null : p.spec().origin());
            e.put("chain", p.chain());
            e.put("problem", p.what());
            e.put("weak", p.weak());
            missing.add(e);
        }
        m.put("missing", missing);
        List<Object> extra = new ArrayList<>();
        for (String path : new java.util.TreeSet<>(files.keySet())) {
            Map<String, Object> e = new LinkedHashMap<>(); // not Map.of: its order changes from JVM to JVM
            e.put(Keys.PATH, path);
            e.put(Keys.SHA256, files.get(path));
            extra.add(e);
        }
        m.put(Keys.FILES, extra);
        m.put(Keys.BOOTSTRAP, plan.bootstrap());
        m.put("dropped_records", dropped);
        if (!baselines.isEmpty()) {
            List<Object> bs = new ArrayList<>();
            for (Baseline b : baselines) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("file", b.file());
                e.put("installed", b.installed());
                e.put("installable", b.installable());
                e.put("ships", b.ships());
                e.put("upgrades", b.upgrades());
                bs.add(e);
            }
            m.put("baselines", bs);
        }
        m.put("warnings", warnings);
        return m;
    }
}
