package io.pigsty.offline.vm;

import io.pigsty.offline.model.BuildException;
import io.pigsty.offline.model.ExitCode;
import io.pigsty.offline.model.Log;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * qemu, the engine a golden image is made with: {@code qemu-img} for disks and a VM that runs until
 * it powers itself off. KVM when {@code /dev/kvm} can be opened, else TCG; never a network
 * ({@code -nic none}); the serial console goes to a log file, which is also how the VM reports.
 */
public final class Qemu {
    /** A disk attached as virtio: the cloud kernels have no AHCI driver, so no -cdrom. */
    public record Disk(Path file, String format, boolean readOnly) {}

    /** How a VM ended: its exit code, or timed out (killed). */
    public record Ended(int exit, boolean timedOut) {}

    /** The accelerator: KVM when {@code /dev/kvm} can be opened and works, else TCG; or either, forced. */
    public enum Accel {
        AUTO, KVM, TCG;

        public static Accel parse(String s) {
            return valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
        }
    }

    /**
     * A KVM guest that writes nothing to its console for this long is taken as a KVM that does not
     * work (a nested host's /dev/kvm can be there and hang every guest): the VM starts over under TCG.
     * Nothing has been written to the disks then: firmware and boot loader only read.
     */
    private static final long KVM_SILENCE_NANOS = TimeUnit.SECONDS.toNanos(90);

    /** Terminal escapes, the kernel's timestamp and a service's "name[pid]: " prefix: what a console line says is after them. */
    private static final Pattern CONSOLE_NOISE = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]|^\\[ *[0-9.]+\\] ([\\w.@-]+\\[\\d+\\]: )?");

    private Qemu() {}

    /** The system emulator for an arch, its machine and firmware options. */
    static List<String> machine(String arch, boolean kvm) {
        return switch (arch) {
            case "x86_64" -> List.of("qemu-system-x86_64", "-machine", "pc", "-accel", kvm ? "kvm" : "tcg", "-cpu", kvm ? "host" : "max");
            case "aarch64" -> List.of("qemu-system-aarch64", "-machine", "virt", "-accel", kvm ? "kvm" : "tcg", "-cpu", kvm ? "host" : "max",
                    "-bios", AARCH64_FIRMWARE);
            default -> throw new BuildException(ExitCode.CONFIG, "no VM for arch " + arch);
        };
    }

    static final String AARCH64_FIRMWARE = "/usr/share/qemu-efi-aarch64/QEMU_EFI.fd";

    /** Whether this host can run the VM with KVM. */
    static boolean kvm(String arch) {
        String host = System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch");
        return host.equals(arch) && Files.isReadable(Path.of("/dev/kvm")) && Files.isWritable(Path.of("/dev/kvm"));
    }

    /** Stops with exit 2 and what to install when a tool the VM needs is missing. */
    static void require(String arch) {
        List<String> missing = new ArrayList<>();
        for (String tool : List.of("qemu-img", machine(arch, false).get(0)))
            if (!onPath(tool)) missing.add(tool);
        if (arch.equals("aarch64") && !Files.isRegularFile(Path.of(AARCH64_FIRMWARE))) missing.add(AARCH64_FIRMWARE);
        if (!missing.isEmpty())
            throw new BuildException(ExitCode.CONFIG, "a golden image is made by booting it under qemu, and this host lacks "
                    + String.join(", ", missing) + " (Debian: apt-get install qemu-utils "
                    + (arch.equals("aarch64") ? "qemu-system-arm qemu-efi-aarch64" : "qemu-system-x86") + ")");
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":"))
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) return true;
        return false;
    }

    /**
     * Boots {@code disks} (the first is the boot disk) with {@code memoryMiB} and no network, until the
     * VM powers off or {@code timeout} passes (then it is killed). Console lines the VM marks as
     * progress ({@code pigsty...}, the launcher's numbered steps, cloud-init's stages) go to
     * {@code log} as they come; so does a line every minute saying it still runs.
     */
    static Ended boot(String arch, Accel accel, List<Disk> disks, int memoryMiB, Path serial, Duration timeout, Log log) throws IOException {
        boolean kvm = accel == Accel.KVM || accel == Accel.AUTO && kvm(arch);
        Ended e = boot(arch, kvm, accel == Accel.AUTO && kvm, disks, memoryMiB, serial, timeout, log);
        if (e != null) return e;
        log.warn("the VM wrote nothing to its console for " + TimeUnit.NANOSECONDS.toSeconds(KVM_SILENCE_NANOS)
                + " s under KVM: this host's /dev/kvm does not work; starting over with TCG (--vm-accel tcg skips the try)");
        return boot(arch, false, false, disks, memoryMiB, serial, timeout, log);
    }

    /** One boot; null when {@code probe} is set and the guest stayed silent under KVM. */
    private static Ended boot(String arch, boolean kvm, boolean probe, List<Disk> disks, int memoryMiB, Path serial, Duration timeout,
                              Log log) throws IOException {
        List<String> cmd = new ArrayList<>(machine(arch, kvm));
        // One vCPU under TCG: with two, about one Java run in ten in the guest died of a JVM fatal
        // error (SIGABRT), none in dozens with one; TCG gives a guest about one host core anyway.
        cmd.addAll(List.of("-m", Integer.toString(memoryMiB), "-smp", kvm ? "2" : "1", "-nic", "none", "-no-reboot", "-display", "none",
                "-monitor", "none", "-serial", "file:" + serial));
        for (Disk d : disks)
            cmd.addAll(List.of("-drive", "file=" + d.file() + ",if=virtio,format=" + d.format() + (d.readOnly() ? ",readonly=on" : "")));
        Files.deleteIfExists(serial);
        Files.createFile(serial);
        log.info("vm: booting with " + (kvm ? "KVM" : "TCG (no KVM here: slower)") + ", no network; console: " + serial);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(serial.resolveSibling(serial.getFileName() + ".qemu").toFile()).start();
        long start = System.nanoTime(), deadline = start + timeout.toNanos(), nextBeat = start + TimeUnit.MINUTES.toNanos(1);
        long offset = 0;
        StringBuilder partial = new StringBuilder();
        try {
            while (true) {
                boolean ended = p.waitFor(2, TimeUnit.SECONDS);
                offset = follow(serial, offset, partial, log);
                if (ended) return new Ended(p.exitValue(), false);
                long now = System.nanoTime();
                if (probe && offset == 0 && now - start > KVM_SILENCE_NANOS) {
                    p.destroyForcibly().waitFor();
                    return null;
                }
                if (now > deadline) {
                    p.destroyForcibly().waitFor();
                    return new Ended(-1, true);
                }
                if (now > nextBeat) {
                    log.info("vm: running for " + TimeUnit.NANOSECONDS.toMinutes(now - start) + " min");
                    nextBeat += TimeUnit.MINUTES.toNanos(1);
                }
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the VM ran", e);
        } finally {
            if (p.isAlive()) p.destroyForcibly();
        }
    }

    /** Reads the console from {@code offset}, reports the lines that say how the work goes; returns the new offset. */
    private static long follow(Path serial, long offset, StringBuilder partial, Log log) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(serial.toFile(), "r")) {
            long len = f.length();
            if (len <= offset) return offset;
            byte[] b = new byte[(int) Math.min(len - offset, 1 << 20)];
            f.seek(offset);
            f.readFully(b);
            partial.append(new String(b, StandardCharsets.UTF_8));
            int nl;
            while ((nl = partial.indexOf("\n")) >= 0) {
                String line = CONSOLE_NOISE.matcher(partial.substring(0, nl).replace("\r", "")).replaceAll("").strip();
                partial.delete(0, nl + 1);
                if (progress(line)) log.info("vm: " + line);
            }
            return offset + b.length;
        }
    }

    private static boolean progress(String line) {
        return line.startsWith("pigsty") || line.startsWith("firstboot:") || line.startsWith("signature:") || line.matches("\\[[0-9]/[0-9]] .*")
                || line.startsWith("Cloud-init v.");
    }

    /** The last {@code bytes} bytes of the console at most (a guest may write without end). */
    static String end(Path serial, int bytes) throws IOException {
        if (!Files.exists(serial)) return "";
        try (RandomAccessFile f = new RandomAccessFile(serial.toFile(), "r")) {
            long from = Math.max(0, f.length() - bytes);
            byte[] b = new byte[(int) (f.length() - from)];
            f.seek(from);
            f.readFully(b);
            return new String(b, StandardCharsets.ISO_8859_1);
        }
    }

    /** The last {@code lines} lines of the console, for a failure's message. */
    static String tail(Path serial, int lines) throws IOException {
        if (!Files.exists(serial)) return "(no console output)";
        List<String> all = end(serial, 1 << 16).lines().toList();
        List<String> out = new ArrayList<>();
        for (String l : all.subList(Math.max(0, all.size() - lines), all.size()))
            out.add(CONSOLE_NOISE.matcher(l.replace("\r", "")).replaceAll(""));
        return String.join("\n", out);
    }

    /** Runs a qemu-img command to its end; a failure is exit 1 with its output. */
    static String img(List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("qemu-img"));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) throw new BuildException(ExitCode.FAILED, "qemu-img " + String.join(" ", args) + " failed: " + out.strip());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: qemu-img", e);
        }
        return out;
    }
}
