package io.pigsty.offline.build;

import io.pigsty.offline.config.ConfigException;
import io.pigsty.offline.config.ConfigLoader;
import io.pigsty.offline.model.Log;
import io.pigsty.offline.plan.BuildPlan;
import io.pigsty.offline.plan.Planner;

import java.nio.file.Path;
import java.util.LinkedHashMap;

/** Config in, plan out: loads and merges the inputs and turns them into a {@link BuildPlan}. */
final class PlanStep {
    /** The plan and the project home it was made in. */
    record Planned(BuildPlan plan, Path home) {}

    private final Request request;
    private final Log log;

    PlanStep(Request request, Log log) {
        this.request = request;
        this.log = log;
    }

    Planned call() {
        if (request.jobs() < 1 || request.jobs() > 64) throw new ConfigException("--jobs", "must be 1..64");
        ConfigLoader.Request req = new ConfigLoader.Request(request.home(), request.os(), request.arch(), request.inventory(),
                new LinkedHashMap<>(request.vars()), new LinkedHashMap<>(request.mirrors()));
        BuildPlan plan = Planner.plan(ConfigLoader.load(req, log));
        log.info("target " + plan.target().label() + ", " + plan.repos().size() + " repos, " + plan.specs().size()
                + " package specs");
        return new Planned(plan, request.home());
    }

}
