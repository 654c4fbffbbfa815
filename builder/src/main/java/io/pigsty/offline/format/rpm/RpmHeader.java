package io.pigsty.offline.format.rpm;

import io.pigsty.offline.format.Format;
import io.pigsty.offline.model.Checksum;
import io.pigsty.offline.model.Dep;
import io.pigsty.offline.model.Evr;
import io.pigsty.offline.model.MetadataException;
import io.pigsty.offline.model.Op;
import io.pigsty.offline.model.Package;
import io.pigsty.offline.model.Repo;
import io.pigsty.offline.model.Req;
import org.redline_rpm.header.AbstractHeader;
import org.redline_rpm.header.Header;
import org.redline_rpm.header.Lead;
import org.redline_rpm.header.Signature;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The metadata of an RPM file read from its header with Redline: for packages that come from
 * elsewhere than a yum repo (URL packages, the launcher), whose repodata records we must derive.
 */
final class RpmHeader implements Format.IndexRecord {
    // Header tags (rpmtag.h); Redline's enum lacks some, so all are read by number.
    private static final int NAME = 1000, VERSION = 1001, RELEASE = 1002, EPOCH = 1003, SUMMARY = 1004,
            DESCRIPTION = 1005, BUILDTIME = 1006, BUILDHOST = 1007, SIZE = 1009, VENDOR = 1011,
            LICENSE = 1014, PACKAGER = 1015, GROUP = 1016, URL = 1020, ARCH = 1022, OLDFILENAMES = 1027,
            FILEMODES = 1030, FILEFLAGS = 1037, SOURCERPM = 1044, ARCHIVESIZE = 1046, PROVIDENAME = 1047,
            REQUIREFLAGS = 1048, REQUIRENAME = 1049, REQUIREVERSION = 1050, CONFLICTFLAGS = 1053,
            CONFLICTNAME = 1054, CONFLICTVERSION = 1055, OBSOLETENAME = 1090, PROVIDEFLAGS = 1112,
            PROVIDEVERSION = 1113, OBSOLETEFLAGS = 1114, OBSOLETEVERSION = 1115, DIRINDEXES = 1116,
            BASENAMES = 1117, DIRNAMES = 1118, RECOMMENDNAME = 5046, RECOMMENDVERSION = 5047,
            RECOMMENDFLAGS = 5048, SOURCEPACKAGE = 1106;
    private static final int SIG_PAYLOADSIZE = 1007;
    private static final int SENSE_LESS = 2, SENSE_GREATER = 4, SENSE_EQUAL = 8, SENSE_PREREQ = 64,
            SENSE_PRE = 1 << 9, SENSE_POST = 1 << 10, SENSE_RPMLIB = 1 << 24;
    private static final int FILE_GHOST = 64;

    private record Entry(String name, int flags, String version) {
        Op op() {
            boolean lt = (flags & SENSE_LESS) != 0, gt = (flags & SENSE_GREATER) != 0, eq = (flags & SENSE_EQUAL) != 0;
            if (lt) return eq ? Op.LE : Op.LT;
            if (gt) return eq ? Op.GE : Op.GT;
            return eq ? Op.EQ : Op.ANY;
        }

        Evr evr() {
            return version.isEmpty() ? Evr.NONE : Evr.parse(version);
        }

        boolean pre() {
            return (flags & (SENSE_PREREQ | SENSE_PRE | SENSE_POST)) != 0;
        }
    }

    private record FileEntry(String path, boolean dir, boolean ghost) {}

    private final String name, arch, summary, description, packager, url, license, vendor, group, buildhost, sourcerpm;

    String license() {
        return license;
    }

    String vendor() {
        return vendor;
    }
    private final Evr evr;
    private final long buildTime, installedSize, archiveSize, packageSize, headerStart, headerEnd;
    private final List<Entry> provides, requires, conflicts, obsoletes, recommends;
    private final List<FileEntry> files;

    private RpmHeader(Header h, Signature sig, long headerStart, long headerEnd, long packageSize) {
        name = str(h, NAME);
        String epoch = first(h, EPOCH);
        evr = new Evr(epoch.isEmpty() ? 0 : Integer.parseInt(epoch), str(h, VERSION), str(h, RELEASE));
        boolean source = h.getEntry(SOURCEPACKAGE) != null;
        arch = source ? "src" : str(h, ARCH);
        summary = str(h, SUMMARY);
        description = str(h, DESCRIPTION);
        packager = str(h, PACKAGER);
        url = str(h, URL);
        license = str(h, LICENSE);
        vendor = str(h, VENDOR);
        group = str(h, GROUP);
        buildhost = str(h, BUILDHOST);
        sourcerpm = str(h, SOURCERPM);
        buildTime = num(h, BUILDTIME);
        installedSize = num(h, SIZE);
        long archive = num(h, ARCHIVESIZE);
        archiveSize = archive != 0 ? archive : num(sig, SIG_PAYLOADSIZE);
        this.headerStart = headerStart;
        this.headerEnd = headerEnd;
        this.packageSize = packageSize;
        provides = entries(h, PROVIDENAME, PROVIDEFLAGS, PROVIDEVERSION);
        requires = entries(h, REQUIRENAME, REQUIREFLAGS, REQUIREVERSION).stream()
                .filter(e -> (e.flags() & SENSE_RPMLIB) == 0 && !e.name().startsWith("rpmlib(")).distinct().toList();
        conflicts = entries(h, CONFLICTNAME, CONFLICTFLAGS, CONFLICTVERSION);
        obsoletes = entries(h, OBSOLETENAME, OBSOLETEFLAGS, OBSOLETEVERSION);
        recommends = entries(h, RECOMMENDNAME, RECOMMENDFLAGS, RECOMMENDVERSION);
        files = files(h);
    }

    static RpmHeader read(Path file, String fileName) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            // The header range createrepo records is where the main header starts and ends in the file.
            new Lead().read(ch);
            Signature sig = new Signature();
            sig.read(ch);
            long start = ch.position();
            Header h = new Header();
            h.read(ch);
            long end = ch.position();
            if (str(h, NAME).isEmpty()) throw new MetadataException(fileName + ": RPM header has no name");
            return new RpmHeader(h, sig, start, end, Files.size(file));
        } catch (MetadataException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new MetadataException(fileName + ": not a readable RPM package (" + e.getMessage() + ")", e);
        }
    }

    Package toPackage(String fileName, Checksum sha256, Repo origin) {
        List<Dep> prov = new ArrayList<>();
        for (Entry e : provides) prov.add(Dep.of(e.name(), e.op(), e.evr()));
        List<Req> req = new ArrayList<>();
        for (Entry e : requires) req.add(RpmDeps.requirement(e.name(), e.op(), e.evr()));
        List<Dep> con = new ArrayList<>(), obs = new ArrayList<>();
        for (Entry e : conflicts) if (!e.name().startsWith("(")) con.add(Dep.of(e.name(), e.op(), e.evr()));
        for (Entry e : obsoletes) obs.add(Dep.of(e.name(), e.op(), e.evr()));
        List<Req> weak = new ArrayList<>();
        for (Entry e : recommends) weak.add(RpmDeps.requirement(e.name(), e.op(), e.evr()));
        List<String> paths = files.stream().map(FileEntry::path).toList();
        return new Package(name, evr, arch, prov, req, con, obs, weak, List.of(), List.of(), paths, fileName, packageSize, sha256, origin, null);
    }

    // ---- repodata records -----------------------------------------------------------------------

    String primaryXml(Format.Shipped s) {
        StringBuilder b = new StringBuilder(4096);
        b.append("<package type=\"rpm\">");
        tag(b, "name", name);
        tag(b, "arch", arch);
        version(b, evr);
        b.append("<checksum type=\"sha256\" pkgid=\"YES\">").append(s.sha256()).append("</checksum>");
        tag(b, "summary", summary);
        tag(b, "description", description);
        tag(b, "packager", packager);
        tag(b, "url", url);
        b.append("<time file=\"").append(buildTime).append("\" build=\"").append(buildTime).append("\"/>");
        b.append("<size package=\"").append(s.size()).append("\" installed=\"").append(installedSize)
                .append("\" archive=\"").append(archiveSize).append("\"/>");
        b.append("<location href=\"");
        Records.escape(b, s.fileName(), true);
        b.append("\"/><format>");
        tag(b, "rpm:license", license);
        tag(b, "rpm:vendor", vendor);
        tag(b, "rpm:group", group);
        tag(b, "rpm:buildhost", buildhost);
        tag(b, "rpm:sourcerpm", sourcerpm);
        b.append("<rpm:header-range start=\"").append(headerStart).append("\" end=\"").append(headerEnd).append("\"/>");
        deps(b, "provides", provides, false);
        deps(b, "requires", requires, true);
        deps(b, "conflicts", conflicts, false);
        deps(b, "obsoletes", obsoletes, false);
        deps(b, "recommends", recommends, false);
        for (FileEntry f : files) if (primaryFile(f.path())) file(b, f);
        b.append("</format></package>");
        return b.toString();
    }

    String filelistsXml(String pkgid) {
        StringBuilder b = new StringBuilder(1024);
        b.append("<package pkgid=\"").append(pkgid).append("\" name=\"");
        Records.escape(b, name, true);
        b.append("\" arch=\"").append(arch).append("\">");
        version(b, evr);
        for (FileEntry f : files) file(b, f);
        return b.append("</package>").toString();
    }

    String otherXml(String pkgid) {
        return otherRecord(pkgid, name, arch, evr);
    }

    /** A filelists record from what the model knows, for upstream repos that publish no filelists. */
    static String filelistsRecord(String pkgid, Package p, List<String> paths) {
        StringBuilder b = new StringBuilder();
        b.append("<package pkgid=\"").append(pkgid).append("\" name=\"");
        Records.escape(b, p.name(), true);
        b.append("\" arch=\"").append(p.arch()).append("\">");
        version(b, p.evr());
        for (String f : paths) file(b, new FileEntry(f, false, false));
        return b.append("</package>").toString();
    }

    /** other.xml holds changelogs; the bundle ships none, only the record each package needs. */
    static String otherRecord(String pkgid, Package p) {
        return otherRecord(pkgid, p.name(), p.arch(), p.evr());
    }

    private static String otherRecord(String pkgid, String name, String arch, Evr evr) {
        StringBuilder b = new StringBuilder(256);
        b.append("<package pkgid=\"").append(pkgid).append("\" name=\"");
        Records.escape(b, name, true);
        b.append("\" arch=\"").append(arch).append("\">");
        version(b, evr);
        return b.append("</package>").toString();
    }

    /** createrepo's rule for which files primary.xml lists: config, binaries and sendmail. */
    static boolean primaryFile(String path) {
        return path.startsWith("/etc/") || path.contains("bin/") || path.equals("/usr/lib/sendmail");
    }

    private static void version(StringBuilder b, Evr e) {
        b.append("<version epoch=\"").append(e.epoch()).append("\" ver=\"");
        Records.escape(b, e.version(), true);
        b.append("\" rel=\"");
        Records.escape(b, e.release(), true);
        b.append("\"/>");
    }

    private static void file(StringBuilder b, FileEntry f) {
        b.append(f.dir() ? "<file type=\"dir\">" : f.ghost() ? "<file type=\"ghost\">" : "<file>");
        Records.escape(b, f.path(), false);
        b.append("</file>");
    }

    private static void tag(StringBuilder b, String tag, String text) {
        if (text.isEmpty()) {
            b.append('<').append(tag).append("/>");
            return;
        }
        b.append('<').append(tag).append('>');
        Records.escape(b, text, false);
        b.append("</").append(tag).append('>');
    }

    private static void deps(StringBuilder b, String kind, List<Entry> entries, boolean markPre) {
        if (entries.isEmpty()) return;
        b.append("<rpm:").append(kind).append('>');
        for (Entry e : entries) {
            b.append("<rpm:entry name=\"");
            Records.escape(b, e.name(), true);
            b.append('"');
            Op op = e.op();
            if (op != Op.ANY) {
                Evr v = e.evr();
                b.append(" flags=\"").append(RpmDeps.flags(op)).append("\" epoch=\"").append(v.epoch()).append("\" ver=\"");
                Records.escape(b, v.version(), true);
                b.append('"');
                if (v.hasRelease()) {
                    b.append(" rel=\"");
                    Records.escape(b, v.release(), true);
                    b.append('"');
                }
            }
            if (markPre && e.pre()) b.append(" pre=\"1\"");
            b.append("/>");
        }
        b.append("</rpm:").append(kind).append('>');
    }

    // ---- header access --------------------------------------------------------------------------

    private static Object values(AbstractHeader h, int tag) {
        AbstractHeader.Entry<?> e = h.getEntry(tag);
        return e == null ? null : e.getValues();
    }

    private static String str(AbstractHeader h, int tag) {
        Object v = values(h, tag);
        if (v instanceof String[] a) return a.length == 0 || a[0] == null ? "" : a[0];
        return v == null ? "" : String.valueOf(v);
    }

    private static String first(AbstractHeader h, int tag) {
        Object v = values(h, tag);
        if (v instanceof int[] a) return a.length == 0 ? "" : String.valueOf(a[0]);
        return str(h, tag);
    }

    private static String[] strs(AbstractHeader h, int tag) {
        Object v = values(h, tag);
        return v instanceof String[] a ? a : new String[0];
    }

    private static int[] ints(AbstractHeader h, int tag) {
        Object v = values(h, tag);
        if (v instanceof int[] a) return a;
        if (v instanceof short[] s) {
            int[] out = new int[s.length];
            for (int i = 0; i < s.length; i++) out[i] = s[i] & 0xffff;
            return out;
        }
        return new int[0];
    }

    private static long num(AbstractHeader h, int tag) {
        Object v = values(h, tag);
        if (v instanceof int[] a) return a.length == 0 ? 0 : a[0] & 0xffffffffL;
        if (v instanceof long[] a) return a.length == 0 ? 0 : a[0];
        return 0;
    }

    private static List<Entry> entries(Header h, int nameTag, int flagsTag, int versionTag) {
        String[] names = strs(h, nameTag);
        int[] flags = ints(h, flagsTag);
        String[] versions = strs(h, versionTag);
        List<Entry> out = new ArrayList<>(names.length);
        for (int i = 0; i < names.length; i++)
            out.add(new Entry(names[i], i < flags.length ? flags[i] : 0, i < versions.length ? versions[i] : ""));
        return out;
    }

    private static List<FileEntry> files(Header h) {
        String[] base = strs(h, BASENAMES);
        String[] dirs = strs(h, DIRNAMES);
        int[] idx = ints(h, DIRINDEXES);
        String[] paths;
        if (base.length > 0) {
            paths = new String[base.length];
            for (int i = 0; i < base.length; i++) paths[i] = dirs[idx[i]] + base[i];
        } else {
            paths = strs(h, OLDFILENAMES);
        }
        int[] modes = ints(h, FILEMODES);
        int[] fflags = ints(h, FILEFLAGS);
        List<FileEntry> out = new ArrayList<>(paths.length);
        for (int i = 0; i < paths.length; i++) {
            boolean dir = i < modes.length && (modes[i] & 0170000) == 0040000;
            boolean ghost = i < fflags.length && (fflags[i] & FILE_GHOST) != 0;
            out.add(new FileEntry(paths[i], dir, ghost));
        }
        return out;
    }
}
