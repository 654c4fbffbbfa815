package io.pigsty.offline.solve;

import io.pigsty.offline.config.HostApt;
import io.pigsty.offline.fetch.Cache;
import io.pigsty.offline.fetch.Fetcher;
import io.pigsty.offline.fixtures.AptSandbox;
import io.pigsty.offline.fixtures.Corpora;
import io.pigsty.offline.fixtures.Live;
import io.pigsty.offline.fixtures.Tools;
import io.pigsty.offline.format.Format;
import io.pigsty.offline.format.deb.DebFormat;
import io.pigsty.offline.metadata.Metadata;
import io.pigsty.offline.metadata.MetadataLoader;
import io.pigsty.offline.model.Log;
import io.pigsty.offline.model.Package;
import io.pigsty.offline.model.Repo;
import io.pigsty.offline.model.Spec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The resolver on live Debian 12 (the build host's own mirror, read from /etc/apt at run time),
 * judged by real apt-get in a sandbox with an empty dpkg status and the same three repos: the
 * infra set gives apt's own answer; for seeded random sets of 20 to 200 names from main our answer
 * is within 2 % of apt's and apt installs the request from our answer alone. (Which provider of a
 * virtual package apt takes is not yet followed everywhere: the report prints the differences.)
 */
class DebLiveAgreementTest {
    @TempDir
    static Path tmp;
    static Fetcher fetcher;
    static Metadata debian;
    static AptSandbox apt;

    static final List<String> INFRA = Live.DEBIAN_INFRA;

    @BeforeAll
    static void load() throws Exception {
        Map<String, String[]> mirrors = HostApt.mirrors(Path.of("/"), "debian");
        String main = mirrors.containsKey("debian_mirror") ? mirrors.get("debian_mirror")[0] : null;
        String security = mirrors.containsKey("debian_security_mirror") ? mirrors.get("debian_security_mirror")[0] : main;
        Live.skipLoudlyUnless(main != null, "this build host has no Debian apt sources to take a mirror from");
        Live.skipLoudlyUnless(Live.reachable(main + "dists/bookworm/InRelease"), "the host's Debian mirror cannot be reached");
        Path keyring = Path.of("/usr/share/keyrings/debian-archive-keyring.gpg");
        fetcher = new Fetcher(new Cache(tmp.resolve("cache")),
                new Fetcher.Settings(4, 3, Duration.ofSeconds(15), Duration.ofSeconds(60), Duration.ofMillis(500)), Log.QUIET);
        List<Format.Source> sources = List.of(
                source("base", main, "bookworm", keyring), source("updates", main, "bookworm-updates", keyring),
                source("security", security, "bookworm-security", keyring));
        debian = MetadataLoader.load(sources, DebFormat.INSTANCE, "amd64", fetcher, Log.QUIET);
        apt = new AptSandbox(tmp.resolve("apt"), "deb [signed-by=" + keyring + "] " + main + " bookworm main\n"
                + "deb [signed-by=" + keyring + "] " + main + " bookworm-updates main\n"
                + "deb [signed-by=" + keyring + "] " + security + " bookworm-security main\n", "amd64");
        apt.apt("update").ok();
    }

    @AfterAll
    static void close() {
        if (fetcher != null) fetcher.close();
    }

    static Format.Source source(String name, String url, String suite, Path keyring) {
        return new Format.Source(new Repo(name, 99, List.of(url)), List.of(), false, false,
                new Format.Dist(suite, List.of("main"), List.of(keyring), false));
    }

    /** apt's answer: name=version of every package it would install, or null when it refuses. */
    static Set<String> aptAnswer(List<String> names) {
        List<String> args = new ArrayList<>(List.of("install", "-s", "--no-install-recommends"));
        args.addAll(names);
        Tools.Run r = apt.apt(args.toArray(String[]::new));
        if (r.code() != 0) return null;
        Set<String> out = new TreeSet<>();
        for (String l : r.out().lines().toList())
            if (l.startsWith("Inst ")) {
                String[] t = l.split(" ");
                out.add(t[1] + "=" + t[2].substring(1));
            }
        return out;
    }

    static Set<String> ours(Resolution r) {
        Set<String> out = new TreeSet<>();
        for (Package p : r.packages()) out.add(p.name() + "=" + p.evr());
        return out;
    }

    static Resolution resolve(List<String> names) {
        return Resolver.resolve(debian.universe(), names.stream().map(n -> new Spec(n, "test")).toList(), new Resolver.Options(false));
    }

    @Test
    void theInfraSetIsAptsOwnAnswer() {
        Set<String> theirs = aptAnswer(INFRA);
        Resolution r = resolve(INFRA);
        assertTrue(theirs != null, "apt refuses the infra set");
        assertTrue(r.hardProblems().isEmpty(), r.hardProblems().toString());
        assertEquals(theirs, ours(r), "ours only " + minus(ours(r), theirs) + "; apt only " + minus(theirs, ours(r)));
        System.out.println("infra set: " + INFRA.size() + " names, " + theirs.size() + " packages, equal to apt's");
    }

    @Test
    void randomSetsFromMainAreAptsOwnAnswer() throws Exception {
        Random rnd = new Random(20261126);
        List<String> names = new ArrayList<>(new TreeSet<>(debian.universe().packages().stream()
                .filter(p -> p.repo().name().equals("base")).map(Package::name).toList()));
        int compared = 0, same = 0;
        StringBuilder report = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            Set<String> set = new LinkedHashSet<>();
            int size = 20 + rnd.nextInt(181);
            while (set.size() < size) set.add(names.get(rnd.nextInt(names.size())));
            List<String> req = List.copyOf(set);
            Set<String> theirs = aptAnswer(req);
            Resolution r = resolve(req);
            if (theirs == null) {
                if (!r.hardProblems().isEmpty()) {
                    report.append(String.format(Locale.ROOT, "set %2d: %3d names, apt and we refuse it%n", i, size));
                    continue;
                }
                // apt's resolver does not backtrack and gives up where an answer exists: apt must still
                // install the whole request from our answer alone.
                Set<String> own = aptOn(selection(r, i), req, tmp.resolve("apt-sel" + i));
                assertTrue(ours(r).containsAll(own) && !own.isEmpty(), "apt refuses set " + i + ", and our answer for it:\n"
                        + String.join(" ", own).substring(0, Math.min(3000, String.join(" ", own).length())));
                report.append(String.format(Locale.ROOT, "set %2d: %3d names, apt gives up; from our %d it installs the request (%d)%n",
                        i, size, ours(r).size(), own.size()));
                continue;
            }
            assertTrue(r.hardProblems().isEmpty(), "set " + i + ": apt installs it, we say " + r.hardProblems());
            compared++;
            Set<String> o = ours(r);
            if (o.equals(theirs)) same++;
            if (compared % 5 == 1) { // apt installs the request from our answer alone (every fifth set: each apt run costs seconds)
                Set<String> own = aptOn(selection(r, i), req, tmp.resolve("apt-sel" + i));
                assertTrue(o.containsAll(own) && !own.isEmpty(), "apt does not install set " + i + " from our answer alone: "
                        + String.join(" ", own).substring(0, Math.min(3000, String.join(" ", own).length())));
            }
            report.append(String.format(Locale.ROOT, "set %2d: %3d names, ours %4d, apt %4d%s%n", i, size, o.size(), theirs.size(),
                    o.equals(theirs) ? "" : "; ours only " + minus(o, theirs) + ", apt only " + minus(theirs, o)));
            if (Math.abs(o.size() - theirs.size()) > 0.02 * theirs.size()) report.append("  ^ more than 2 % apart\n");
        }
        System.out.printf("Debian main random sets: %d compared, %d identical to apt%n%s", compared, same, report);
        assertTrue(!report.toString().contains("more than 2 %"), report.toString());
        assertTrue(compared >= 25, "too few sets apt installs to compare:\n" + report);
    }

    /** Our answer for set {@code i} as a flat apt repo (Packages carried from upstream), as a bundle holds it. */
    private static Path selection(Resolution r, int i) throws Exception {
        return Corpora.selectionRepo(DebFormat.INSTANCE, debian.index(), r, fetcher, tmp.resolve("sel" + i));
    }

    /**
     * A Debian host that is not empty (the debootstrap minbase root the launcher test uses): resolved
     * with its dpkg status as the baseline, the answer ships only what the host lacks, and apt, starting
     * from that status, installs the request from our answer alone.
     */
    @Test
    void onAMinbaseHostOnlyWhatItLacksIsShippedAndAptInstallsIt() throws Exception {
        StringBuilder why = new StringBuilder();
        Path root = io.pigsty.offline.fixtures.DebianRoot.cached(why);
        Live.skipLoudlyUnless(root != null, why.toString());
        Path status = root.resolve("var/lib/dpkg/status");
        List<Package> host = DebFormat.INSTANCE.installed(java.nio.file.Files.readString(status), status.toString());
        assertTrue(host.size() > 50, "minbase has " + host.size() + " packages");
        Resolution empty = resolve(INFRA);
        Resolution onHost = Resolver.resolve(debian.universe(), INFRA.stream().map(n -> new Spec(n, "test")).toList(),
                new Resolver.Options(false), host);
        assertTrue(onHost.hardProblems().isEmpty(), onHost.hardProblems().toString());
        assertTrue(onHost.packages().size() < empty.packages().size(), onHost.packages().size() + " vs " + empty.packages().size());
        Path repo = Corpora.selectionRepo(DebFormat.INSTANCE, debian.index(), onHost, fetcher, tmp.resolve("sel-minbase"));
        AptSandbox own = new AptSandbox(tmp.resolve("apt-minbase"), repo, "amd64").withStatus(status);
        own.apt("update").ok();
        List<String> args = new ArrayList<>(List.of("install", "-s", "--no-install-recommends"));
        args.addAll(INFRA);
        String sim = own.apt(args.toArray(String[]::new)).ok().out();
        assertTrue(sim.contains("Inst ansible "), sim);
        System.out.printf("minbase baseline: %d installed; the infra set ships %d packages there, %d on an empty root; %d upgrades%n",
                host.size(), onHost.packages().size(), empty.packages().size(), onHost.upgrades().size());

        // The shipped minbase baseline (recipes/baselines, made by make-debian-minbase.sh) names what
        // debootstrap installs today, and the request installs onto it.
        Path shipped = Path.of("..").toAbsolutePath().normalize().resolve("recipes/baselines/d12-minbase.amd64.status");
        List<Package> recipe = DebFormat.INSTANCE.installed(java.nio.file.Files.readString(shipped), shipped.toString());
        assertEquals(new TreeSet<>(host.stream().map(Package::name).toList()), new TreeSet<>(recipe.stream().map(Package::name).toList()));
        Resolution onRecipe = Resolver.resolve(debian.universe(), INFRA.stream().map(n -> new Spec(n, "test")).toList(),
                new Resolver.Options(false), recipe);
        assertTrue(onRecipe.hardProblems().isEmpty(), onRecipe.hardProblems().toString());
    }

    /** apt's answer with one flat repo as its only source. */
    private static Set<String> aptOn(Path repo, List<String> names, Path dir) throws Exception {
        AptSandbox own = new AptSandbox(dir, repo, "amd64");
        own.apt("update").ok();
        List<String> args = new ArrayList<>(List.of("install", "-s", "--no-install-recommends"));
        args.addAll(names);
        Tools.Run r = own.apt(args.toArray(String[]::new));
        Set<String> out = new TreeSet<>();
        for (String l : r.out().lines().toList())
            if (l.startsWith("Inst ")) {
                String[] t = l.split(" ");
                out.add(t[1] + "=" + t[2].substring(1));
            }
        return r.code() == 0 ? out : Set.of("apt refused: " + r.out());
    }

    private static List<String> minus(Set<String> a, Set<String> b) {
        List<String> out = new ArrayList<>(a);
        out.removeAll(b);
        return out;
    }
}
