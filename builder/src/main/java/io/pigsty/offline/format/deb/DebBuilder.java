package io.pigsty.offline.format.deb;

import io.pigsty.offline.format.PackageContents;
import io.pigsty.offline.model.FileTrees;
import org.vafer.jdeb.Console;
import org.vafer.jdeb.DataProducer;
import org.vafer.jdeb.DebMaker;
import org.vafer.jdeb.PackagingException;
import org.vafer.jdeb.mapping.Mapper;
import org.vafer.jdeb.mapping.PermMapper;
import org.vafer.jdeb.producers.DataProducerFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds an {@code all} .deb with jdeb; every time in it is {@code mtime}, so the bytes are reproducible. */
final class DebBuilder {
    /** Debian 12 / Ubuntu have openjdk-17; later releases provide java17-runtime-headless from newer JDKs. */
    static final String JAVA_17_HEADLESS = "openjdk-17-jre-headless | java17-runtime-headless";

    private DebBuilder() {}

    static Path build(PackageContents c, Path dir, long mtime) throws IOException {
        Files.createDirectories(dir);
        Path work = Files.createTempDirectory("pigsty-deb");
        try {
            Path control = Files.createDirectories(work.resolve("control"));
            List<String> depends = new ArrayList<>();
            if (c.needs().contains(PackageContents.Need.JAVA_17_HEADLESS)) depends.add(JAVA_17_HEADLESS);
            // /bin/sh is Essential on every Debian system: no dependency needed for SHELL.
            StringBuilder text = new StringBuilder();
            text.append("Package: ").append(c.name()).append('\n');
            text.append("Version: ").append(c.version()).append("-1\n");
            text.append("Architecture: all\n");
            text.append("Maintainer: ").append(c.vendor()).append(" <noreply@pigsty.io>\n");
            text.append("Section: admin\nPriority: optional\n");
            if (!depends.isEmpty()) text.append("Depends: ").append(String.join(", ", depends)).append('\n');
            text.append("Homepage: ").append(c.homepage()).append('\n');
            text.append("Description: ").append(c.summary()).append('\n');
            for (String line : wrap(c.description(), 88)) text.append(' ').append(line).append('\n');
            Files.writeString(control.resolve("control"), text);
            List<DataProducer> data = new ArrayList<>();
            for (PackageContents.Content f : c.files())
                data.add(new DataProducerFile(f.source().toFile(), f.path(), null, null,
                        new Mapper[] {new PermMapper(0, 0, "root", "root", f.mode(), 0755, 0, null)}));
            Path out = dir.resolve(c.name() + "_" + c.version() + "-1_all.deb");
            DebMaker m = new DebMaker(SILENT, data, List.of());
            m.setControl(control.toFile());
            m.setDeb(out.toFile());
            m.setCompression("gzip");
            m.setOutputTimestampMs(mtime * 1000);
            try {
                m.makeDeb();
            } catch (PackagingException e) {
                throw new IOException("cannot build " + out.getFileName() + ": " + e.getMessage(), e);
            }
            return out;
        } finally {
            FileTrees.delete(work);
        }
    }

    /** The description's words in lines of at most {@code width} characters (a control file's continuation lines). */
    private static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String w : text.trim().split("\\s+")) {
            if (line.length() > 0 && line.length() + 1 + w.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) line.append(' ');
            line.append(w);
        }
        if (line.length() > 0) lines.add(line.toString());
        return lines;
    }

    private static final Console SILENT = new Console() {
        @Override
        public void debug(String message) {}

        @Override
        public void info(String message) {}

        @Override
        public void warn(String message) {}
    };
}
