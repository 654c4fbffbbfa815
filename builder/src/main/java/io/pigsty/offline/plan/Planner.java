package io.pigsty.offline.plan;

import io.pigsty.bundle.Family;
import io.pigsty.offline.config.Config;
import io.pigsty.offline.config.ConfigException;
import io.pigsty.offline.config.Node;
import io.pigsty.offline.model.Repo;
import io.pigsty.offline.model.SafePaths;
import io.pigsty.offline.model.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns merged config into a {@link BuildPlan} with Pigsty's rules: repo selection by module,
 * release and arch; baseurl by region (else default), {@code --mirror} overrides; variable expansion;
 * package groups split on commas and spaces with {@code package_map} aliases expanded.
 */
public final class Planner {
    /** The origin of a spec added because the bundle's first boot installs it. */
    public static final String FIRST_BOOT = "the first boot installs it";

    private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    private Planner() {}

    public static BuildPlan plan(Config c) {
        Config.Recipe r = c.recipe();
        Target target = new Target(r.os(), r.family(), r.major(), r.codename(), c.arch());
        String version = c.text("version", null);
        if (version == null) throw new ConfigException(r.file().getFileName().toString(), "no 'version' var: set it in the recipe, the inventory or with -e version=v4.x");
        if (!version.matches("[A-Za-z0-9][A-Za-z0-9._+~-]{0,63}"))
            throw new ConfigException(c.var("version").where(), "version '" + version + "' cannot be part of a file name:"
                    + " it names a directory under --dist, so it must start with a letter or digit and hold only letters,"
                    + " digits and . _ + ~ - (e.g. v4.5.0)");
        Map<String, String> urlVars = urlVars(c, target);
        List<PlannedRepo> repos = repos(c, target, urlVars);
        Map<String, String> pkgVars = Map.of("v", c.text("pg_version", ""), "pg_version", c.text("pg_version", ""));
        Set<String> topLevel = new LinkedHashSet<>();
        List<Spec> specs = specs(c, pkgVars, topLevel);
        // What the bundle's first boot installs must be in it, or the bundle cannot apply itself.
        Node fb = c.var("firstboot");
        Node own = fb != null && fb.isMap() ? fb.get("packages") : null;
        Node boot = own != null && !own.isNull() ? own : c.packageMap().get("node-bootstrap");
        List<String> bootstrap = new ArrayList<>();
        List<Spec> firstBoot = new ArrayList<>();
        if (boot != null) {
            Set<String> have = new HashSet<>();
            for (Spec s : specs) have.add(s.text());
            for (String w : boot.words()) {
                String text = expand(w, pkgVars, boot.where());
                bootstrap.add(text);
                if (have.add(text)) firstBoot.add(new Spec(text, boot.where() + " (" + FIRST_BOOT + ": "
                        + (boot == own ? "firstboot.packages" : "alias node-bootstrap") + ")"));
            }
        }
        return new BuildPlan(target, version, repos, specs, urlPackages(c, target), c.packageMap().keySet(), topLevel, bootstrap, firstBoot, c.host(), c.origins());
    }

    /** Values usable in baseurls: the family's own ($releasever, $basearch / codename) and Pigsty vars. */
    private static Map<String, String> urlVars(Config c, Target t) {
        Map<String, String> v = new HashMap<>();
        for (Map.Entry<String, Node> e : c.vars().entrySet())
            if (!e.getValue().isMap() && !e.getValue().isList() && !e.getValue().isNull()) v.put(e.getKey(), e.getValue().text());
        if (t.family() == Family.RPM) {
            v.put("releasever", String.valueOf(t.major()));
            v.put("basearch", t.arch());
        } else {
            v.put("distro_codename", t.codename());
            v.put("distro_name", c.recipe().distroName());
        }
        return v;
    }

    private static List<PlannedRepo> repos(Config c, Target t, Map<String, String> vars) {
        Set<String> modules = new LinkedHashSet<>();
        Node rm = c.var("repo_modules");
        modules.addAll(rm == null ? List.of("infra", "node", "pgsql") : rm.words());
        modules.add("infra"); // Pigsty always includes the infra module
        String region = c.text("region", "default");
        List<PlannedRepo> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Config.Upstream u : c.upstream()) {
            if (!modules.contains(u.module())) continue;
            if (!u.releases().isEmpty() && !u.releases().contains(t.major())) continue;
            if (!u.arch().isEmpty() && !u.arch().contains(t.arch())) continue;
            String where = u.node().where();
            if (!names.add(u.name())) throw new ConfigException(where, "repo '" + u.name() + "' is defined twice for this target");
            String override = c.mirrors().get(u.name());
            Node chosen = u.baseurl().get(region);
            if (chosen == null || chosen.isNull() || chosen.text().isBlank()) chosen = u.baseurl().get("default");
            if (override == null && (chosen == null || chosen.isNull() || chosen.text().isBlank()))
                throw new ConfigException(where, "repo '" + u.name() + "' has no baseurl for region '" + region
                        + "' and no default; add baseurl.default or pass --mirror " + u.name() + "=URL");
            List<String> words = new ArrayList<>();
            if (chosen != null && !chosen.isNull())
                for (String s : chosen.text().trim().split("\\s+")) words.add(slashes(expand(s, vars, chosen.where())));
            if (chosen != null) where = chosen.where();
            Node pr = u.meta().get("priority");
            int priority = pr == null || pr.isNull() ? Repo.DEFAULT_PRIORITY : pr.integer();
            Node ex = u.meta().get("excludepkgs");
            if (ex == null) ex = u.meta().get("exclude");
            List<String> excludes = ex == null ? List.of() : ex.words();
            Node hot = u.meta().get("module_hotfixes"), skip = u.meta().get("skip_if_unavailable");
            boolean skipIfUnavailable = skip != null && skip.bool();
            if (t.family() == Family.RPM) {
                List<String> urls = override != null ? List.of(override.trim().split("\\s+")) : words;
                checkUrls(u.name(), urls, where);
                out.add(new PlannedRepo.YumRepo(u.name(), u.module(), urls, priority, excludes, hot != null && hot.bool(),
                        skipIfUnavailable, gpgkeys(c, u, urls)));
            } else {
                // apt: "URL SUITE COMPONENT..." or a flat "URL ./"; --mirror replaces the URL only
                if (words.size() < 2)
                    throw new ConfigException(where, "repo '" + u.name() + "': an apt baseurl is 'URL SUITE COMPONENT...' or 'URL ./', not '"
                            + String.join(" ", words) + "'");
                String suite = words.get(1);
                List<String> components = words.subList(2, words.size());
                if (suite.endsWith("/") != components.isEmpty())
                    throw new ConfigException(where, "repo '" + u.name() + "': " + (components.isEmpty()
                            ? "suite '" + suite + "' needs components (e.g. main), or write './' for a flat repo"
                            : "a flat repo ('" + suite + "') takes no components"));
                List<String> urls = List.of(override != null ? override.trim() : words.get(0));
                checkUrls(u.name(), urls, where);
                Node trustedNode = u.node().get("trusted");
                boolean trusted = trustedNode != null && trustedNode.bool();
                out.add(new PlannedRepo.AptRepo(u.name(), u.module(), urls, priority, excludes, skipIfUnavailable, suite,
                        components, trusted ? List.of() : keyrings(c, u, urls), trusted));
            }
        }
        for (String m : c.mirrors().keySet())
            if (!names.contains(m))
                throw new ConfigException("--mirror " + m, "no selected repo is named '" + m + "'; selected: "
                        + String.join(", ", new TreeSet<>(names)));
        if (out.isEmpty())
            throw new ConfigException(rm == null ? "repo_modules" : rm.where() + " (repo_modules)", "no upstream repo matches modules " + modules + " for "
                    + t.os() + " " + t.arch() + "; check repo_modules and the repo-spec's releases/arch");
        return out;
    }

    /** Pigsty writes {@code ${debian_mirror}/}; a mirror value that ends in a slash must not double it. */
    private static String slashes(String url) {
        return url.replaceAll("(?<!:)/{2,}", "/");
    }

    private static void checkUrls(String repo, List<String> urls, String where) {
        for (String url : urls)
            if (!url.startsWith("http://") && !url.startsWith("https://"))
                throw new ConfigException(where, "repo '" + repo + "': baseurl '" + url
                        + "' is not an http(s) URL; serve local mirrors over HTTP (e.g. python3 -m http.server)");
    }

    /**
     * The keyrings whose keys may sign an apt repo's Release: its own {@code keyring:} alone, else,
     * as apt trusts what it has, the shipped keys for its URL, the distro's archive key and the build
     * host's trusted keys.
     */
    private static List<Path> keyrings(Config c, Config.Upstream u, List<String> urls) {
        Node keyNode = u.node().get("keyring");
        if (keyNode == null || keyNode.isNull()) {
            List<Path> out = known(c, urls, c.keys().aptHost());
            if (out.isEmpty())
                throw new ConfigException(u.node().where(), "repo '" + u.name() + "': no key to check its Release signature: no shipped"
                        + " key matches its URL and the build host's apt trusts none; add keyring: (a file under repo-spec/ or"
                        + " /usr/share/keyrings/...) or trusted: true");
            return out;
        }
        Path keyring = c.recipe().home().resolve("repo-spec").resolve(keyNode.text().trim()).normalize();
        if (!Files.isRegularFile(keyring))
            throw new ConfigException(keyNode.where(), "repo '" + u.name() + "': keyring " + keyring + " not found"
                    + (keyring.startsWith("/usr/share/keyrings") ? " (install the distro's keyring package, e.g."
                    + " debian-archive-keyring or ubuntu-keyring)" : "") + "; or set trusted: true to skip the check");
        return List.of(keyring);
    }

    /** The shipped keys for these URLs and the target's distro, then the host's keys. */
    private static List<Path> known(Config c, List<String> urls, List<Path> host) {
        List<Path> out = new ArrayList<>();
        Family family = c.recipe().family();
        for (Config.Known k : c.keys().known())
            for (String url : urls)
                if (k.families().contains(family) && k.urls().stream().anyMatch(url.replaceFirst("^https?://", "")::startsWith)
                        && !out.contains(k.file())) out.add(k.file());
        for (Config.Known k : c.keys().known())
            if (k.families().contains(family) && k.distro().equals(c.recipe().distroName()) && Files.isRegularFile(k.file())
                    && !out.contains(k.file())) out.add(k.file());
        for (Path h : host) if (!out.contains(h)) out.add(h);
        return out;
    }

    /**
     * The keys whose signatures in a yum repo's RPMs are checked (dnf's gpgkey): its own
     * {@code gpgkey:} files alone (under repo-spec/ or /etc/pki/rpm-gpg/), else the shipped keys for
     * its URL and the build host's /etc/pki/rpm-gpg/ keys; none is allowed (its RPMs are then not
     * checked for a signature, and the bundle cannot turn gpgcheck on).
     */
    private static List<Path> gpgkeys(Config c, Config.Upstream u, List<String> urls) {
        Node keyNode = u.node().get("gpgkey");
        if (keyNode == null || keyNode.isNull()) return known(c, urls, c.keys().rpmHost());
        List<Path> out = new ArrayList<>();
        Path spec = c.recipe().home().resolve("repo-spec");
        for (String w : keyNode.words()) {
            Path key = spec.resolve(w.replaceFirst("^file://", "")).normalize();
            if (!key.startsWith(spec) && !key.startsWith("/etc/pki/rpm-gpg"))
                throw new ConfigException(keyNode.where(), "repo '" + u.name() + "': gpgkey " + w
                        + " is neither under repo-spec/ nor in /etc/pki/rpm-gpg/ (keys are files here, never fetched)");
            if (!Files.isRegularFile(key))
                throw new ConfigException(keyNode.where(), "repo '" + u.name() + "': gpgkey " + key + " not found");
            out.add(key);
        }
        return out;
    }

    /** Expands {@code $name} and {@code ${name}}; an unknown variable is an error at {@code where}. */
    private static String expand(String s, Map<String, String> vars, String where) {
        Matcher m = VAR.matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            String value = vars.get(name);
            if (value == null || value.isEmpty())
                throw new ConfigException(where, "'" + s + "' uses $" + name + ", which is not set; set it in the inventory or with -e "
                        + name + "=VALUE" + (name.endsWith("_mirror")
                        ? " (a mirror URL such as http://<mirror>/debian/; a build host of the same distro lends its own apt sources)" : ""));
            m.appendReplacement(b, Matcher.quoteReplacement(value));
        }
        m.appendTail(b);
        return b.toString();
    }

    private static List<Spec> specs(Config c, Map<String, String> pkgVars, Set<String> topLevel) {
        Map<String, Spec> specs = new LinkedHashMap<>();
        for (String key : List.of("repo_packages", "repo_extra_packages")) {
            Node list = c.var(key);
            if (list == null) continue;
            if (list.isNull())
                throw new ConfigException(list.where(), key + " is empty (~): give a list of packages or aliases ([] for none),"
                        + " or leave the key out for Pigsty's default");
            // From a file it is a list, as Pigsty iterates it (a string would be read letter by letter); -e gives words.
            if (list.line() > 0 && !list.isList())
                throw new ConfigException(list.where(), key + " must be a list, e.g. [ " + list.text() + " ], not a single value");
            for (Node group : list.isList() ? list.list() : List.of(list)) {
                if (group.isList() || group.isMap())
                    throw new ConfigException(group.where(), key + " holds " + group.kind() + "; each item is a package, an alias,"
                            + " or several of them separated by commas or spaces");
                for (String word : group.words()) {
                    Node alias = c.packageMap().get(word);
                    if (alias == null) {
                        String text = expand(word, pkgVars, group.where());
                        topLevel.add(text);
                        specs.putIfAbsent(text, new Spec(text, group.where() + " (" + key + ")"));
                        continue;
                    }
                    for (String w : alias.words()) {
                        String text = expand(w, pkgVars, alias.where());
                        specs.putIfAbsent(text, new Spec(text, alias.where() + " (alias " + word + " in " + key
                                + " at " + group.where() + ")"));
                    }
                }
            }
        }
        if (specs.isEmpty()) throw new ConfigException("repo_packages", "nothing to download: repo_packages and repo_extra_packages are empty");
        return new ArrayList<>(specs.values());
    }

    /**
     * {@code repo_url_packages} as Pigsty's repo role fetches them: {@code ${releasever}}, {@code ${arch}}
     * and {@code ${distro_codename}} filled in, and Pigsty's own host swapped for its China mirror when
     * {@code region} is china.
     */
    private static List<UrlPackage> urlPackages(Config c, Target t) {
        Node list = c.var("repo_url_packages");
        List<UrlPackage> out = new ArrayList<>();
        if (list == null || list.isNull()) return out;
        boolean china = c.text("region", "default").equals("china");
        for (Node n : list.list()) {
            String url, name, sha = null;
            Node nm = null;
            if (n.isMap()) {
                Node u = n.get("url");
                if (u == null) throw new ConfigException(n.where(), "a repo_url_packages entry needs a url");
                url = u.text().trim();
                nm = n.get("name");
                Node s = n.get("sha256");
                if (s != null && !s.isNull()) sha = s.text().trim().toLowerCase();
            } else {
                url = n.text().trim();
            }
            url = url.replace("${releasever}", String.valueOf(t.major())).replace("${arch}", t.arch())
                    .replace("${distro_codename}", t.codename());
            if (china) url = url.replace("pigsty.io", "pigsty.cc");
            if (url.contains("${")) throw new ConfigException(n.where(), "'" + url + "' uses a placeholder other than"
                    + " ${releasever}, ${arch} and ${distro_codename}, which are all Pigsty fills in");
            name = nm == null ? url.substring(url.lastIndexOf('/') + 1) : nm.text().trim();
            if (!url.startsWith("http://") && !url.startsWith("https://"))
                throw new ConfigException(n.where(), "'" + url + "' is not an http(s) URL");
            if (!SafePaths.safeFileName(name))
                throw new ConfigException(n.where(), "'" + name + "' is not a plain file name");
            if (sha != null && !sha.matches("[0-9a-f]{64}"))
                throw new ConfigException(n.where(), "sha256 must be 64 hex digits");
            out.add(new UrlPackage(name, url, sha, n.where()));
        }
        return out;
    }
}
