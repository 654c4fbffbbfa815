package io.pigsty.offline.repo;

import io.pigsty.offline.config.ConfigException;
import io.pigsty.offline.plan.BuildPlan;
import io.pigsty.offline.solve.Resolution;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lock ({@code plan --json}): the manifest's description of a selection before anything is
 * downloaded, plus what it was made from ({@code inputs}, one sha256 per part) and the build's fixed
 * time, so {@code build offline --lock} can rebuild exactly it, and tell when it is stale. Packages
 * carry the upstream checksum (a sha256 when the metadata has one) and no file names yet.
 */
public final class Lock {
    private Lock() {}

    public static String write(BuildPlan plan, Resolution res, int droppedRecords, List<Manifest.Baseline> baselines,
                               List<String> warnings, Map<String, String> inputs, long mtime) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("inputs", new LinkedHashMap<>(inputs));
        body.put("mtime", mtime);
        body.putAll(Manifest.body(plan, res, droppedRecords, baselines, null, Map.of(), warnings));
        return Json.write(body);
    }

    /** A package as the lock names it: where it comes from and what it must hash to. */
    public record Entry(String name, String version, String arch, String repo, String location, String sha256, long size, String reason,
                        boolean lookupOnly) {}

    /** A lock read back: its inputs, fixed time and packages. */
    public record Locked(Map<String, String> inputs, long mtime, List<Entry> packages) {}

    /** Reads a lock {@link #write} wrote; {@code where} names the file in errors. */
    public static Locked read(String text, String where) {
        Object doc;
        try {
            LoaderOptions o = new LoaderOptions();
            o.setCodePointLimit(256 << 20);
            doc = new Yaml(new SafeConstructor(o)).load(text);
        } catch (RuntimeException e) {
            throw new ConfigException("--lock " + where, "not a lock (" + e.getMessage() + "); make one with plan --json");
        }
        if (!(doc instanceof Map<?, ?> m) || !(m.get("inputs") instanceof Map<?, ?> in) || !(m.get("mtime") instanceof Number t)
                || !(m.get("packages") instanceof List<?> pkgs))
            throw new ConfigException("--lock " + where, "not a lock of this version (no inputs, mtime or packages); make one with plan --json");
        Map<String, String> inputs = new LinkedHashMap<>();
        in.forEach((k, v) -> inputs.put(String.valueOf(k), String.valueOf(v)));
        List<Entry> out = new ArrayList<>();
        for (Object o : pkgs) {
            if (!(o instanceof Map<?, ?> p) || !(p.get("sha256") instanceof String sha) || !(p.get("size") instanceof Number size))
                throw new ConfigException("--lock " + where, "a package without sha256 or size: " + o
                        + " (a repo checked with weak hashes cannot be locked)");
            int epoch = p.get("epoch") instanceof Number e ? e.intValue() : 0;
            String v = (epoch > 0 ? epoch + ":" : "") + p.get("version") + (p.get("release") == null || "".equals(p.get("release"))
                    ? "" : "-" + p.get("release"));
            String location = String.valueOf(p.get("location"));
            if (!io.pigsty.offline.model.SafePaths.safeRelative(location))
                throw new ConfigException("--lock " + where, "package " + p.get("name") + ": location '" + location
                        + "' is not a plain path inside its repo");
            if (!sha.matches("[0-9a-f]{64}") || size.longValue() < 0)
                throw new ConfigException("--lock " + where, "package " + p.get("name") + ": a malformed sha256 or size");
            out.add(new Entry(String.valueOf(p.get("name")), v, String.valueOf(p.get("arch")), String.valueOf(p.get("repo")),
                    location, sha, size.longValue(), String.valueOf(p.get("reason")), Boolean.TRUE.equals(p.get("lookup_only"))));
        }
        return new Locked(inputs, t.longValue(), out);
    }
}
