package io.pigsty.offline.build;

import io.pigsty.bundle.BundleLayout;
import io.pigsty.offline.fetch.Cache;
import io.pigsty.offline.format.BundleKey;
import io.pigsty.offline.format.Format;
import io.pigsty.offline.format.Keyring;
import io.pigsty.offline.model.Checksum;
import io.pigsty.offline.model.Package;
import io.pigsty.offline.plan.BuildPlan;
import io.pigsty.offline.plan.PlannedRepo;
import io.pigsty.offline.repo.RepoTree;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Verified files in, signature-checked files out, for families whose packages are signed in
 * themselves (RPM): every package from a repo is checked against that repo's keys, a package from an
 * URL against all of them, and the packages made here (the launcher) are signed with the bundle's
 * key. When every package then verifies, the certificates that check them are shipped in
 * {@code keys/} with {@link BundleLayout#RPM_KEYS} listing them, and targets turn dnf's gpgcheck on.
 */
final class SignatureStep {
    /**
     * The items (a package signed here has its new file, checksum and record) and the key files to
     * lay into the tree, by path: none when some package cannot be checked on the target.
     */
    record Checked(List<RepoTree.Item> items, Map<String, String> keyFiles) {}

    private final BuildPlan plan;
    private final List<RepoTree.Item> items;
    private final Set<Path> madeHere;
    private final BundleKey key;
    private final long mtime;
    private final Cache cache;
    private final Reporter reporter;

    SignatureStep(BuildPlan plan, List<RepoTree.Item> items, List<LocalStep.Local> locals, BundleKey key, long mtime, Cache cache,
                  Reporter reporter) {
        this.plan = plan;
        this.items = items;
        Set<Path> made = new java.util.HashSet<>();
        for (LocalStep.Local l : locals) if (l.madeHere()) made.add(l.file());
        this.madeHere = made;
        this.key = key;
        this.mtime = mtime;
        this.cache = cache;
        this.reporter = reporter;
    }

    Checked call() throws IOException {
        Format format = plan.target().format();
        Keyring none = Keyring.union(List.of());
        // a family whose packages carry no signature of their own (a .deb) has nothing to check or sign here
        if (items.isEmpty() || format.checkSignature(items.get(0).source(), items.get(0).shipped().fileName(), none) == null)
            return new Checked(items, Map.of());
        Map<String, Keyring> byRepo = new HashMap<>();
        List<Keyring> all = new ArrayList<>();
        for (PlannedRepo r : plan.repos()) {
            if (!(r instanceof PlannedRepo.YumRepo y) || y.gpgkeys().isEmpty()) continue;
            Keyring k = Keyring.read(y.gpgkeys(), reporter.plain());
            byRepo.put(r.name(), k);
            all.add(k);
        }
        Keyring bundle = key == null ? null : Keyring.of(key.publicKeyArmored().getBytes(StandardCharsets.US_ASCII), "the bundle key");
        Keyring any = all.isEmpty() ? null : Keyring.union(all);
        // The packages made here signed first, then every file checked in parallel (each read once, header to payload).
        List<RepoTree.Item> out = new ArrayList<>(items.size());
        List<Keyring> keysOf = new ArrayList<>(items.size());
        for (RepoTree.Item it : items) {
            Package p = it.shipped().pkg();
            boolean made = madeHere.contains(it.source());
            out.add(made && key != null ? signed(format, it) : it);
            keysOf.add(made && key != null ? bundle : byRepo.containsKey(p.repo().name()) ? byRepo.get(p.repo().name())
                    : it.shipped().own() != null ? any : null);
        }
        Format.PackageSignature[] sigs = new Format.PackageSignature[out.size()];
        try {
            java.util.stream.IntStream.range(0, out.size()).parallel().forEach(i -> {
                try {
                    sigs[i] = format.checkSignature(out.get(i).source(), out.get(i).shipped().fileName(),
                            keysOf.get(i) != null ? keysOf.get(i) : none);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        Map<Long, Keyring> used = new TreeMap<>(); // primary key ID -> the keyring it came from
        Map<String, List<String>> uncovered = new LinkedHashMap<>(); // why -> packages
        for (int i = 0; i < out.size(); i++) {
            Format.PackageSignature sig = sigs[i];
            Format.Shipped s = out.get(i).shipped();
            Package p = s.pkg();
            Keyring keys = keysOf.get(i);
            String from = s.own() != null ? "repo_url_packages" : "repo '" + p.repo().name() + "'";
            switch (sig.status()) {
                case VERIFIED -> used.put(keys.primary(sig.keyId()), keys);
                case UNSIGNED -> uncovered.computeIfAbsent(madeHere.contains(items.get(i).source())
                        ? "made here, and the bundle is not signed (--sign-key signs it)" : "not signed", k -> new ArrayList<>()).add(s.fileName());
                case UNKNOWN_KEY -> uncovered.computeIfAbsent(keys == null
                        ? "signed, but no key is named for " + from + " (gpgkey: in the repo-spec entry)"
                        : "signed by key " + sig.detail() + ", not by a key named for " + from + " (gpgkey:)",
                        k -> new ArrayList<>()).add(s.fileName());
                case REFUSED -> uncovered.computeIfAbsent("signature refused: " + sig.detail(), k -> new ArrayList<>()).add(s.fileName());
            }
        }
        Map<String, String> files = new LinkedHashMap<>();
        if (!uncovered.isEmpty()) {
            StringBuilder b = new StringBuilder("dnf's gpgcheck stays off for this bundle (its index signature is still checked"
                    + " when the bundle is signed): " + uncovered.values().stream().mapToInt(List::size).sum() + " of " + items.size()
                    + " packages cannot be checked by their own signature:");
            uncovered.forEach((why, pkgs) -> b.append("\n  ").append(why).append(": ").append(String.join(", ",
                    pkgs.size() <= 5 ? pkgs : List.of(String.join(", ", pkgs.subList(0, 5)), "and " + (pkgs.size() - 5) + " more"))));
            if (key != null) reporter.warn(b.toString()); // asked for a signed bundle
            else reporter.info(b.toString());
            return new Checked(out, files);
        }
        Set<String> names = new TreeSet<>();
        for (Map.Entry<Long, Keyring> e : used.entrySet()) {
            String name = e.getValue() == bundle ? BundleLayout.BUNDLE_KEY : BundleLayout.KEYS_DIR + "/rpm-" + Keyring.id(e.getKey()) + ".asc";
            if (e.getValue() != bundle) files.put(name, e.getValue().certificate(e.getKey()));
            names.add(name);
        }
        files.put(BundleLayout.RPM_KEYS, String.join("\n", names) + "\n");
        reporter.info("every package's own signature verified with " + names.size() + " key(s): targets check them (gpgcheck=1)");
        return new Checked(out, files);
    }

    /** A package made here, signed with the bundle key into a new cache blob, and read again for its record. */
    private RepoTree.Item signed(Format format, RepoTree.Item it) throws IOException {
        Format.Shipped s = it.shipped();
        Path work = Files.createTempDirectory(cache.work("signing"), "pkg");
        try {
            Path copy = work.resolve(s.fileName());
            Files.copy(it.source(), copy, StandardCopyOption.REPLACE_EXISTING);
            format.signPackage(copy, key, mtime);
            Checksum sha = Checksum.sha256(Checksum.sha256Of(copy));
            Path blob = cache.store(copy, sha);
            Format.Inspected in = format.inspect(blob, s.fileName(), sha, s.pkg().repo());
            // the resolution's package stays the item's: only the file, its checksum and its record change
            return new RepoTree.Item(new Format.Shipped(s.pkg(), s.fileName(), sha.hex(), Files.size(blob), in.record()), blob);
        } finally {
            io.pigsty.offline.model.FileTrees.delete(work);
        }
    }
}
