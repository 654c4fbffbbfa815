package io.pigsty.offline.vm;

import io.pigsty.offline.model.BuildException;
import io.pigsty.offline.model.Checksum;
import io.pigsty.offline.model.ExitCode;
import io.pigsty.offline.model.Log;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A golden VM image, made the Packer way: the base cloud image (never changed: the work disk is a
 * qcow2 overlay on it) is booted under qemu with no network, the repo ISO and a preparation seed
 * attached; cloud-init in the VM runs the first-boot script with {@code --prepare} (the bundle
 * verified and copied to /www/pigsty, the launcher, its Java runtime and the bootstrap packages
 * installed from it, the first-boot unit enabled, cloud-init's state cleaned), says so on the console
 * and powers off. The overlay is then written out with qemu-img.
 */
public final class Golden {
    /** What the image is written as. */
    public enum DiskFormat {
        QCOW2, RAW;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static DiskFormat parse(String s) {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        }
    }

    /**
     * {@code base} the cloud image to start from; {@code grow} bytes added to its disk (the image's
     * cloud-init grows the root file system on boot, as cloud images do), or 0; {@code timeout} the
     * longest the preparation VM may run; {@code accel} KVM, TCG or the first that works.
     */
    public record Settings(Path base, java.util.Set<DiskFormat> formats, long grow, Duration timeout, Qemu.Accel accel) {
        public Settings {
            formats = formats.isEmpty() ? java.util.EnumSet.of(DiskFormat.QCOW2) : java.util.EnumSet.copyOf(formats);
        }
    }

    /** The image written, and the console log of its preparation. */
    public record Result(Path file, long size, String sha256, Path console) {}

    /** What the preparation VM needs attached besides the work disk. */
    public record Media(Path repoIso, Path seedIso) {}

    /** The preparation script's last word on success; anything else ends the build with exit 1. */
    static final String PREPARED = "pigsty: golden image prepared";
    private static final Pattern VIRTUAL_SIZE = Pattern.compile("\"virtual-size\":\\s*(\\d+)");
    private static final Pattern FORMAT = Pattern.compile("\"format\":\\s*\"([a-z0-9]+)\"");
    /** A preparation copies the bundle and installs a Java runtime: a VM needs this much memory. */
    private static final int MEMORY_MIB = 2048;

    private Golden() {}

    /** Whether {@code file} is a disk image rather than a tar (a docker-save base for the container image). */
    public static boolean isDiskImage(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(512);
            boolean tar = head.length >= 262 && new String(head, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
            return !tar;
        }
    }

    /** What qemu-img says of the base: its format and virtual size. */
    private record BaseImage(Path file, String format, long size) {}

    /** Checks the tools and the base image before any long work; exit 2 naming what is wrong. */
    public static void check(Settings s, String arch) throws IOException {
        base(s, arch);
    }

    private static BaseImage base(Settings s, String arch) throws IOException {
        if (!Files.isRegularFile(s.base()))
            throw new BuildException(ExitCode.CONFIG, "--base " + s.base() + ": no such image (give a cloud image, qcow2 or raw)");
        Qemu.require(arch);
        Path base = s.base().toAbsolutePath().normalize();
        String info = Qemu.img(List.of("info", "--output=json", base.toString()));
        String format = group(FORMAT, info, base);
        if (format.equals("raw") && !partitioned(base))
            throw new BuildException(ExitCode.CONFIG, "--base " + base + ": neither a qcow2 (or other qemu-img format) image nor a raw"
                    + " disk with a partition table; give the distro's cloud image");
        return new BaseImage(base, format, Long.parseLong(group(VIRTUAL_SIZE, info, base)));
    }

    /**
     * Prepares the image in {@code work} and writes it as {@code <name>.<format>} in {@code dir} for
     * each format asked for (with a {@code .sha256} beside each). A VM that fails, or powers off without
     * saying it is prepared, is exit 1 with the end of its console.
     */
    public static List<Result> build(Settings s, String arch, Media media, Path work, Path dir, String name, Log log) throws IOException {
        BaseImage b = base(s, arch);
        Path base = b.file();
        Files.createDirectories(work);
        Path disk = work.resolve("golden.qcow2");
        Files.deleteIfExists(disk);
        List<String> create = new ArrayList<>(List.of("create", "-q", "-f", "qcow2", "-F", b.format(), "-b", base.toString(), disk.toString()));
        if (s.grow() > 0) create.add(Long.toString(b.size() + s.grow()));
        Qemu.img(create);
        Path console = work.resolve("console.log");
        log.info("golden: preparing " + base.getFileName() + " in a VM (console: " + console + ")");
        Qemu.Ended ended = Qemu.boot(arch, s.accel(), List.of(new Qemu.Disk(disk, "qcow2", false), new Qemu.Disk(media.seedIso(), "raw", true),
                new Qemu.Disk(media.repoIso(), "raw", true)), MEMORY_MIB, console, s.timeout(), log);
        // the script's last word is near the end; a guest that floods its console is not read whole
        String said = Qemu.end(console, 1 << 20);
        if (ended.timedOut())
            throw new BuildException(ExitCode.FAILED, "the preparation VM did not power off within " + s.timeout().toMinutes()
                    + " min (raise --vm-timeout); the end of its console (" + console + "):\n" + Qemu.tail(console, 40));
        if (ended.exit() != 0 || !said.contains(PREPARED))
            throw new BuildException(ExitCode.FAILED, "the preparation VM " + (ended.exit() != 0 ? "failed (qemu exit " + ended.exit() + ")"
                    : "powered off without preparing the image") + "; the end of its console (" + console + "):\n" + Qemu.tail(console, 40));
        List<Result> made = new ArrayList<>();
        for (DiskFormat f : s.formats()) {
            Path out = dir.resolve(name + "." + f.id());
            Path tmp = dir.resolve("." + out.getFileName() + ".tmp" + ProcessHandle.current().pid());
            log.info("golden: writing " + out.getFileName());
            // qcow2 compressed for carrying; raw sparse, for dd to a disk or a cloud's raw import
            Qemu.img(f == DiskFormat.QCOW2 ? List.of("convert", "-q", "-c", "-O", "qcow2", disk.toString(), tmp.toString())
                    : List.of("convert", "-q", "-S", "4k", "-O", "raw", disk.toString(), tmp.toString()));
            String sha = Checksum.sha256Of(tmp);
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.writeString(out.resolveSibling(out.getFileName() + ".sha256"), sha + "  " + out.getFileName() + "\n");
            made.add(new Result(out, Files.size(out), sha, console));
        }
        Files.deleteIfExists(disk);
        return made;
    }

    /** Whether a raw file starts with an MBR or protective-MBR boot signature: anything else is no disk to boot. */
    private static boolean partitioned(Path raw) throws IOException {
        try (InputStream in = Files.newInputStream(raw)) {
            byte[] mbr = in.readNBytes(512);
            return mbr.length == 512 && (mbr[510] & 0xff) == 0x55 && (mbr[511] & 0xff) == 0xaa;
        }
    }

    private static String group(Pattern p, String json, Path base) {
        Matcher m = p.matcher(json);
        if (!m.find()) throw new BuildException(ExitCode.CONFIG, "--base " + base + ": qemu-img cannot read it as a disk image");
        return m.group(1);
    }
}
