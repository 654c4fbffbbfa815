package io.pigsty.launcher;

import io.pigsty.bundle.BundleLayout;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code pigsty-launcher apply | prepare | status | verify [--bundle FILE|DIR] [--root DIR] [--repo-dir DIR]
 * [--force] [--replace-ip] [--trust KEYFILE]}. Exit codes: 0 ok, 1 a step failed (run again to retry it), 2 usage,
 * 3 another run holds the lock, 4 the bundle was refused.
 */
public final class Main {
    private static final String USAGE = """
            usage: pigsty-launcher apply|prepare|status|verify [options]
              apply     locate, verify, extract, wire the local repo, install bootstrap packages,
                        place the inventory, run its apply command (journaled; done steps are skipped)
              prepare   the steps up to install, for a golden image: its first boot places and applies
              status    print the journal (/var/lib/pigsty/firstboot.json)
              verify    check a bundle without changing anything
            options:
              --bundle FILE|DIR  the offline tarball or an extracted pigsty/ directory
                                 (default: /tmp/pkg.tgz, else the repo dir)
              --repo-dir DIR     where the repo lives (default /www/pigsty)
              --root DIR         work on another root (image builds, tests); commands run in it by chroot
              --force            redo every step, and replace an existing valid repo
              --replace-ip       put this host's primary IPv4 in place of the inventory's placeholder admin IP
              --inventory FILE   apply this inventory (a cloud-init seed's) instead of the bundle's
              --parts DIR        where more parts of a split bundle are (repeatable: one per medium); --bundle
                                 then names the <name>.parts.json
              --trust KEYFILE    accept only a bundle signed by this OpenPGP public key, checked with gpgv
                                 before anything changes (default: /etc/pigsty/trusted.asc when present)
            """;

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    static int run(String[] args, PrintStream out) {
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
            out.print(USAGE);
            return (args.length == 0 ? Launcher.Exit.USAGE : Launcher.Exit.OK).code;
        }
        String cmd = args[0], bundle = null, repoDir = BundleLayout.REPO_DIR, inventory = null, trust = null;
        Path root = Path.of("/");
        boolean force = false, replaceIp = false;
        List<String> partDirs = new java.util.ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--bundle", "--root", "--repo-dir", "--inventory", "--trust", "--parts" -> {
                    if (i + 1 >= args.length) return usage(out, a + " needs a value");
                    String v = args[++i];
                    if (a.equals("--bundle")) bundle = v;
                    else if (a.equals("--root")) root = Path.of(v).toAbsolutePath().normalize();
                    else if (a.equals("--inventory")) inventory = v;
                    else if (a.equals("--trust")) trust = v;
                    else if (a.equals("--parts")) partDirs.add(v);
                    else repoDir = v;
                }
                case "--force" -> force = true;
                case "--replace-ip" -> replaceIp = true;
                default -> {
                    return usage(out, "unknown option " + a);
                }
            }
        }
        Launcher l = new Launcher(new Launcher.Options(root, bundle, repoDir, force, replaceIp, inventory, trust, partDirs), out);
        try {
            return switch (cmd) {
                case "apply" -> l.apply().code;
                case "prepare" -> l.apply(Launcher.Step.INSTALL).code;
                case "status" -> l.status().code;
                case "verify" -> l.verify().code;
                default -> usage(out, "unknown command " + cmd);
            };
        } catch (IOException e) {
            out.println("error: " + e.getMessage());
            return Launcher.Exit.FAILED.code;
        }
    }

    private static int usage(PrintStream out, String why) {
        out.println("error: " + why);
        out.print(USAGE);
        return Launcher.Exit.USAGE.code;
    }
}
