package io.pigsty.offline.repo;

import io.pigsty.offline.plan.BuildPlan;
import io.pigsty.offline.solve.Resolution;

import java.util.List;
import java.util.Map;

/**
 * The lock ({@code plan --json}): the manifest's description of a selection before anything is
 * downloaded, enough to reproduce the same selection or to audit it. Packages carry the upstream
 * checksum (a sha256 when the metadata has one) and no file names yet.
 */
public final class Lock {
    private Lock() {}

    public static String write(BuildPlan plan, Resolution res, int droppedRecords, List<Manifest.Baseline> baselines,
                               List<String> warnings) {
        return Json.write(Manifest.body(plan, res, droppedRecords, baselines, null, Map.of(), warnings));
    }
}
