package io.pigsty.launcher;

import io.pigsty.bundle.BundleLayout.Firstboot;
import io.pigsty.bundle.BundleLayout;
import io.pigsty.bundle.Family;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.PrintStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * First boot, step by step: locate the bundle, verify it, extract it safely, wire the local repo,
 * install the bootstrap packages, place the inventory (and Pigsty's source), apply. Each step is
 * idempotent and journaled; a done step is skipped on the next run, a failed one is retried; a
 * lock keeps two runs apart.
 */
final class Launcher {
    /** The steps of a first boot, in order; the journal names them in lower case. */
    enum Step {
        LOCATE, VERIFY, EXTRACT, WIRE, INSTALL, PLACE, APPLY;

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The launcher's exit codes. */
    enum Exit {
        OK(0), FAILED(1), USAGE(2), LOCKED(3), INVALID(4);

        final int code;

        Exit(int code) {
            this.code = code;
        }
    }

    /** What the command line asked for. */
    record Options(Path root, String bundle, String repoDir, boolean force, boolean replaceIp, String inventory, String trust,
                   List<String> partDirs) {}

    private final Options o;
    private final Host host;
    private final PrintStream out;
    private final Path state;
    private Journal journal;
    private Bundle.Manifest manifest;

    Launcher(Options o, PrintStream out) {
        this.o = o;
        this.host = new Host(o.root());
        this.out = out;
        this.state = host.path("/var/lib/pigsty");
    }

    private Path repo() {
        return host.path(o.repoDir());
    }

    /**
     * The key bundles must be signed by: {@code --trust FILE}, else the host's
     * {@link BundleLayout#TRUSTED_KEY} (put there by a golden image or a seed), else none.
     */
    private Path trusted() throws IOException {
        if (o.trust() != null) {
            Path p = Path.of(o.trust());
            if (!Files.exists(p)) p = host.path(o.trust()); // as given (relative to the current directory), else in the root
            if (!Files.isRegularFile(p)) throw new IOException("trusted key " + o.trust() + " not found");
            return p;
        }
        Path baked = host.path(BundleLayout.TRUSTED_KEY);
        return Files.isRegularFile(baked) ? baked : null;
    }

    /** The bundle file as an archive: its parts looked for beside it and in every {@code --parts} directory. */
    private Archive archive(Path b) throws IOException {
        List<Path> dirs = new ArrayList<>();
        for (String d : o.partDirs()) {
            Path p = Files.isDirectory(Path.of(d)) ? Path.of(d) : host.path(d);
            if (!Files.isDirectory(p)) throw new IOException("--parts " + d + ": no such directory (is its medium mounted?)");
            dirs.add(p);
        }
        return Archive.of(b, dirs);
    }

    private Bundle.Manifest verified(Path b) throws IOException {
        Path key = trusted();
        Bundle.Manifest m = Files.isDirectory(b) ? Bundle.verifyTree(b, key) : Bundle.verifyArchive(archive(b), key);
        out.println(key != null ? "signature: good, by the trusted key " + key
                : "signature: not checked (no trusted key); to check by hand: gpg --verify <bundle>.tgz.asc <bundle>.tgz"
                + " with the publisher's key, or run with --trust KEYFILE (or put the key at " + BundleLayout.TRUSTED_KEY + ")");
        return m;
    }

    Exit apply() throws IOException {
        return apply(Step.APPLY);
    }

    /**
     * The steps up to {@code last}. An image build stops before {@link Step#PLACE}: the per-host steps
     * are its first boot's, which finds the earlier ones done in the journal.
     */
    Exit apply(Step last) throws IOException {
        Files.createDirectories(state);
        try (FileChannel ch = FileChannel.open(state.resolve("firstboot.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = ch.tryLock()) {
            if (lock == null) {
                out.println("another pigsty-launcher is working on this host (" + state.resolve("firstboot.lock") + "); try again later");
                return Exit.LOCKED;
            }
            journal = Journal.load(state.resolve("firstboot.json"));
            // another bundle named than the one journaled: its steps are not done, whatever the journal says
            String was = journal.value("bundle");
            if (o.force() || o.bundle() != null && was != null && !locate().toString().equals(was)) journal.reset();
            Step[] steps = Step.values();
            for (Step s : steps) {
                if (s.ordinal() > last.ordinal()) break;
                String step = s.id();
                // one line per step, numbered: the first-boot unit sends it to the console too
                String at = "[" + (s.ordinal() + 1) + "/" + steps.length + "] ";
                if (journal.done(step)) {
                    out.println(at + step + ": done earlier (" + journal.step(step).getOrDefault("detail", "") + ")");
                    continue;
                }
                Path log = state.resolve("firstboot").resolve(step + ".log");
                journal.started(step, log);
                String detail;
                try {
                    detail = run(s, log);
                } catch (Bundle.Invalid | Extractor.Refused e) {
                    journal.finished(step, false, e.getMessage());
                    out.println(at + step + ": REFUSED: " + e.getMessage());
                    return Exit.INVALID;
                } catch (IOException | RuntimeException e) {
                    journal.finished(step, false, String.valueOf(e.getMessage()));
                    out.println(at + step + ": FAILED: " + e.getMessage() + " (log: " + log + "; run again to retry)");
                    return Exit.FAILED;
                }
                journal.finished(step, true, detail);
                out.println(at + step + ": " + detail);
            }
            if (last != Step.APPLY) {
                out.println("prepared up to " + last.id() + "; the first boot does the rest; journal: " + state.resolve("firstboot.json"));
                return Exit.OK;
            }
            Path done = state.resolve("firstboot.done"); // the unit's ConditionPathExists: written once
            if (!Files.exists(done)) Files.writeString(done, "done\n");
            out.println("first boot complete; journal: " + state.resolve("firstboot.json"));
            return Exit.OK;
        }
    }

    Exit status() throws IOException {
        Journal j = Journal.load(state.resolve("firstboot.json"));
        boolean all = true;
        for (Step step : Step.values()) {
            Map<String, String> s = j.step(step.id());
            out.printf("%-8s %-8s %-25s %s%n", step.id(), s.getOrDefault("status", "pending"), s.getOrDefault("finished", ""),
                    s.getOrDefault("detail", ""));
            all &= j.done(step.id());
        }
        return all ? Exit.OK : Exit.FAILED;
    }

    Exit verify() throws IOException {
        try {
            Path b = locate();
            Bundle.Manifest m = verified(b);
            out.println(b + ": " + m.name() + " verified");
            return Exit.OK;
        } catch (Bundle.Invalid | Extractor.Refused e) {
            out.println("REFUSED: " + e.getMessage());
            return Exit.INVALID;
        }
    }

    private String run(Step step, Path log) throws IOException {
        return switch (step) {
            case LOCATE -> {
                Path b = locate();
                journal.put("bundle", b.toString());
                yield "bundle " + b;
            }
            case VERIFY -> {
                Path b = bundle();
                manifest = verified(b);
                yield manifest.name() + " verified";
            }
            case EXTRACT -> extract();
            case WIRE -> wire();
            case INSTALL -> install(log);
            case PLACE -> place();
            case APPLY -> applyInventory(log);
        };
    }

    private Path bundle() throws IOException {
        String b = journal.value("bundle");
        if (b == null) throw new IOException("no bundle located; run again");
        return Path.of(b);
    }

    /** The manifest of the extracted repo, once verify or extract has run (this run or earlier). */
    private Bundle.Manifest manifest() throws IOException {
        if (manifest == null) manifest = Bundle.parse(Files.readAllBytes(repo().resolve(BundleLayout.MANIFEST)), repo().toString());
        return manifest;
    }

    Path locate() throws IOException {
        if (o.bundle() != null) {
            Path p = Path.of(o.bundle());
            if (!Files.exists(p)) p = host.path(o.bundle()); // as given (relative to the current directory), else in the root
            if (!Files.exists(p)) throw new IOException("bundle " + o.bundle() + " not found");
            if (Files.isDirectory(p) && !Files.exists(p.resolve(BundleLayout.COMPLETE))
                    && Files.exists(p.resolve(BundleLayout.TOP).resolve(BundleLayout.COMPLETE)))
                p = p.resolve(BundleLayout.TOP); // a mounted repo ISO or a directory holding pigsty/
            return p.toAbsolutePath().normalize();
        }
        Path tmp = host.path(BundleLayout.PIGSTY_PKG);
        if (Files.isRegularFile(tmp)) return tmp;
        if (Files.isRegularFile(repo().resolve(BundleLayout.COMPLETE))) return repo();
        throw new IOException("no bundle found: pass --bundle FILE|DIR, put the tarball at " + BundleLayout.PIGSTY_PKG + ", or extract it to " + o.repoDir());
    }

    private String extract() throws IOException {
        Path b = bundle(), dest = repo();
        if (b.equals(dest)) return "already in place at " + o.repoDir();
        // this run's verify step read the archive; a run resumed after it reads it again
        Bundle.Manifest m = manifest != null ? manifest : Files.isDirectory(b) ? manifest() : verified(b);
        if (m.delta() != null) return applyDelta(b, dest, m.delta());
        if (Files.exists(dest)) {
            boolean valid;
            String existing;
            try {
                existing = Bundle.verifyTree(dest, trusted()).name();
                valid = true;
            } catch (IOException e) {
                existing = null;
                valid = false;
            }
            if (valid && existing.equals(manifest().name())) return o.repoDir() + " already holds " + existing;
            if (valid && !o.force())
                throw new IOException(o.repoDir() + " already holds another valid bundle (" + existing + "); pass --force to replace it");
            Path aside = dest.resolveSibling(dest.getFileName() + ".replaced-" + System.currentTimeMillis());
            Files.move(dest, aside, StandardCopyOption.ATOMIC_MOVE);
            out.println("extract: moved the previous " + (valid ? "" : "incomplete ") + "repo to " + aside);
        }
        Path staging = dest.resolveSibling("." + dest.getFileName() + ".staging-" + ProcessHandle.current().pid());
        delete(staging);
        try {
            int files;
            if (Files.isDirectory(b)) {
                files = copyTree(b, staging);
            } else {
                try (Tar tar = Tar.open(archive(b))) {
                    files = Extractor.extract(tar, staging, BundleLayout.TOP);
                }
            }
            manifest = Bundle.verifyTree(staging, trusted()); // what landed is what was verified
            Files.move(staging, dest, StandardCopyOption.ATOMIC_MOVE);
            return files + " files extracted to " + o.repoDir();
        } finally {
            delete(staging);
        }
    }

    /**
     * A delta onto the verified base at {@code dest}: every file the new repo_complete lists, from the
     * delta when it holds it, else linked from the base; checked whole, then swapped in for the base.
     */
    private String applyDelta(Path b, Path dest, Bundle.Delta delta) throws IOException {
        if (!Files.isDirectory(dest))
            throw new Bundle.Invalid("this is a delta onto " + delta.baseName() + ": " + o.repoDir() + " must hold that bundle, and holds nothing");
        Bundle.Manifest base;
        try {
            base = Bundle.verifyTree(dest, trusted());
        } catch (Bundle.Invalid e) {
            throw new Bundle.Invalid("this is a delta onto " + delta.baseName() + ", and " + o.repoDir() + " is not a whole bundle: " + e.getMessage());
        }
        String sha = Bundle.sha256(dest.resolve(BundleLayout.MANIFEST));
        if (!sha.equals(delta.baseManifestSha256()))
            throw new Bundle.Invalid("this is a delta onto " + delta.baseName() + " (manifest.json sha256 " + delta.baseManifestSha256()
                    + "), but " + o.repoDir() + " holds " + base.name() + " (sha256 " + sha + "): apply the full bundle instead");
        String pid = String.valueOf(ProcessHandle.current().pid());
        Path unpacked = dest.resolveSibling("." + dest.getFileName() + ".delta-" + pid);
        Path staging = dest.resolveSibling("." + dest.getFileName() + ".staging-" + pid);
        Path aside = dest.resolveSibling("." + dest.getFileName() + ".base-" + pid);
        delete(unpacked);
        delete(staging);
        try {
            try (Tar tar = Tar.open(archive(b))) {
                Extractor.extract(tar, unpacked, BundleLayout.TOP);
            }
            int fromDelta = 0, kept = 0;
            List<String> listed = new ArrayList<>(List.of(BundleLayout.COMPLETE));
            if (Files.exists(unpacked.resolve(BundleLayout.COMPLETE_SIGNATURE))) listed.add(BundleLayout.COMPLETE_SIGNATURE);
            for (String line : Files.readAllLines(unpacked.resolve(BundleLayout.COMPLETE)))
                if (line.length() > 66) listed.add(line.substring(66));
            for (String rel : listed) {
                Path to = staging.resolve(rel), from = unpacked.resolve(rel);
                Files.createDirectories(to.getParent());
                if (Files.isRegularFile(from)) {
                    Files.move(from, to);
                    fromDelta++;
                } else {
                    Path had = dest.resolve(rel);
                    if (!Files.isRegularFile(had)) throw new Bundle.Invalid(rel + " is in neither the delta nor its base");
                    try {
                        Files.createLink(to, had);
                    } catch (IOException | UnsupportedOperationException e) {
                        Files.copy(had, to);
                    }
                    kept++;
                }
            }
            manifest = Bundle.verifyTree(staging, trusted()); // the result is checked whole, as a full bundle is
            Files.move(dest, aside, StandardCopyOption.ATOMIC_MOVE);
            Files.move(staging, dest, StandardCopyOption.ATOMIC_MOVE);
            return "delta applied onto " + delta.baseName() + ": " + fromDelta + " files from the delta, " + kept + " kept; now "
                    + manifest.name();
        } finally {
            delete(unpacked);
            delete(staging);
            delete(aside);
        }
    }

    private static int copyTree(Path from, Path to) throws IOException {
        int n = 0;
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isSymbolicLink(p)) throw new Extractor.Refused(p + " is a symbolic link");
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(t);
                else {
                    Files.copy(p, t);
                    n++;
                }
            }
        }
        return n;
    }

    private String wire() throws IOException {
        boolean rpm = manifest().family() == Family.RPM;
        String repoUrl = o.repoDir().endsWith("/") ? o.repoDir() : o.repoDir() + "/";
        // A signed bundle's index is checked by dnf and apt themselves, with the key it ships.
        boolean signed = Files.isRegularFile(repo().resolve(BundleLayout.BUNDLE_KEY));
        String key = repoUrl + BundleLayout.BUNDLE_KEY;
        List<String> moved = new ArrayList<>();
        String checks = "";
        if (rpm) {
            Path dir = host.path("/etc/yum.repos.d");
            Files.createDirectories(dir);
            moved.addAll(moveAside(dir, "*.repo", dir.resolve("backup"), "pigsty-local.repo"));
            // Packages are checked by their own signatures too when the builder verified every one of them.
            List<String> rpmKeys = rpmKeys(repoUrl);
            List<String> gpgkeys = new ArrayList<>(rpmKeys);
            if (signed && !gpgkeys.contains("file://" + key)) gpgkeys.add(0, "file://" + key);
            writeIfChanged(dir.resolve("pigsty-local.repo"), "[pigsty-local]\nname=Pigsty local repo\nbaseurl=file://" + repoUrl
                    + "\nenabled=1\ngpgcheck=" + (rpmKeys.isEmpty() ? 0 : 1) + "\n" + (signed ? "repo_gpgcheck=1\n" : "")
                    + (gpgkeys.isEmpty() ? "" : "gpgkey=" + String.join(" ", gpgkeys) + "\n") + "module_hotfixes=1\n");
            if (!rpmKeys.isEmpty()) checks = rpmKeys.size() + " key(s) check every package's own signature";
        } else {
            Path apt = host.path("/etc/apt"), dir = apt.resolve("sources.list.d"), backup = apt.resolve("backup");
            Files.createDirectories(dir);
            if (Files.isRegularFile(apt.resolve("sources.list")) && Files.size(apt.resolve("sources.list")) > 0) {
                Files.createDirectories(backup);
                Files.move(apt.resolve("sources.list"), backup.resolve("sources.list"), StandardCopyOption.REPLACE_EXISTING);
                moved.add("sources.list");
            }
            moved.addAll(moveAside(dir, "*.{list,sources}", backup.resolve("sources.list.d"), "pigsty-local.list"));
            writeIfChanged(dir.resolve("pigsty-local.list"), "deb [" + (signed ? "signed-by=" + key : "trusted=yes") + "] file:" + repoUrl + " ./\n");
        }
        return "local repo wired" + (signed ? " (its index signature checked by " + (rpm ? "dnf" : "apt") + ")" : "")
                + (checks.isEmpty() ? "" : "; " + checks) + (moved.isEmpty() ? "" : "; moved to backup/: " + String.join(", ", moved));
    }

    /** The file URLs of the keys an EL bundle lists for gpgcheck ({@link BundleLayout#RPM_KEYS}, checked with the tree); none when it lists none. */
    private List<String> rpmKeys(String repoUrl) throws IOException {
        Path list = repo().resolve(BundleLayout.RPM_KEYS);
        if (!Files.isRegularFile(list)) return List.of();
        return Files.readAllLines(list).stream().filter(l -> !l.isBlank()).map(l -> "file://" + repoUrl + l).toList();
    }

    /** Moves repo definitions other than ours into a backup directory (reversible, as Pigsty's repo_remove). */
    private static List<String> moveAside(Path dir, String glob, Path backup, String keep) throws IOException {
        List<String> moved = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob)) {
            for (Path p : ds) {
                if (p.getFileName().toString().equals(keep) || !Files.isRegularFile(p)) continue;
                Files.createDirectories(backup);
                Files.move(p, backup.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                moved.add(p.getFileName().toString());
            }
        }
        Collections.sort(moved);
        return moved;
    }

    private String install(Path log) throws IOException {
        List<String> pkgs = new ArrayList<>(firstboot(Firstboot.PACKAGES) instanceof List<?> l ? l.stream().map(String::valueOf).toList()
                : firstboot(Firstboot.PACKAGES) != null ? List.of(String.valueOf(firstboot(Firstboot.PACKAGES)).split("[,\\s]+")) : manifest().bootstrap());
        pkgs.removeIf(String::isBlank);
        if (pkgs.isEmpty()) return "no bootstrap packages to install";
        int rc;
        if (manifest().family() == Family.RPM) {
            List<String> cmd = new ArrayList<>(List.of("dnf", "install", "-y", "--disablerepo=*", "--enablerepo=pigsty-local"));
            cmd.addAll(pkgs);
            rc = host.run(cmd, log, null);
        } else {
            rc = host.run(List.of("apt-get", "update", "-q"), log, null);
            if (rc == 0) {
                List<String> cmd = new ArrayList<>(List.of("apt-get", "install", "-y", "-q", "--no-install-recommends"));
                cmd.addAll(pkgs);
                rc = host.run(cmd, log, null);
            }
        }
        if (rc != 0) throw new IOException("installing " + String.join(" ", pkgs) + " exited with " + rc);
        return "installed " + String.join(" ", pkgs) + " from the local repo";
    }

    private String place() throws IOException {
        Path inventory = inventory();
        Path home = host.path(home());
        List<String> did = new ArrayList<>();
        Path src = null;
        if (Files.isDirectory(repo().resolve(BundleLayout.SRC_DIR)))
            try (Stream<Path> s = Files.list(repo().resolve(BundleLayout.SRC_DIR))) {
                src = s.filter(p -> p.toString().endsWith(".tgz") || p.toString().endsWith(".tar.gz")).sorted().findFirst().orElse(null);
            }
        if (src != null && !Files.exists(home)) {
            Path staging = home.resolveSibling("." + home.getFileName() + ".staging-" + ProcessHandle.current().pid());
            delete(staging);
            try (Tar tar = Tar.open(Archive.of(src, List.of()))) {
                Extractor.extract(tar, staging, null);
                Path top = staging.resolve(BundleLayout.TOP);
                Files.move(Files.isDirectory(top) ? top : staging, home, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                delete(staging);
            }
            did.add("Pigsty source extracted to " + home());
        }
        if (inventory == null || !Files.exists(inventory))
            return did.isEmpty() ? "the bundle holds no inventory to place" : String.join("; ", did);
        if (inventory.equals(home.resolve("pigsty.yml")) && !o.replaceIp()
                && !Boolean.TRUE.equals(firstboot(Firstboot.REPLACE_IP)))
            return String.join("; ", did) + (did.isEmpty() ? "" : "; ") + "inventory already in place at " + inventory;
        String text = Files.readString(inventory);
        if (o.replaceIp() || Boolean.TRUE.equals(firstboot(Firstboot.REPLACE_IP))) {
            Object p = firstboot(Firstboot.PLACEHOLDER_IP);
            String placeholder = p == null ? Firstboot.DEFAULT_PLACEHOLDER_IP : String.valueOf(p);
            String ip = primaryIp();
            if (ip == null) did.add("no primary IPv4 found: " + placeholder + " left as it is");
            else {
                text = text.replace(placeholder, ip);
                did.add("admin IP " + placeholder + " -> " + ip);
            }
        }
        Files.createDirectories(home);
        did.add(writeIfChanged(home.resolve("pigsty.yml"), text) ? "inventory placed at " + home() + "/pigsty.yml"
                : "inventory already in place");
        return String.join("; ", did);
    }

    private String applyInventory(Path log) throws IOException {
        if (inventory() == null) return "nothing to apply: no inventory in the bundle or in the Pigsty home";
        Object apply = firstboot(Firstboot.APPLY);
        String cmd = apply == null ? Firstboot.DEFAULT_APPLY : String.valueOf(apply);
        if (cmd.isBlank()) return "skipped: firstboot.apply is empty";
        int rc = host.run(List.of("sh", "-c", "cd '" + home() + "' && " + cmd), log, null);
        if (rc != 0) throw new IOException("'" + cmd + "' exited with " + rc);
        return "'" + cmd + "' succeeded";
    }

    /**
     * The inventory to apply: the one named with --inventory; else the Pigsty home's (a seed or the
     * operator put it there, and it is theirs: the bundle's never replaces it); else the bundle's own.
     * The home is the bundle inventory's {@code firstboot.home}, else the default.
     */
    private Path inventory() throws IOException {
        if (o.inventory() != null) return host.path(o.inventory());
        Path bundled = repo().resolve(BundleLayout.INVENTORY);
        if (!Files.exists(bundled)) bundled = null;
        Object h = firstboot(bundled, Firstboot.HOME);
        Path placed = host.path((h == null ? Firstboot.DEFAULT_HOME : String.valueOf(h)) + "/pigsty.yml");
        return Files.exists(placed) ? placed : bundled;
    }

    /** A value under {@code all.vars.firstboot} of the inventory, or null. */
    private Object firstboot(String key) throws IOException {
        return firstboot(inventory(), key);
    }

    private static Object firstboot(Path inv, String key) throws IOException {
        if (inv == null || !Files.exists(inv)) return null;
        Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(inv));
        Object vars = doc instanceof Map<?, ?> m && m.get("all") instanceof Map<?, ?> all ? all.get("vars") : doc;
        if (vars instanceof Map<?, ?> v && v.get(Firstboot.KEY) instanceof Map<?, ?> f) return f.get(key);
        return null;
    }

    private String home() throws IOException {
        Object h = firstboot(Firstboot.HOME);
        return h == null ? Firstboot.DEFAULT_HOME : String.valueOf(h);
    }

    /** The first IPv4 address of an interface that is up and not loopback. */
    static String primaryIp() throws IOException {
        List<NetworkInterface> nics = Collections.list(NetworkInterface.getNetworkInterfaces());
        nics.sort(Comparator.comparingInt(NetworkInterface::getIndex));
        for (NetworkInterface n : nics) {
            if (!n.isUp() || n.isLoopback() || n.isVirtual()) continue;
            for (InetAddress a : Collections.list(n.getInetAddresses()))
                if (a instanceof Inet4Address && !a.isLinkLocalAddress()) return a.getHostAddress();
        }
        return null;
    }

    private static boolean writeIfChanged(Path file, String text) throws IOException {
        if (Files.exists(file) && Files.readString(file).equals(text)) return false;
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return true;
    }

    static void delete(Path p) throws IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(x);
        }
    }
}
