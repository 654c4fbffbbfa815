package io.pigsty.offline.metadata;

import io.pigsty.offline.format.RepoFiles;
import io.pigsty.offline.model.Checksum;
import io.pigsty.offline.model.Dep;
import io.pigsty.offline.model.Evr;
import io.pigsty.offline.model.Op;
import io.pigsty.offline.model.Package;
import io.pigsty.offline.model.Repo;
import io.pigsty.offline.model.Req;

import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A compact binary form of parsed packages, so a warm cache skips XML and Packages parsing the way
 * dnf's solv files do. Strings, versions and dependencies are written once and referred to by number
 * afterwards, which also shares every repeated one on reading (a library thousands of packages
 * require is one object, not thousands: less to decode, to hold and to collect). The packages are
 * written in segments of {@link #SEGMENT} packages, each with tables of its own, so the segments of
 * a distro's AppStream are decoded on all cores at once (two halves of CS9 AppStream share 5,000 of
 * their 105,000 strings: the copies cost 0.3 MB). The format is private to this build of the tool:
 * {@link #VERSION} changes whenever the model does, and a mismatch simply means "parse again".
 */
final class PackageCodec {
    private static final int MAGIC = 0x50474331; // "PGC1"
    static final int VERSION = 7;
    /** Packages per segment: CS9 AppStream (17,649) is four. */
    static final int SEGMENT = 5000;

    private PackageCodec() {}

    /**
     * Writes {@code parsed}: the header, the segments one after the other as they are encoded (none is
     * held: a cold plan's peak memory is the parse's), then where each ends, and last the offset of
     * that list as eight bytes.
     */
    static void write(DataOutputStream out, RepoFiles.Parsed parsed) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        Writer head = new Writer(out);
        head.varint(parsed.dropped().size());
        for (String d : parsed.dropped()) head.str(d);
        List<Package> pkgs = parsed.packages();
        int segments = Math.max(1, (pkgs.size() + SEGMENT - 1) / SEGMENT);
        long[] ends = new long[segments];
        for (int k = 0; k < segments; k++) {
            Writer w = new Writer(out);
            List<Package> part = pkgs.subList(k * pkgs.size() / segments, (k + 1) * pkgs.size() / segments);
            w.varint(part.size());
            for (Package p : part) w.pkg(p);
            ends[k] = out.size();
        }
        long trailer = out.size();
        head.varint(segments);
        for (long e : ends) head.varlong(e);
        out.writeLong(trailer);
    }

    /** Reads what {@link #write} wrote, packages attached to {@code repo}; null if the data is of another version. */
    static RepoFiles.Parsed read(byte[] data, Repo repo) throws IOException {
        return read((off, len) -> new java.io.ByteArrayInputStream(data, (int) Math.min(off, data.length), (int) Math.min(len, data.length)),
                data.length, repo);
    }

    /**
     * Reads what {@link #write} wrote in {@code file}, its segments on all cores, each through a small
     * buffer of its own: the file (15 MB for a distro's AppStream) is never held whole, which keeps a
     * warm plan's peak memory down.
     */
    static RepoFiles.Parsed read(Path file, Repo repo) throws IOException {
        return read((off, len) -> {
            java.nio.channels.SeekableByteChannel ch = Files.newByteChannel(file);
            ch.position(off);
            return java.nio.channels.Channels.newInputStream(ch);
        }, Files.size(file), repo);
    }

    /** Where the bytes come from: a stream from {@code off}, of which at most {@code len} bytes are read. */
    private interface Source {
        java.io.InputStream open(long off, long len) throws IOException;
    }

    private static RepoFiles.Parsed read(Source source, long size, Repo repo) throws IOException {
        if (size < 16) throw new EOFException("truncated");
        long trailer;
        try (java.io.InputStream in = source.open(size - 8, 8)) {
            Reader r = new Reader(in);
            trailer = (long) r.int32() << 32 | r.int32() & 0xffffffffL;
        }
        long[] offsets, lengths;
        List<String> dropped;
        try (java.io.InputStream in = source.open(0, size)) {
            Reader r = new Reader(in);
            if (r.int32() != MAGIC || r.int32() != VERSION) return null;
            if (trailer < 8 || trailer > size - 8) throw new IOException("corrupt trailer offset " + trailer);
            int nd = r.count(size);
            dropped = new ArrayList<>(nd);
            for (int i = 0; i < nd; i++) dropped.add(r.str());
            long at = r.consumed();
            try (java.io.InputStream t = source.open(trailer, size - 8 - trailer)) {
                Reader tr = new Reader(t);
                int n = tr.count(size);
                offsets = new long[n];
                lengths = new long[n];
                for (int k = 0; k < n; k++) {
                    long end = tr.varlong();
                    if (end < at || end > trailer) throw new IOException("corrupt segment end " + end);
                    offsets[k] = at;
                    lengths[k] = end - at;
                    at = end;
                }
                if (at != trailer || tr.consumed() != size - 8 - trailer) throw new IOException("corrupt: the segments do not end at the trailer");
            }
        }
        @SuppressWarnings("unchecked")
        List<Package>[] parts = new List[lengths.length];
        IOException[] failed = new IOException[1];
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        Runnable work = () -> {
            for (int k; (k = next.getAndIncrement()) < parts.length && failed[0] == null; ) {
                try (java.io.InputStream in = source.open(offsets[k], lengths[k])) {
                    Reader r = new Reader(in);
                    int n = r.count(lengths[k]);
                    List<Package> out = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) out.add(r.pkg(repo));
                    if (r.consumed() != lengths[k]) throw new IOException("corrupt segment " + k + ": it does not end where its length says");
                    parts[k] = out;
                } catch (IOException | RuntimeException e) {
                    synchronized (failed) {
                        if (failed[0] == null) failed[0] = e instanceof IOException io ? io : new IOException("corrupt segment: " + e, e);
                    }
                }
            }
        };
        int helpers = Math.min(parts.length, Runtime.getRuntime().availableProcessors()) - 1;
        List<Thread> threads = new ArrayList<>(helpers);
        for (int i = 0; i < helpers; i++) {
            Thread t = new Thread(work, "codec-" + i);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        work.run();
        for (Thread t : threads)
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while reading the parsed cache");
            }
        if (failed[0] != null) throw failed[0];
        int total = 0;
        for (List<Package> p : parts) total += p.size();
        List<Package> out = new ArrayList<>(total);
        for (List<Package> p : parts) out.addAll(p);
        return new RepoFiles.Parsed(out, dropped);
    }

    private static final class Writer {
        private final DataOutputStream out;
        private final Map<String, Integer> ids = new HashMap<>();
        private final Map<Evr, Integer> evrIds = new HashMap<>();
        private final Map<Dep, Integer> depIds = new HashMap<>();

        Writer(DataOutputStream out) {
            this.out = out;
        }

        void pkg(Package p) throws IOException {
            str(p.name());
            evr(p.evr());
            str(p.arch());
            deps(p.provides());
            reqs(p.requires());
            deps(p.conflicts());
            deps(p.obsoletes());
            reqs(p.weak());
            reqs(p.suggests());
            reqs(p.supplements());
            varint(p.files().size());
            for (String f : p.files()) str(f);
            str(p.location());
            varlong(p.size());
            str(p.checksum().algo());
            str(p.checksum().hex());
            str(p.multiArch());
        }

        void varint(int v) throws IOException {
            varlong(v & 0xffffffffL);
        }

        void varlong(long v) throws IOException {
            while ((v & ~0x7fL) != 0) {
                out.writeByte((int) (v & 0x7f) | 0x80);
                v >>>= 7;
            }
            out.writeByte((int) v);
        }

        /** 0 is null; a known string is its id + 1; a new one is written inline after the next id. */
        void str(String s) throws IOException {
            if (s == null) {
                varint(0);
                return;
            }
            Integer id = ids.get(s);
            if (id != null) {
                varint(id + 1);
                return;
            }
            int next = ids.size();
            ids.put(s, next);
            varint(next + 1);
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            varint(b.length);
            out.write(b);
        }

        /** A known value is its id + 1; a new one is 0, then written inline (and takes the next id). */
        private <T> boolean known(Map<T, Integer> table, T v) throws IOException {
            Integer id = table.get(v);
            if (id != null) {
                varint(id + 1);
                return true;
            }
            table.put(v, table.size());
            varint(0);
            return false;
        }

        void evr(Evr e) throws IOException {
            if (known(evrIds, e)) return;
            varint(e.epoch());
            str(e.version());
            str(e.release());
        }

        void dep(Dep d) throws IOException {
            if (known(depIds, d)) return;
            str(d.name());
            out.writeByte(d.op().ordinal());
            if (d.versioned()) evr(d.evr());
            str(d.archQualifier());
        }

        void deps(List<Dep> ds) throws IOException {
            varint(ds.size());
            for (Dep d : ds) dep(d);
        }

        void reqs(List<Req> rs) throws IOException {
            varint(rs.size());
            for (Req r : rs) req(r);
        }

        void req(Req r) throws IOException {
            if (r instanceof Req.Atom a) {
                out.writeByte(0);
                dep(a.dep());
            } else if (r instanceof Req.All a) {
                out.writeByte(1);
                reqs(a.parts());
            } else if (r instanceof Req.Any a) {
                out.writeByte(2);
                reqs(a.parts());
            } else if (r instanceof Req.Cond c) {
                out.writeByte(c.negate() ? 4 : 3);
                req(c.then());
                req(c.cond());
                out.writeBoolean(c.otherwise() != null);
                if (c.otherwise() != null) req(c.otherwise());
            } else if (r instanceof Req.With w) {
                out.writeByte(5);
                reqs(w.parts());
            } else if (r instanceof Req.Without w) {
                out.writeByte(6);
                req(w.what());
                req(w.not());
            }
        }
    }

    /** Decodes from one byte array: a warm plan spends its time here, on a cold JVM, so keep it plain. */
    private static final class Reader {
        private final java.io.InputStream in;
        private final byte[] b = new byte[1 << 16];
        private int pos, lim;
        private long consumed;
        private final List<String> strings = new ArrayList<>();
        private final List<Evr> evrs = new ArrayList<>();
        private final List<Dep> deps = new ArrayList<>();
        private final List<Req.Atom> atoms = new ArrayList<>(); // by dep id, made on first use
        private static final Op[] OPS = Op.values();
        /** No string the model holds is anywhere near this; a bigger length is a damaged file. */
        private static final int MAX_STRING = 16 << 20;

        Reader(java.io.InputStream in) {
            this.in = in;
        }

        private void fill() throws IOException {
            consumed += lim;
            pos = 0;
            lim = in.readNBytes(b, 0, b.length);
            if (lim <= 0) {
                lim = 0;
                throw new EOFException("truncated");
            }
        }

        private int next() throws IOException {
            if (pos == lim) fill();
            return b[pos++];
        }

        Package pkg(Repo repo) throws IOException {
            String name = str();
            Evr evr = evr();
            String arch = str();
            List<Dep> provides = deps();
            List<Req> requires = reqs();
            List<Dep> conflicts = deps(), obsoletes = deps();
            List<Req> weak = reqs(), suggests = reqs(), supplements = reqs();
            int nf = count(MAX_STRING);
            String[] files = new String[nf];
            for (int k = 0; k < nf; k++) files[k] = str();
            String location = str();
            long size = varlong();
            Checksum sum = new Checksum(str(), str());
            return new Package(name, evr, arch, provides, requires, conflicts, obsoletes, weak, suggests, supplements, List.of(files),
                    location, size, sum, repo, str());
        }

        /** A count of things each at least a byte long in {@code bytes}: a bigger one is a damaged file. */
        int count(long bytes) throws IOException {
            int n = varint();
            if (n < 0 || n > bytes) throw new IOException("corrupt count " + n);
            return n;
        }

        /** How many bytes were read so far. */
        long consumed() {
            return consumed + pos;
        }

        int int32() throws IOException {
            return (next() & 0xff) << 24 | (next() & 0xff) << 16 | (next() & 0xff) << 8 | (next() & 0xff);
        }

        int varint() throws IOException {
            return (int) varlong();
        }

        long varlong() throws IOException {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int x = next();
                v |= (long) (x & 0x7f) << shift;
                if ((x & 0x80) == 0) return v;
            }
            throw new EOFException("bad varint");
        }

        int u8() throws IOException {
            return next();
        }

        String str() throws IOException {
            int id = varint();
            if (id == 0) return null;
            if (id - 1 < strings.size()) return strings.get(id - 1);
            if (id - 1 != strings.size()) throw new IOException("corrupt string table");
            int len = varint();
            if (len < 0 || len > MAX_STRING) throw new IOException("corrupt string length " + len);
            String s;
            if (lim - pos >= len) {
                s = new String(b, pos, len, StandardCharsets.UTF_8);
                pos += len;
            } else { // across the buffer's end
                byte[] whole = new byte[len];
                int have = lim - pos;
                System.arraycopy(b, pos, whole, 0, have);
                pos = lim;
                if (in.readNBytes(whole, have, len - have) != len - have) throw new EOFException("truncated");
                consumed += len - have;
                s = new String(whole, StandardCharsets.UTF_8);
            }
            strings.add(s);
            return s;
        }

        /** The id + 1 of a known value, or 0 for a new one that follows inline; -1 ids are refused. */
        private int ref(int known) throws IOException {
            int id = varint();
            if (id < 0 || id > known) throw new IOException("corrupt value table");
            return id;
        }

        Evr evr() throws IOException {
            int id = ref(evrs.size());
            if (id > 0) return evrs.get(id - 1);
            Evr e = new Evr(varint(), str(), str());
            evrs.add(e);
            return e;
        }

        /** The id of the next dependency, read inline when new. */
        int depId() throws IOException {
            int id = ref(deps.size());
            if (id > 0) return id - 1;
            String name = str();
            Op op = OPS[u8()];
            Evr evr = op == Op.ANY ? Evr.NONE : evr();
            deps.add(new Dep(name, op, evr, str()));
            atoms.add(null);
            return deps.size() - 1;
        }

        Dep dep() throws IOException {
            return deps.get(depId());
        }

        Req.Atom atom() throws IOException {
            int id = depId();
            Req.Atom a = atoms.get(id);
            if (a == null) atoms.set(id, a = new Req.Atom(deps.get(id)));
            return a;
        }

        List<Dep> deps() throws IOException {
            int n = varint();
            if (n == 0) return List.of();
            Dep[] d = new Dep[n];
            for (int i = 0; i < n; i++) d[i] = dep();
            return List.of(d);
        }

        List<Req> reqs() throws IOException {
            int n = varint();
            if (n == 0) return List.of();
            Req[] r = new Req[n];
            for (int i = 0; i < n; i++) r[i] = req();
            return List.of(r);
        }

        Req req() throws IOException {
            int tag = u8();
            return switch (tag) {
                case 0 -> atom();
                case 1 -> new Req.All(reqs());
                case 2 -> new Req.Any(reqs());
                case 3, 4 -> {
                    Req then = req(), cond = req();
                    Req otherwise = u8() != 0 ? req() : null;
                    yield new Req.Cond(then, cond, otherwise, tag == 4);
                }
                case 5 -> new Req.With(reqs());
                case 6 -> new Req.Without(req(), req());
                default -> throw new IOException("corrupt requirement tag " + tag);
            };
        }
    }
}
