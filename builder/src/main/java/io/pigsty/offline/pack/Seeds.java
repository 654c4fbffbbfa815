package io.pigsty.offline.pack;

import io.pigsty.bundle.BundleLayout;
import io.pigsty.bundle.BundleLayout.Firstboot;
import io.pigsty.offline.config.ConfigException;
import io.pigsty.offline.config.Node;
import io.pigsty.offline.model.Checksum;
import io.pigsty.offline.model.FileTrees;
import io.pigsty.offline.pack.Iso9660;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NoCloud seeds, one per inventory host: an ISO9660 volume labelled {@code cidata} holding
 * meta-data (a stable instance-id and the hostname), user-data (#cloud-config: hostname, the admin
 * user and SSH keys from Pigsty's vars, the inventory written to the Pigsty home, and the
 * first-boot script as a per-boot script of cloud-init) and, for static addresses, network-config v2.
 * {@link #prepare} writes the one-off seed that turns a cloud image into a golden one. Templates come from
 * {@code overlays/seed/}. The same inventory gives the same bytes.
 */
public final class Seeds {
    /** One host's seed, decided from the inventory. */
    public record Host(String ip, String hostname, String where, Map<String, Node> vars) {}

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern HOSTNAME = Pattern.compile("[a-zA-Z0-9]([a-zA-Z0-9.-]{0,251}[a-zA-Z0-9])?");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z_]+)}");

    /** The first-boot script's template, and where seeds put it: cloud-init runs it late in every boot. */
    static final String SCRIPT = "pigsty-firstboot.sh";
    static final String SCRIPT_PER_BOOT = "/var/lib/cloud/scripts/per-boot/" + SCRIPT;
    /** Where the preparation seed of a golden image puts it: gone with the VM's /run. */
    static final String SCRIPT_PREPARE = "/run/pigsty/" + SCRIPT;

    private Seeds() {}

    /**
     * Every host of {@code all.children.*.hosts}, once, with the vars that apply to it (host vars,
     * then its groups' vars in inventory order, then all.vars) and its hostname: {@code nodename},
     * else {@code <cluster>-<seq>} from the first group giving it a {@code *_seq}, else
     * {@code <group>-<n>}. Refuses host keys that are not IPv4 addresses.
     */
    public static List<Host> hosts(Node inventory) {
        Node all = inventory.get("all");
        if (all == null || !all.isMap()) throw new ConfigException(inventory.where(), "not a Pigsty inventory: no 'all' mapping");
        Map<String, Node> allVars = all.get("vars") == null || all.get("vars").isNull() ? Map.of() : all.get("vars").map();
        Node children = all.get("children");
        if (children == null || !children.isMap() || children.map().isEmpty())
            throw new ConfigException(all.where(), "the inventory lists no groups under all.children: no host to seed");
        Map<String, String> firstWhere = new LinkedHashMap<>();
        Map<String, Map<String, Node>> hostVars = new LinkedHashMap<>(), groupVars = new LinkedHashMap<>();
        Map<String, String> names = new LinkedHashMap<>();
        for (Map.Entry<String, Node> g : children.map().entrySet()) {
            String group = g.getKey();
            Node gv = g.getValue().get("vars");
            Map<String, Node> gvars = gv == null || gv.isNull() ? Map.of() : gv.map();
            Node hosts = g.getValue().get("hosts");
            if (hosts == null || hosts.isNull()) continue;
            int index = 0;
            for (Map.Entry<String, Node> h : hosts.map().entrySet()) {
                index++;
                String ip = h.getKey();
                Node hv = h.getValue();
                String where = hv.where();
                if (!IPV4.matcher(ip).matches())
                    throw new ConfigException(where, "host '" + ip + "' in group '" + group + "' is not an IPv4 address;"
                            + " Pigsty inventories key hosts by IP, and seeds give each one a static address");
                firstWhere.putIfAbsent(ip, where);
                Map<String, Node> own = hostVars.computeIfAbsent(ip, k -> new LinkedHashMap<>());
                if (!hv.isNull()) own.putAll(hv.map());
                Map<String, Node> merged = groupVars.computeIfAbsent(ip, k -> new LinkedHashMap<>());
                gvars.forEach(merged::putIfAbsent);
                if (names.containsKey(ip)) continue;
                String seq = null;
                for (Map.Entry<String, Node> v : (hv.isNull() ? Map.<String, Node>of() : hv.map()).entrySet())
                    if (v.getKey().endsWith("_seq")) seq = v.getKey();
                if (seq != null) {
                    String prefix = seq.substring(0, seq.length() - 4);
                    Node cluster = gvars.get(prefix + "_cluster");
                    names.put(ip, (cluster == null ? group : cluster.text()) + "-" + hv.map().get(seq).text());
                } else if (!names.containsKey(ip)) {
                    names.put(ip, group + "-" + index);
                }
            }
        }
        List<Host> out = new ArrayList<>();
        for (String ip : firstWhere.keySet()) {
            Map<String, Node> vars = new LinkedHashMap<>(allVars);
            vars.putAll(groupVars.get(ip));
            vars.putAll(hostVars.get(ip));
            Node nodename = hostVars.get(ip).get("nodename");
            String hostname = nodename != null && !nodename.isNull() ? nodename.text() : names.get(ip);
            if (!HOSTNAME.matcher(hostname).matches())
                throw new ConfigException(nodename != null ? nodename.where() : firstWhere.get(ip), "'" + hostname + "' is not a valid hostname");
            out.add(new Host(ip, hostname, firstWhere.get(ip), vars));
        }
        return out;
    }

    /** Renders every host's seed without writing it: a bad inventory fails before any long work. */
    public static void check(List<Host> hosts, byte[] inventoryBytes, Path templates) throws IOException {
        for (Host h : hosts) render(h, inventoryBytes, templates, null);
    }

    /**
     * Writes one seed ISO per host into {@code outDir} ({@code <ip>.iso}); returns them in host
     * order. {@code inventoryBytes} is the inventory as written, embedded verbatim in user-data;
     * {@code trustedKey} (an armored OpenPGP public key, or null) is written to the host's
     * {@link BundleLayout#TRUSTED_KEY}, so its first boot accepts only bundles that key signed.
     */
    public static List<Path> write(List<Host> hosts, byte[] inventoryBytes, Path templates, Path outDir, long mtime, String trustedKey)
            throws IOException {
        List<Path> out = new ArrayList<>();
        Path scratch = Files.createTempDirectory("pigsty-seed");
        try {
            for (Host h : hosts) {
                Map<String, String> files = render(h, inventoryBytes, templates, trustedKey);
                Map<String, Path> iso = new TreeMap<>();
                for (Map.Entry<String, String> f : files.entrySet()) {
                    Path p = scratch.resolve(h.ip() + "-" + f.getKey());
                    Files.writeString(p, f.getValue());
                    iso.put(f.getKey(), p);
                }
                Path file = outDir.resolve(h.ip() + ".iso");
                Iso9660.write(iso, "cidata", mtime, file);
                out.add(file);
            }
        } finally {
            FileTrees.delete(scratch);
        }
        return out;
    }

    /** meta-data, user-data and (static addresses only) network-config for one host. */
    static Map<String, String> render(Host h, byte[] inventoryBytes, Path templates, String trustedKey) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        String home = checkedHome(firstbootHome(h), where(h, Firstboot.KEY));
        values.put("home", home);
        values.put("hostname", h.hostname());
        values.put("instance_id", "pigsty-" + Checksum.sha256Hex((h.ip() + "\n" + new String(inventoryBytes, StandardCharsets.UTF_8))
                .getBytes(StandardCharsets.UTF_8)).substring(0, 16));
        Map<String, String> files = new LinkedHashMap<>();
        files.put("meta-data", dump(load(templates.resolve("meta-data.yml"), values), null));

        Map<String, Object> user = load(templates.resolve("user-data.yml"), values);
        Map<String, Object> cloud = new LinkedHashMap<>();
        cloud.put("hostname", h.hostname());
        List<String> keys = list(h, "node_admin_pk_list");
        if (!"false".equalsIgnoreCase(text(h, "node_admin_enabled", "true"))) {
            Map<String, Object> admin = new LinkedHashMap<>();
            admin.put("name", text(h, "node_admin_username", "dba"));
            admin.put("sudo", "ALL=(ALL) NOPASSWD:ALL");
            admin.put("shell", "/bin/bash");
            if (!keys.isEmpty()) admin.put("ssh_authorized_keys", keys);
            cloud.put("users", List.of("default", admin));
        }
        if (!keys.isEmpty()) cloud.put("ssh_authorized_keys", keys);
        Map<String, Object> inv = new LinkedHashMap<>();
        inv.put("path", home + "/pigsty.yml");
        inv.put("permissions", "0600");
        inv.put("encoding", "b64");
        inv.put("content", Base64.getEncoder().encodeToString(inventoryBytes));
        List<Object> written = new ArrayList<>(List.of(inv));
        if (trustedKey != null) written.add(trustedKey(trustedKey));
        written.add(script(templates, SCRIPT_PER_BOOT, values));
        cloud.put("write_files", written);
        cloud.putAll(user);
        files.put("user-data", dump(cloud, "#cloud-config"));

        String network = text(h, "seed_network", "static");
        if (!network.equals("dhcp")) {
            if (!network.equals("static"))
                throw new ConfigException(where(h, "seed_network"), "seed_network must be static or dhcp, not '" + network + "'");
            String gateway = text(h, "seed_gateway", null);
            if (gateway == null)
                throw new ConfigException(h.where(), "host " + h.ip() + " gets a static address but no gateway: set seed_gateway"
                        + " (in all.vars, the group's or the host's vars), or seed_network: dhcp");
            if (!IPV4.matcher(gateway).matches()) throw new ConfigException(where(h, "seed_gateway"), "'" + gateway + "' is not an IPv4 address");
            String prefix = text(h, "seed_prefix", "24");
            if (!prefix.matches("[0-9]{1,2}") || Integer.parseInt(prefix) > 32)
                throw new ConfigException(where(h, "seed_prefix"), "seed_prefix must be 0..32, not '" + prefix + "'");
            List<String> dns = list(h, "node_dns_servers").stream().map(d -> d.replace("${admin_ip}", text(h, "admin_ip", ""))).toList();
            if (dns.isEmpty()) dns = List.of(gateway);
            for (String d : dns)
                if (!IPV4.matcher(d).matches()) throw new ConfigException(where(h, "node_dns_servers"), "DNS server '" + d + "' is not an IPv4 address");
            String iface = text(h, "seed_interface", "e*");
            if (!iface.matches("[A-Za-z0-9*?._:-]+")) throw new ConfigException(where(h, "seed_interface"), "'" + iface + "' is not an interface name");
            values.put("interface", "\"" + iface + "\"");
            values.put("ethernet", iface.matches(".*[*?].*") ? "primary" : iface);
            values.put("address", h.ip() + "/" + prefix);
            values.put("gateway", gateway);
            values.put("dns", "[ " + String.join(", ", dns) + " ]");
            files.put("network-config", dump(load(templates.resolve("network-config.yml"), values), null));
        }
        return files;
    }

    /**
     * The preparation seed of a golden image ({@code build golden}), written as a cidata ISO at
     * {@code iso}: its user-data (from {@code golden/user-data.yml}) runs the first-boot script with
     * {@code --prepare} and powers the VM off. {@code inventory} (or null) is written to the Pigsty
     * home, {@code trustedKey} (or null) to {@link BundleLayout#TRUSTED_KEY}; {@code instanceId}
     * differs from every host's, so cloud-init starts over on the image's first real boot.
     */
    public static void prepare(Path seedTemplates, Path goldenTemplates, Node inventory, byte[] inventoryBytes, String trustedKey,
                               String instanceId, long mtime, Path iso) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        String home = Firstboot.DEFAULT_HOME;
        if (inventory != null) {
            Node all = inventory.get("all");
            Node vars = all != null && all.isMap() ? all.get("vars") : inventory;
            Node fb = vars != null && vars.isMap() ? vars.get(Firstboot.KEY) : null;
            Node h = fb != null && fb.isMap() ? fb.get(Firstboot.HOME) : null;
            if (h != null && !h.isNull()) home = checkedHome(h.text(), h.where());
        }
        values.put("home", home);
        values.put("instance_id", instanceId);
        Map<String, Object> cloud = new LinkedHashMap<>(load(goldenTemplates.resolve("user-data.yml"), values));
        List<Object> written = new ArrayList<>();
        if (inventoryBytes != null) {
            Map<String, Object> inv = new LinkedHashMap<>();
            inv.put("path", home + "/pigsty.yml");
            inv.put("permissions", "0600");
            inv.put("encoding", "b64");
            inv.put("content", Base64.getEncoder().encodeToString(inventoryBytes));
            written.add(inv);
        }
        if (trustedKey != null) written.add(trustedKey(trustedKey));
        written.add(script(seedTemplates, SCRIPT_PREPARE, values));
        cloud.put("write_files", written);
        Path scratch = Files.createTempDirectory("pigsty-seed");
        try {
            Map<String, Path> files = new TreeMap<>();
            files.put("meta-data", Files.writeString(scratch.resolve("meta-data"), dump(load(goldenTemplates.resolve("meta-data.yml"), values), null)));
            files.put("user-data", Files.writeString(scratch.resolve("user-data"), dump(cloud, "#cloud-config")));
            Iso9660.write(files, "cidata", mtime, iso);
        } finally {
            FileTrees.delete(scratch);
        }
    }

    private static Map<String, Object> trustedKey(String armored) {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("path", BundleLayout.TRUSTED_KEY);
        key.put("permissions", "0644");
        key.put("content", armored);
        return key;
    }

    private static String checkedHome(String home, String where) {
        if (!home.matches("/[A-Za-z0-9._/-]*")) throw new ConfigException(where, "firstboot.home '" + home + "' is not a plain absolute path");
        return home;
    }

    private static String firstbootHome(Host h) {
        Node fb = h.vars().get(Firstboot.KEY);
        Node home = fb != null && fb.isMap() ? fb.get(Firstboot.HOME) : null;
        return home == null || home.isNull() ? Firstboot.DEFAULT_HOME : home.text();
    }

    private static String where(Host h, String var) {
        Node n = h.vars().get(var);
        return n == null ? h.where() : n.where();
    }

    private static String text(Host h, String var, String fallback) {
        Node n = h.vars().get(var);
        return n == null || n.isNull() || n.isMap() || n.isList() ? fallback : n.text().trim();
    }

    private static List<String> list(Host h, String var) {
        Node n = h.vars().get(var);
        if (n == null || n.isNull()) return List.of();
        if (n.isList()) return n.list().stream().map(Node::text).toList();
        return List.of(n.text());
    }

    /** A template with its ${placeholders} filled. */
    private static String fill(Path template, Map<String, String> values) throws IOException {
        if (!Files.isRegularFile(template)) throw new ConfigException(template.toString(), "seed template missing");
        String text = Files.readString(template);
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            if (v == null) throw new ConfigException(template.toString(), "unknown placeholder ${" + m.group(1) + "}");
            m.appendReplacement(b, Matcher.quoteReplacement(v));
        }
        m.appendTail(b);
        return b.toString();
    }

    /** The first-boot script as a write_files entry at {@code path}. */
    private static Map<String, Object> script(Path templates, String path, Map<String, String> values) throws IOException {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("path", path);
        f.put("permissions", "0755");
        f.put("content", fill(templates.resolve(SCRIPT), values));
        return f;
    }

    /** A template with its ${placeholders} filled, as a YAML mapping. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> load(Path template, Map<String, String> values) throws IOException {
        Object o = new Yaml(new SafeConstructor(new LoaderOptions())).load(fill(template, values));
        if (!(o instanceof Map)) throw new ConfigException(template.toString(), "a seed template must be a YAML mapping");
        return new LinkedHashMap<>((Map<String, Object>) o);
    }

    private static String dump(Map<String, Object> map, String header) {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setDereferenceAliases(true);
        o.setWidth(4096);
        o.setSplitLines(false);
        String yaml = new Yaml(new Representer(o), o).dump(map);
        return header == null ? yaml : header + "\n" + yaml;
    }
}
