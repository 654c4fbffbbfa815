package io.pigsty.offline.build;

import io.pigsty.offline.config.ConfigLoader;
import io.pigsty.offline.model.Log;
import io.pigsty.offline.plan.BuildPlan;
import io.pigsty.offline.plan.Planner;

import java.util.LinkedHashMap;

/** Config in, plan out: loads and merges the inputs and turns them into a {@link BuildPlan}. */
final class PlanStep {
    private final Request request;
    private final Log log;

    PlanStep(Request request, Log log) {
        this.request = request;
        this.log = log;
    }

    BuildPlan call() {
        ConfigLoader.Request req = new ConfigLoader.Request(request.home(), request.os(), request.arch(), request.inventory(),
                new LinkedHashMap<>(request.vars()), new LinkedHashMap<>(request.mirrors()), java.nio.file.Path.of("/"), request.host());
        BuildPlan plan = Planner.plan(ConfigLoader.load(req, log));
        log.info("target " + plan.target().label() + ", " + plan.repos().size() + " repos, " + plan.specs().size()
                + " package specs" + (plan.host() == null ? "" : ", vars of inventory host " + plan.host()));
        plan.origins().forEach((k, o) -> log.info("  " + k + ": " + o));
        return plan;
    }

}
