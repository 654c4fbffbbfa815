package io.pigsty.offline.format;

import io.pigsty.offline.model.MetadataException;
import io.pigsty.offline.model.Repo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every upstream index file a build's metadata has, across repos, immutable: what the writer carries
 * records from and what dates the bundle. Files are added as local copies are fetched, by value.
 */
public record IndexSet(List<IndexFile> files) {
    public IndexSet {
        files = List.copyOf(files);
    }

    /** The latest time a tar header (11 octal digits) and the formats written from it can hold: year 2242. */
    public static final long LATEST = 077777777777L;

    /**
     * The newest timestamp in the metadata (seconds): the bundle's fixed mtime when
     * SOURCE_DATE_EPOCH is not set, so the same metadata gives the same bytes. 0 when unknown.
     * A timestamp no archive can hold (negative, or after {@link #LATEST}: a repomd claiming 9e18)
     * is not a date and is ignored.
     */
    public long newest() {
        long t = 0;
        for (IndexFile f : files) if (f.timestamp() > 0 && f.timestamp() <= LATEST) t = Math.max(t, f.timestamp());
        return t;
    }

    /** The files of one repo and type, in metadata order. */
    public List<IndexFile> of(Repo repo, String type) {
        List<IndexFile> out = new ArrayList<>();
        for (IndexFile f : files) if (f.repo().equals(repo) && f.type().equals(type)) out.add(f);
        return out;
    }

    /** The files of {@code types} of {@code repos} that have no local copy yet. */
    public List<IndexFile> missing(Set<String> types, Set<Repo> repos) {
        List<IndexFile> out = new ArrayList<>();
        for (IndexFile f : files) if (f.local() == null && types.contains(f.type()) && repos.contains(f.repo())) out.add(f);
        return out;
    }

    /** This set with {@code fetched} in place of the entries for the same repo and path. */
    public IndexSet with(List<IndexFile> fetched) {
        Map<String, IndexFile> byKey = new LinkedHashMap<>();
        for (IndexFile f : fetched) byKey.put(f.repo().name() + " " + f.path(), f);
        List<IndexFile> out = new ArrayList<>(files.size());
        for (IndexFile f : files) out.add(byKey.getOrDefault(f.repo().name() + " " + f.path(), f));
        return new IndexSet(out);
    }

    /** The local copy of a file a writer or reader needs; a bug in the caller when it was not fetched. */
    public static Path local(IndexFile f) throws MetadataException {
        Path p = f.local();
        if (p == null) throw new MetadataException("repo " + f.repo().name() + ": " + f.path() + " was needed but not fetched");
        return p;
    }
}
