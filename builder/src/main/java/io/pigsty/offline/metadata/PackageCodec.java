package io.pigsty.offline.metadata;

import io.pigsty.offline.format.RepoFiles;
import io.pigsty.offline.model.Checksum;
import io.pigsty.offline.model.Dep;
import io.pigsty.offline.model.Evr;
import io.pigsty.offline.model.Op;
import io.pigsty.offline.model.Package;
import io.pigsty.offline.model.Repo;
import io.pigsty.offline.model.Req;
import io.pigsty.offline.model.Universe;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.ObjIntConsumer;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * A binary form of parsed packages that is read where it lies, the way libsolv reads its .solv
 * files: a warm plan maps the file, makes each package's identity (name, version, arch, location,
 * checksum), and decodes a package's dependencies only when the solve first asks for them. The
 * indexes the universe looks keys up in (provides, files, obsoletes, required paths) are hash
 * tables in the file, so no package is decoded to index it. Strings, versions and dependencies are
 * pooled and made into objects once, on first use. A CRC-32C over the whole file is checked when it
 * is opened (a few ms for CS9 AppStream's 10 MB): nothing decoded later can then be damaged. The
 * format is private to this build of the tool: {@link #VERSION} changes whenever the model does,
 * and a mismatch means "parse again".
 *
 * <p>Layout: magic, version; each package's dependency record; each package's identity; the four
 * indexes (ordinal lists, then a table of slots: key hash, key string, list offset); the dropped
 * records; the pools of dependencies, versions and strings (entries, then a fixed-size offset per
 * entry); the trailer of fixed-size section offsets and counts; the trailer's offset; last, the
 * CRC-32C of everything before it.
 */
final class PackageCodec {
    private static final int MAGIC = 0x50474331; // "PGC1"
    static final int VERSION = 9;
    private static final Package.Table.Index[] INDEXES = Package.Table.Index.values();
    private static final Op[] OPS = Op.values();
    /** No string the model holds is anywhere near this; a bigger one is not written. */
    private static final int MAX_STRING = 16 << 20;

    private PackageCodec() {}

    /** Writes {@code parsed}; a file that would pass 2 GiB is refused (the cache is then skipped). */
    static void write(DataOutputStream out, RepoFiles.Parsed parsed) throws IOException {
        Writer w = writer(out);
        for (Package p : parsed.packages()) w.add(p);
        parsed.dropped().forEach(w::drop);
        w.finish();
    }

    /** A writer to which a parse hands its packages one by one; {@link Writer#finish} ends the file. */
    static Writer writer(DataOutputStream out) throws IOException {
        return new Writer(out);
    }

    /** Reads what {@link #write} wrote in {@code data}; null if it is of another version. */
    static RepoFiles.Parsed read(byte[] data, Repo repo) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(data);
        CRC32C crc = new CRC32C();
        crc.update(data, 0, Math.max(0, data.length - 4));
        Opened o = open(buf, crc);
        return o == null ? null : o.parsed(repo);
    }

    /** {@link #open(Path, boolean)}, its packages attached to {@code repo}. */
    static RepoFiles.Parsed read(Path file, Repo repo, boolean fresh) throws IOException {
        Opened o = open(file, fresh);
        return o == null ? null : o.parsed(repo);
    }

    /** A file checked and its packages' identities decoded, ready to become packages of a repo. */
    interface Opened {
        /** The packages, attached to {@code repo}; once per file opened. */
        RepoFiles.Parsed parsed(Repo repo);
    }

    /**
     * Maps {@code file} and decodes the packages' identities; null if it is of another version. The
     * rest is read as the solve asks. Unless {@code fresh} (this run has just written it), the CRC is
     * checked first, through reads rather than the map, so the pages no solve asks for stay out of
     * this process's memory.
     */
    static Opened open(Path file, boolean fresh) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) throw new IOException("too large: " + size + " bytes");
            CRC32C crc = null;
            if (!fresh) {
                crc = new CRC32C();
                ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 18);
                for (long at = 0, end = Math.max(0, size - 4); at < end; ) {
                    chunk.clear().limit((int) Math.min(chunk.capacity(), end - at));
                    int n = ch.read(chunk, at);
                    if (n < 0) throw new IOException("truncated");
                    crc.update(chunk.flip());
                    at += n;
                }
            }
            return open(ch.map(FileChannel.MapMode.READ_ONLY, 0, size), crc);
        }
    }

    /** {@code crc}: the CRC-32C of all but the last four bytes, to check; null when the file needs no check. */
    private static Opened open(ByteBuffer buf, CRC32C crc) throws IOException {
        int size = buf.limit();
        if (size < 8 + Trailer.BYTES + 12) throw new IOException("truncated");
        if (buf.getInt(0) != MAGIC || buf.getInt(4) != VERSION) return null;
        if (crc != null && (int) crc.getValue() != buf.getInt(size - 4)) throw new IOException("damaged: its CRC-32C does not match");
        long trailer = buf.getLong(size - 12);
        if (trailer != size - 12 - Trailer.BYTES) throw new IOException("corrupt trailer offset " + trailer);
        Trailer t = new Trailer(buf, (int) trailer);
        try {
            return new Table(buf, t);
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new IOException("corrupt: " + e, e);
        }
    }

    /** Where each section starts and how many entries it has: fixed-size ints before the trailer's offset and the CRC. */
    private static final class Trailer {
        static final int FIELDS = 10 + 2 * INDEXES.length;
        static final int BYTES = 4 * FIELDS;
        final int packages, heads, dropped, deps, depOffsets, evrs, evrOffsets, strings, stringOffsets, stringCount;
        final int[] slots = new int[INDEXES.length], slotCounts = new int[INDEXES.length];

        Trailer(ByteBuffer b, int at) {
            int[] v = new int[FIELDS];
            for (int i = 0; i < FIELDS; i++) v[i] = b.getInt(at + 4 * i);
            packages = v[0];
            heads = v[1];
            dropped = v[2];
            deps = v[3];
            depOffsets = v[4];
            evrs = v[5];
            evrOffsets = v[6];
            strings = v[7];
            stringOffsets = v[8];
            stringCount = v[9];
            for (int i = 0; i < INDEXES.length; i++) {
                slots[i] = v[10 + 2 * i];
                slotCounts[i] = v[11 + 2 * i];
            }
        }

        static void write(DataOutputStream out, int... v) throws IOException {
            if (v.length != FIELDS) throw new IllegalArgumentException("trailer of " + v.length);
            for (int x : v) out.writeInt(x);
        }
    }

    /**
     * Values numbered in the order first seen, found again by hash in a flat table: a HashMap entry
     * per string and dependency of a distro's AppStream held about 30 MB while writing.
     */
    private static final class Pool<T> {
        final List<T> items = new ArrayList<>();
        private int[] slots = new int[1 << 10]; // item number + 1; 0 is empty

        int id(T v) {
            int mask = slots.length - 1;
            for (int i = spread(v.hashCode()) & mask; ; i = (i + 1) & mask) {
                int at = slots[i];
                if (at == 0) break;
                if (items.get(at - 1).equals(v)) return at - 1;
            }
            items.add(v);
            if (items.size() * 2 > slots.length) {
                slots = new int[slots.length * 2];
                for (int k = 0; k < items.size(); k++) place(k);
            } else {
                place(items.size() - 1);
            }
            return items.size() - 1;
        }

        private void place(int k) {
            int mask = slots.length - 1, i = spread(items.get(k).hashCode()) & mask;
            while (slots[i] != 0) i = (i + 1) & mask;
            slots[i] = k + 1;
        }
    }

    /**
     * Growable arrays in chunks of a fixed size: a doubled array leaves its old copy behind, and in a
     * cold plan's JVM (survivors promoted at once) every copy stayed in the old generation.
     */
    private static final int CHUNK = 1 << 12;

    private static final class Ints {
        private int[][] chunks = new int[8][];
        int n;

        void add(int v) {
            int c = n / CHUNK;
            if (c == chunks.length) chunks = Arrays.copyOf(chunks, c * 2);
            if (chunks[c] == null) chunks[c] = new int[CHUNK];
            chunks[c][n++ % CHUNK] = v;
        }

        int get(int i) {
            return chunks[i / CHUNK][i % CHUNK];
        }

        void set(int i, int v) {
            chunks[i / CHUNK][i % CHUNK] = v;
        }
    }

    private static final class Longs {
        private long[][] chunks = new long[8][];
        int n;

        void add(long v) {
            int c = n / CHUNK;
            if (c == chunks.length) chunks = Arrays.copyOf(chunks, c * 2);
            if (chunks[c] == null) chunks[c] = new long[CHUNK];
            chunks[c][n++ % CHUNK] = v;
        }

        long get(int i) {
            return chunks[i / CHUNK][i % CHUNK];
        }

        /** The values in ascending order. */
        long[] sorted() {
            long[] s = new long[n];
            for (int i = 0; i < n; i += CHUNK) System.arraycopy(chunks[i / CHUNK], 0, s, i, Math.min(CHUNK, n - i));
            Arrays.sort(s);
            return s;
        }
    }

    static final class Writer implements RepoFiles.Sink {
        private final DataOutputStream raw;
        private final CRC32C crc = new CRC32C();
        /** Everything before the CRC goes through it, in buffered chunks. */
        private final DataOutputStream out;
        private final Pool<String> strings = new Pool<>();
        private final Pool<Evr> evrs = new Pool<>();
        private final Pool<Dep> deps = new Pool<>();
        /**
         * Each index's entries as (key's string number << 32 | entry number), so sorting them groups
         * a key's entries in the order they were added (ascending ordinals); an entry's ordinal and,
         * under PROVIDES, its provide (-1: listed by its own name) are kept by entry number.
         */
        private final Longs[] entries = new Longs[INDEXES.length];
        private final Ints entryOrdinal = new Ints(), entryDep = new Ints();
        /** Each package's identity, as pool numbers, until its record is written after all dependency records. */
        private static final int HEAD = 8;
        private Ints heads = new Ints();
        private Longs sizes = new Longs();
        private int packages;
        private final List<String> dropped = new ArrayList<>();
        private IOException failed;

        private Writer(DataOutputStream raw) throws IOException {
            this.raw = raw;
            this.out = new DataOutputStream(new BufferedOutputStream(new CheckedOutputStream(raw, crc), 1 << 16));
            for (int i = 0; i < entries.length; i++) entries[i] = new Longs();
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
        }

        private int at() throws IOException {
            int n = out.size();
            if (n == Integer.MAX_VALUE) throw new IOException("too large to cache");
            return n;
        }

        private void entry(Package.Table.Index index, String key, int ordinal, int dep) {
            entries[index.ordinal()].add((long) sid(key) << 32 | entryOrdinal.n);
            entryOrdinal.add(ordinal);
            entryDep.add(dep);
        }

        /**
         * Writes {@code p}'s dependency record and keeps its identity and index keys: nothing holds
         * {@code p} after. A write that fails is kept for {@link #finish} to throw, so a parse going
         * on is never stopped by the cache's disk.
         */
        @Override
        public void add(Package p) {
            if (failed != null) return;
            try {
                record(p);
            } catch (IOException e) {
                failed = e;
            }
        }

        private void record(Package p) throws IOException {
            int ordinal = packages++;
            heads.add(at());
            depIds(p.provides());
            reqs(p.requires());
            depIds(p.conflicts());
            depIds(p.obsoletes());
            reqs(p.weak());
            reqs(p.suggests());
            reqs(p.supplements());
            varint(p.files().size());
            for (String f : p.files()) str(f);
            heads.add(sid(p.name()));
            heads.add(evrs.id(p.evr()));
            heads.add(sid(p.arch()));
            heads.add(sid(p.location()));
            heads.add(sid(p.checksum().algo()));
            heads.add(sid(p.checksum().hex()));
            heads.add(p.multiArch() == null ? -1 : sid(p.multiArch()));
            sizes.add(p.size());
            Universe.provideKeys(p, (k, d) -> entry(Package.Table.Index.PROVIDES, k, ordinal, d == null ? -1 : deps.id(d)));
            for (Package.Table.Index x : INDEXES)
                if (x != Package.Table.Index.PROVIDES) Universe.keys(x, p, k -> entry(x, k, ordinal, -1));
        }

        @Override
        public void drop(String line) {
            dropped.add(line);
        }

        /** Writes the identities, indexes, pools and trailer after the records; throws a failed write. */
        void finish() throws IOException {
            if (failed != null) throw failed;
            int headsAt = at();
            for (int i = 0; i < packages; i++) {
                int h = i * HEAD;
                varint(heads.get(h + 1) + 1);
                varint(heads.get(h + 2));
                varint(heads.get(h + 3) + 1);
                varint(heads.get(h + 4) + 1);
                varlong(sizes.get(i));
                varint(heads.get(h + 5) + 1);
                varint(heads.get(h + 6) + 1);
                varint(heads.get(h + 7) + 1);
                varint(heads.get(h));
            }
            heads = null;
            sizes = null;
            int[] slots = new int[INDEXES.length], slotCounts = new int[INDEXES.length];
            for (Package.Table.Index x : INDEXES) {
                long[] sorted = entries[x.ordinal()].sorted();
                entries[x.ordinal()] = null;
                int keys = 0;
                for (int k = 0; k < sorted.length; k++) if (k == 0 || sorted[k] >>> 32 != sorted[k - 1] >>> 32) keys++;
                int cap = Integer.highestOneBit(Math.max(2, keys * 2 - 1)) << 1;
                int[] slotHash = new int[cap], slotKey = new int[cap], slotList = new int[cap];
                for (int from = 0, to; from < sorted.length; from = to) {
                    int key = (int) (sorted[from] >>> 32);
                    to = from;
                    while (to < sorted.length && (int) (sorted[to] >>> 32) == key) to++;
                    int list = at();
                    writeList(x, sorted, from, to);
                    int h = strings.items.get(key).hashCode(), s = spread(h) & (cap - 1);
                    while (slotList[s] != 0) s = (s + 1) & (cap - 1);
                    slotHash[s] = h;
                    slotKey[s] = key;
                    slotList[s] = list;
                }
                slots[x.ordinal()] = at();
                slotCounts[x.ordinal()] = cap;
                for (int s = 0; s < cap; s++) {
                    out.writeInt(slotHash[s]);
                    out.writeInt(slotKey[s]);
                    out.writeInt(slotList[s]);
                }
            }
            int droppedAt = at();
            varint(dropped.size());
            for (String d : dropped) str(d);
            // the pools last, each entry's offset after the entries: a later pool only adds to the ones after it
            int depsAt = at();
            int[] depOff = new int[deps.items.size()];
            for (int i = 0; i < depOff.length; i++) { // no dependency is added here
                Dep d = deps.items.get(i);
                depOff[i] = at();
                str(d.name());
                out.writeByte(d.op().ordinal());
                if (d.versioned()) varint(evrs.id(d.evr()));
                str(d.archQualifier());
            }
            int depOffsets = fixed(depOff);
            int evrsAt = at();
            int[] evrOff = new int[evrs.items.size()];
            for (int i = 0; i < evrOff.length; i++) { // no version is added here
                Evr e = evrs.items.get(i);
                evrOff[i] = at();
                varint(e.epoch());
                str(e.version());
                str(e.release());
            }
            int evrOffsets = fixed(evrOff);
            int stringsAt = at();
            int[] strOff = new int[strings.items.size() + 1];
            for (int i = 0; i < strings.items.size(); i++) {
                strOff[i] = at();
                out.write(strings.items.get(i).getBytes(StandardCharsets.UTF_8));
            }
            strOff[strings.items.size()] = at();
            int stringOffsets = fixed(strOff);
            int trailer = at();
            int[] v = new int[Trailer.FIELDS];
            int[] head = {packages, headsAt, droppedAt, depsAt, depOffsets, evrsAt, evrOffsets, stringsAt, stringOffsets,
                    strings.items.size()};
            System.arraycopy(head, 0, v, 0, head.length);
            for (int i = 0; i < INDEXES.length; i++) {
                v[10 + 2 * i] = slots[i];
                v[11 + 2 * i] = slotCounts[i];
            }
            Trailer.write(out, v);
            out.writeLong(trailer);
            out.flush();
            raw.writeInt((int) crc.getValue());
            raw.flush();
        }

        /**
         * One key's list: its ordinals, ascending and each once, as differences; under PROVIDES each
         * followed by the ids of the provides of that name (none for a package listed by its own name).
         */
        private void writeList(Package.Table.Index x, long[] sorted, int from, int to) throws IOException {
            int n = 0;
            for (int k = from; k < to; k++)
                if (k == from || entryOrdinal.get((int) sorted[k]) != entryOrdinal.get((int) sorted[k - 1])) n++;
            varint(n);
            int prev = 0;
            for (int k = from; k < to; ) {
                int ordinal = entryOrdinal.get((int) sorted[k]);
                varint(ordinal - prev);
                prev = ordinal;
                int end = k;
                while (end < to && entryOrdinal.get((int) sorted[end]) == ordinal) end++;
                if (x == Package.Table.Index.PROVIDES) {
                    int ids = 0;
                    for (int j = k; j < end; j++) if (entryDep.get((int) sorted[j]) >= 0) ids++;
                    varint(ids);
                    for (int j = k; j < end; j++) if (entryDep.get((int) sorted[j]) >= 0) varint(entryDep.get((int) sorted[j]));
                }
                k = end;
            }
        }

        private int fixed(int[] values) throws IOException {
            int start = at();
            for (int v : values) out.writeInt(v);
            return start;
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

        private int sid(String s) {
            if (s.length() > MAX_STRING) throw new IllegalArgumentException("a string of " + s.length() + " characters");
            return strings.id(s);
        }

        /** A string by its pool number + 1; 0 is null. */
        void str(String s) throws IOException {
            varint(s == null ? 0 : sid(s) + 1);
        }

        void depIds(List<Dep> ds) throws IOException {
            varint(ds.size());
            for (Dep d : ds) varint(deps.id(d));
        }

        void reqs(List<Req> rs) throws IOException {
            varint(rs.size());
            for (Req r : rs) req(r);
        }

        void req(Req r) throws IOException {
            if (r instanceof Req.Atom a) {
                out.writeByte(0);
                varint(deps.id(a.dep()));
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
            } else {
                throw new IllegalArgumentException("unknown requirement " + r);
            }
        }
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }

    /**
     * One mapped file: the packages' identities made at once, everything else on first use. Every read
     * is absolute, so packages decode on any thread; a pool entry made twice in a race is equal.
     */
    private static final class Table implements Package.Table, Opened {
        private final ByteBuffer b;
        private final Trailer t;
        private final String[] strings;
        private final Evr[] evrs;
        private final Dep[] deps;
        private final Req.Atom[] atoms;
        private final int[] records;
        /**
         * The packages' identities, decoded when the file is opened; where each is and its checksum
         * (unique strings, two per package) are kept as string numbers until asked for.
         */
        private final String[] names, arches, multiArches;
        private final Evr[] versions;
        private final long[] sizes;
        private final int[] locations, algorithms, checksums;
        private final List<String> dropped;
        private boolean handedOut;
        /** The bytes of a string on their way to being one: a copy per string would double what decoding allocates. */
        private final ThreadLocal<byte[]> scratch = ThreadLocal.withInitial(() -> new byte[256]);

        Table(ByteBuffer b, Trailer t) {
            this.b = b;
            this.t = t;
            if (t.stringCount < 0 || t.stringCount > b.limit() || t.packages < 0 || t.packages > b.limit())
                throw new IllegalArgumentException("counts");
            for (int i = 0; i < INDEXES.length; i++) {
                int cap = t.slotCounts[i];
                if (cap <= 0 || (cap & (cap - 1)) != 0 || t.slots[i] < 8 || t.slots[i] + 12L * cap > b.limit())
                    throw new IllegalArgumentException("index " + INDEXES[i]);
            }
            strings = new String[t.stringCount];
            int nEvr = (t.strings - t.evrOffsets) / 4, nDep = (t.evrs - t.depOffsets) / 4;
            if (nEvr < 0 || nDep < 0) throw new IllegalArgumentException("pools");
            evrs = new Evr[nEvr];
            deps = new Dep[nDep];
            atoms = new Req.Atom[nDep];
            int n = t.packages;
            records = new int[n];
            names = new String[n];
            arches = new String[n];
            multiArches = new String[n];
            versions = new Evr[n];
            sizes = new long[n];
            locations = new int[n];
            algorithms = new int[n];
            checksums = new int[n];
            Cursor c = new Cursor(t.heads);
            for (int i = 0; i < n; i++) {
                names[i] = c.str();
                versions[i] = evr(c.varint());
                arches[i] = c.str();
                locations[i] = c.stringId();
                sizes[i] = c.varlong();
                algorithms[i] = c.stringId();
                checksums[i] = c.stringId();
                multiArches[i] = c.str();
                records[i] = c.varint();
                if (locations[i] < 0 || algorithms[i] < 0 || checksums[i] < 0) throw new IllegalArgumentException("package " + i);
            }
            Cursor d = new Cursor(t.dropped);
            int nd = d.count();
            List<String> dropped = new ArrayList<>(nd);
            for (int i = 0; i < nd; i++) dropped.add(d.str());
            this.dropped = dropped;
        }

        @Override
        public synchronized RepoFiles.Parsed parsed(Repo repo) {
            if (handedOut) throw new IllegalStateException("a parsed cache file's packages belong to one repo");
            handedOut = true;
            Package[] out = new Package[names.length];
            for (int i = 0; i < out.length; i++)
                out[i] = new Package(names[i], versions[i], arches[i], sizes[i], repo, multiArches[i], this, i);
            return new RepoFiles.Parsed(Arrays.asList(out), dropped);
        }

        @Override
        public String location(int ordinal) {
            return string(locations[ordinal]);
        }

        @Override
        public Checksum checksum(int ordinal) {
            return new Checksum(string(algorithms[ordinal]), string(checksums[ordinal]));
        }

        @Override
        public String checksumAlgorithm(int ordinal) {
            return string(algorithms[ordinal]);
        }

        @Override
        public Package.Deps deps(int ordinal) {
            Cursor c = new Cursor(records[ordinal]);
            List<Dep> provides = c.deps();
            List<Req> requires = c.reqs();
            List<Dep> conflicts = c.deps(), obsoletes = c.deps();
            List<Req> weak = c.reqs(), suggests = c.reqs(), supplements = c.reqs();
            String[] files = new String[c.count()];
            for (int k = 0; k < files.length; k++) files[k] = c.str();
            return new Package.Deps(provides, requires, conflicts, obsoletes, weak, suggests, supplements, List.of(files));
        }

        @Override
        public int[] lookup(Package.Table.Index index, String key) {
            int list = find(index, key);
            return list == 0 ? EMPTY : ordinals(index, list);
        }

        /** Where the list of {@code key} in {@code index} starts, 0 for none. */
        private int find(Package.Table.Index index, String key) {
            int cap = t.slotCounts[index.ordinal()], base = t.slots[index.ordinal()];
            int h = key.hashCode();
            for (int s = spread(h) & (cap - 1), probes = 0; probes < cap; s = (s + 1) & (cap - 1), probes++) {
                int at = base + 12 * s, list = b.getInt(at + 8);
                if (list == 0) return 0;
                if (b.getInt(at) == h && string(b.getInt(at + 4)).equals(key)) return list;
            }
            return 0;
        }

        @Override
        public void providers(String name, ObjIntConsumer<List<Dep>> each) {
            int list = find(Package.Table.Index.PROVIDES, name);
            if (list == 0) return;
            Cursor c = new Cursor(list);
            for (int k = 0, n = c.count(), prev = 0; k < n; k++) {
                prev += c.varint();
                each.accept(c.deps(), prev);
            }
        }

        @Override
        public void forEach(Package.Table.Index index, BiConsumer<String, int[]> each) {
            int cap = t.slotCounts[index.ordinal()], base = t.slots[index.ordinal()];
            for (int s = 0; s < cap; s++) {
                int at = base + 12 * s, list = b.getInt(at + 8);
                if (list != 0) each.accept(string(b.getInt(at + 4)), ordinals(index, list));
            }
        }

        private int[] ordinals(Package.Table.Index index, int list) {
            Cursor c = new Cursor(list);
            int[] o = new int[c.count()];
            for (int k = 0, prev = 0; k < o.length; k++) {
                o[k] = prev += c.varint();
                if (index == Package.Table.Index.PROVIDES) c.deps(); // passed over
            }
            return o;
        }

        String string(int i) {
            String s = strings[i];
            if (s == null) {
                int from = b.getInt(t.stringOffsets + 4 * i), to = b.getInt(t.stringOffsets + 4 * i + 4);
                if (from < 8 || to < from || to > t.stringOffsets) throw new IllegalArgumentException("string " + i);
                int len = to - from;
                byte[] bytes = scratch.get();
                if (bytes.length < len) scratch.set(bytes = new byte[Math.max(len, bytes.length * 2)]);
                b.get(from, bytes, 0, len);
                strings[i] = s = new String(bytes, 0, len, StandardCharsets.UTF_8);
            }
            return s;
        }

        Evr evr(int i) {
            Evr e = evrs[i];
            if (e == null) {
                Cursor c = new Cursor(b.getInt(t.evrOffsets + 4 * i));
                evrs[i] = e = new Evr(c.varint(), c.str(), c.str());
            }
            return e;
        }

        Dep dep(int i) {
            Dep d = deps[i];
            if (d == null) {
                Cursor c = new Cursor(b.getInt(t.depOffsets + 4 * i));
                String name = c.str();
                Op op = OPS[c.u8()];
                Evr evr = op == Op.ANY ? Evr.NONE : evr(c.varint());
                deps[i] = d = new Dep(name, op, evr, c.str());
            }
            return d;
        }

        Req.Atom atom(int i) {
            Req.Atom a = atoms[i];
            if (a == null) atoms[i] = a = new Req.Atom(dep(i));
            return a;
        }

        /** A read position: one per decode, so decodes on several threads never share one. */
        private final class Cursor {
            private int pos;

            Cursor(int pos) {
                this.pos = pos;
            }

            int u8() {
                return b.get(pos++) & 0xff;
            }

            long varlong() {
                long v = 0;
                for (int shift = 0; shift < 64; shift += 7) {
                    int x = b.get(pos++);
                    v |= (long) (x & 0x7f) << shift;
                    if ((x & 0x80) == 0) return v;
                }
                throw new IllegalArgumentException("bad varint at " + pos);
            }

            int varint() {
                return (int) varlong();
            }

            /** A count of things each at least a byte long: a bigger one than the file is damage. */
            int count() {
                int n = varint();
                if (n < 0 || n > b.limit()) throw new IllegalArgumentException("count " + n);
                return n;
            }

            String str() {
                int id = varint();
                return id == 0 ? null : string(id - 1);
            }

            /** A string's number, not made into one; -1 for null. */
            int stringId() {
                int id = varint() - 1;
                if (id >= strings.length) throw new IllegalArgumentException("string " + id);
                return id;
            }

            List<Dep> deps() {
                int n = count();
                if (n == 0) return List.of();
                Dep[] d = new Dep[n];
                for (int i = 0; i < n; i++) d[i] = dep(varint());
                return List.of(d);
            }

            List<Req> reqs() {
                int n = count();
                if (n == 0) return List.of();
                Req[] r = new Req[n];
                for (int i = 0; i < n; i++) r[i] = req();
                return List.of(r);
            }

            Req req() {
                int tag = u8();
                return switch (tag) {
                    case 0 -> atom(varint());
                    case 1 -> new Req.All(reqs());
                    case 2 -> new Req.Any(reqs());
                    case 3, 4 -> {
                        Req then = req(), cond = req();
                        Req otherwise = u8() != 0 ? req() : null;
                        yield new Req.Cond(then, cond, otherwise, tag == 4);
                    }
                    case 5 -> new Req.With(reqs());
                    case 6 -> new Req.Without(req(), req());
                    default -> throw new IllegalArgumentException("requirement tag " + tag);
                };
            }
        }
    }

    private static final int[] EMPTY = new int[0];
}
