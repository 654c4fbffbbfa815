package io.pigsty.offline.format.deb;

import io.pigsty.offline.model.Checksum;
import io.pigsty.offline.model.Dep;
import io.pigsty.offline.model.Evr;
import io.pigsty.offline.model.MetadataException;
import io.pigsty.offline.model.Package;
import io.pigsty.offline.model.Repo;
import io.pigsty.offline.model.Req;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The control paragraph of a .deb file (ar archive → control.tar.{gz,xz,zst} → control), for
 * packages that come from elsewhere than an apt repo: URL packages and the launcher.
 */
final class DebControl {
    private final String control;
    private final Stanzas.Stanza fields;

    private DebControl(String control, Stanzas.Stanza fields) {
        this.control = control;
        this.fields = fields;
    }

    static DebControl read(Path file, String fileName) throws IOException {
        try (ArArchiveInputStream ar = new ArArchiveInputStream(Files.newInputStream(file))) {
            ArArchiveEntry e;
            while ((e = ar.getNextEntry()) != null) {
                String n = e.getName();
                if (!n.startsWith("control.tar")) continue;
                InputStream unpacked = io.pigsty.offline.format.Decompress.wrap(ar, n);
                try (TarArchiveInputStream tar = new TarArchiveInputStream(unpacked)) {
                    TarArchiveEntry t;
                    while ((t = tar.getNextEntry()) != null) {
                        if (t.getName().equals("./control") || t.getName().equals("control")) {
                            String text = new String(tar.readAllBytes(), StandardCharsets.UTF_8);
                            Stanzas.Stanza[] got = new Stanzas.Stanza[1];
                            new Stanzas(false, PackagesFile.FIELDS).read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                                    s -> got[0] = got[0] == null ? s : got[0]);
                            if (got[0] == null || got[0].get(0) == null)
                                throw new MetadataException(fileName + ": the control file names no Package");
                            return new DebControl(text, got[0]);
                        }
                    }
                }
            }
        } catch (MetadataException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new MetadataException(fileName + ": not a readable .deb package (" + e.getMessage() + ")", e);
        }
        throw new MetadataException(fileName + ": no control file in the .deb");
    }

    Package toPackage(String fileName, long size, Checksum sha256, Repo origin) throws MetadataException {
        try {
            List<Dep> provides = DebDeps.relations(fields.get(4));
            List<Req> requires = new ArrayList<>(DebDeps.requirements(fields.get(6)));
            requires.addAll(DebDeps.requirements(fields.get(5)));
            List<Dep> conflicts = new ArrayList<>(DebDeps.relations(fields.get(8)));
            conflicts.addAll(DebDeps.relations(fields.get(9)));
            return new Package(fields.get(0), Evr.parse(fields.get(1)), fields.get(2), provides, requires, conflicts,
                    List.of(), DebDeps.requirements(fields.get(7)), List.of(), List.of(), List.of(), fileName, size, sha256, origin, fields.get(3));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new MetadataException(fileName + ": bad control file (" + e.getMessage() + ")", e);
        }
    }

    /** The Packages stanza for this file: its control paragraph plus Filename, Size and hashes. */
    byte[] stanza(String fileName, long size, Checksum sha256) throws IOException {
        StringBuilder b = new StringBuilder(control.strip()).append('\n');
        b.append("Filename: ./").append(fileName).append('\n');
        b.append("Size: ").append(size).append('\n');
        b.append("SHA256: ").append(sha256.hex()).append('\n');
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
