package io.pigsty.offline.metadata;

import io.pigsty.offline.fetch.Fetcher;
import io.pigsty.offline.fixtures.Corpora;
import io.pigsty.offline.fixtures.FileServer;
import io.pigsty.offline.format.Format;
import io.pigsty.offline.format.deb.DebFormat;
import io.pigsty.offline.model.BuildException;
import io.pigsty.offline.model.ExitCode;
import io.pigsty.offline.model.Log;
import io.pigsty.offline.model.Repo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The apt corpora written by others (../shared/corpora), served on 127.0.0.1: a signed repo whose key
 * is known loads and verifies; a repo signed by a key nobody gave us is refused, and loads when
 * marked trusted; every suite of a multi-suite repo loads.
 */
class AptCorporaTest {
    @TempDir
    static Path tmp;
    static FileServer server;
    static Fetcher fetcher;

    @BeforeAll
    static void serve() throws Exception {
        server = new FileServer(Corpora.root());
        fetcher = Corpora.fetcher(tmp.resolve("cache"));
    }

    @AfterAll
    static void stop() throws Exception {
        fetcher.close();
        server.close();
    }

    static Metadata load(String corpus, String suite, Path keyring, boolean trusted, String arch) throws Exception {
        Format.Source s = new Format.Source(new Repo(corpus, 99, List.of(server.url(corpus + "/"))), List.of(), false, false,
                new Format.Dist(suite, List.of("main"), keyring == null ? List.of() : List.of(keyring), trusted));
        return MetadataLoader.load(List.of(s), DebFormat.INSTANCE, arch, fetcher, Log.QUIET);
    }

    @Test
    void aSignedRepoWithItsKeyLoadsForBothArches() throws Exception {
        Path key = Corpora.root().resolve("kodegood-debian-backports/kodegood-debian-backports.gpg.key");
        for (String arch : List.of("amd64", "arm64")) {
            Metadata m = load("kodegood-debian-backports", "bookworm", key, false, arch);
            assertEquals(17, m.universe().packages().size(), arch);
            assertTrue(m.dropped().isEmpty(), m.dropped().toString());
        }
    }

    @Test
    void aRepoSignedByAnUnknownKeyIsRefusedUnlessTrusted() throws Exception {
        Path otherKey = Corpora.root().resolve("kodegood-debian-backports/kodegood-debian-backports.gpg.key");
        BuildException e = assertThrows(BuildException.class, () -> load("hellyrepo", "bookworm", otherKey, false, "amd64"));
        assertEquals(ExitCode.NETWORK, e.exitCode());
        assertTrue(e.getMessage().contains("not in the keyring"), e.getMessage());
        for (String suite : List.of("buster", "bookworm", "focal", "jammy", "noble"))
            for (String arch : List.of("amd64", "arm64", "i386", "armhf"))
                assertEquals(20, load("hellyrepo", suite, null, true, arch).universe().packages().size(), suite + " " + arch);
    }
}
