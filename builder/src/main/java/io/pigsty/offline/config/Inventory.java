package io.pigsty.offline.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The variables an Ansible inventory gives the host that builds the repo, layer by layer in
 * Ansible's order: {@code all.vars}, then the vars of every group the host is in (shallower groups
 * first, then by name, as Ansible sorts them), then the host's own vars. The repo is built on the
 * infra host (Pigsty's repo role runs there): the first host of group {@code infra}, unless a host
 * is named.
 */
final class Inventory {
    /** One layer of variables and where it came from ("group infra of conf/rich.yml"). */
    record Layer(String label, Node vars) {}

    /** The chosen host and its layers, lowest precedence first. */
    record Vars(String host, List<Layer> layers) {}

    private record Group(String name, Node node, int depth) {}

    private Inventory() {}

    /**
     * The layers for {@code host} (null: the first infra host). A plain vars file (no {@code all:}) is
     * one layer. No infra group and no host named: Pigsty builds no repo for such an inventory.
     */
    static Vars of(Node inv, String host, String shownAs) {
        if (inv.isNull())
            throw new ConfigException(shownAs, "the inventory is empty; give Pigsty's pigsty.yml or a vars file, or leave -i out"
                    + " to build the recipe's defaults");
        if (!inv.isMap()) throw new ConfigException(inv.where(), "an inventory must be a mapping (Pigsty's pigsty.yml, or a vars file)");
        Node all = inv.get("all");
        if (all == null) {
            if (host != null) throw new ConfigException("--host", shownAs + " is a plain vars file with no hosts");
            return new Vars(null, List.of(new Layer("vars file " + shownAs, inv)));
        }
        if (!all.isMap()) throw new ConfigException(all.where(), "'all' must be a mapping with vars and children");
        Map<String, Group> groups = new LinkedHashMap<>();
        walk(all, "all", 0, groups);
        String chosen = host != null ? host : firstHost(groups.get("infra"), groups);
        if (chosen == null)
            throw new ConfigException(shownAs, groups.containsKey("infra")
                    ? "group infra has no hosts: Pigsty builds the repo on the infra host; add one, or pass --host IP"
                    : "no infra group: Pigsty builds its local repo on the infra host, and builds no repo for this inventory;"
                    + " pass --host IP to build for one of its hosts");
        List<Group> member = new ArrayList<>();
        Map<String, Node> hostVars = new LinkedHashMap<>();
        for (Group g : groups.values()) if (hosts(g, groups).contains(chosen)) member.add(g);
        if (member.stream().noneMatch(g -> own(g).containsKey(chosen)))
            throw new ConfigException("--host " + chosen, "no such host in " + shownAs + "; hosts: " + String.join(", ", allHosts(groups)));
        for (Group g : groups.values()) {
            Node h = own(g).get(chosen);
            if (h != null && h.isMap()) hostVars.putAll(h.map());
        }
        member.sort(Comparator.comparingInt(Group::depth).thenComparing(g -> g.name().equals("all") ? "" : g.name()));
        List<Layer> layers = new ArrayList<>();
        for (Group g : member) {
            Node v = g.node().get("vars");
            if (v != null && !v.isNull()) {
                v.map();
                layers.add(new Layer((g.name().equals("all") ? "all.vars" : "group " + g.name() + " vars") + " of " + shownAs, v));
            }
        }
        if (!hostVars.isEmpty()) layers.add(new Layer("host " + chosen + " vars of " + shownAs, new Node(hostVars, shownAs, 0)));
        return new Vars(chosen, layers);
    }

    /** Every group below {@code node}, with its depth (the longest path from all, as Ansible counts it). */
    private static void walk(Node node, String name, int depth, Map<String, Group> groups) {
        Group seen = groups.get(name);
        if (seen == null || seen.depth() < depth) groups.put(name, new Group(name, seen == null ? node : seen.node(), depth));
        Node children = node.get("children");
        if (children == null || children.isNull()) return;
        for (Map.Entry<String, Node> c : children.map().entrySet()) {
            Node g = c.getValue().isNull() ? new Node(new LinkedHashMap<String, Node>(), c.getValue().file(), c.getValue().line()) : c.getValue();
            if (!g.isMap()) throw new ConfigException(g.where(), "group '" + c.getKey() + "' must be a mapping with hosts, vars or children");
            if (depth > 32) throw new ConfigException(g.where(), "groups nest deeper than 32 levels");
            walk(g, c.getKey(), depth + 1, groups);
        }
    }

    /** The hosts a group lists itself. */
    private static Map<String, Node> own(Group g) {
        Node h = g.node().get("hosts");
        return h == null || h.isNull() ? Map.of() : h.map();
    }

    /** The hosts of a group and of its children, in the order written. */
    private static Set<String> hosts(Group g, Map<String, Group> groups) {
        Set<String> out = new LinkedHashSet<>(own(g).keySet());
        Node children = g.node().get("children");
        if (children != null && !children.isNull())
            for (String c : children.map().keySet()) out.addAll(hosts(groups.get(c), groups));
        return out;
    }

    private static String firstHost(Group infra, Map<String, Group> groups) {
        if (infra == null) return null;
        Set<String> h = hosts(infra, groups);
        return h.isEmpty() ? null : h.iterator().next();
    }

    private static List<String> allHosts(Map<String, Group> groups) {
        Map<String, Boolean> out = new HashMap<>();
        List<String> order = new ArrayList<>();
        for (Group g : groups.values()) for (String h : own(g).keySet()) if (out.put(h, true) == null) order.add(h);
        return order;
    }
}
