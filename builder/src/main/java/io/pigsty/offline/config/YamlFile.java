package io.pigsty.offline.config;

import io.pigsty.offline.model.Log;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads a YAML file into {@link Node}s with line numbers. Scalars are typed by SnakeYAML's YAML 1.1
 * rules, the same PyYAML gives Ansible, so an inventory means the same here as in Pigsty. Merge keys
 * ({@code <<}) are honoured; duplicate keys are a warning (the last one wins, as in Ansible).
 */
public final class YamlFile {
    private YamlFile() {}

    public static Node load(Path file, String shownAs, Log log) {
        return load(file, shownAs, log, false);
    }

    /** As {@link #load(Path, String, Log)}; with {@code strict}, a repeated key is an error, not a warning. */
    public static Node load(Path file, String shownAs, Log log, boolean strict) {
        LoaderOptions opts = new LoaderOptions();
        opts.setAllowDuplicateKeys(true);
        opts.setMaxAliasesForCollections(100);
        opts.setCodePointLimit(64 * 1024 * 1024);
        Typer typer = new Typer(opts);
        String text = utf8(file, shownAs);
        try (Reader r = new java.io.StringReader(text)) {
            org.yaml.snakeyaml.nodes.Node root = new Yaml(typer, new org.yaml.snakeyaml.representer.Representer(
                    new org.yaml.snakeyaml.DumperOptions()), new org.yaml.snakeyaml.DumperOptions(), opts).compose(r);
            if (root == null) return new Node(null, shownAs, 1);
            return convert(root, shownAs, typer, log, strict, new int[] {MAX_VALUES});
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String where = m == null ? shownAs : shownAs + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1);
            throw new ConfigException(where, "YAML syntax error: " + e.getProblem()
                    + (e.getContext() != null ? " (" + e.getContext() + ")" : "")
                    + "; check indentation, quotes and that flow maps/lists are closed");
        } catch (YAMLException e) {
            throw new ConfigException(shownAs, "cannot read YAML: " + e.getMessage());
        } catch (IOException e) {
            throw new ConfigException(shownAs, "cannot read file: " + e.getMessage());
        }
    }

    /** More values than any real inventory or recipe holds: an alias bomb expands past it, and is refused. */
    static final int MAX_VALUES = 500_000;
    private static final long MAX_BYTES = 64L * 1024 * 1024;

    /** The file as text, refused with the line of the first byte that is not UTF-8. */
    private static String utf8(Path file, String shownAs) {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) throw new ConfigException(shownAs, "larger than " + MAX_BYTES + " bytes; not a config file");
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(shownAs, "file not found");
        } catch (IOException e) {
            throw new ConfigException(shownAs, "cannot read file: " + e.getMessage());
        }
        java.nio.charset.CharsetDecoder d = StandardCharsets.UTF_8.newDecoder();
        try {
            return d.decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(bytes);
            java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length + 1);
            StandardCharsets.UTF_8.newDecoder().decode(in, out, true);
            int line = 1;
            for (int i = 0; i < in.position(); i++) if (bytes[i] == '\n') line++;
            throw new ConfigException(shownAs + ":" + line, "not UTF-8 text (byte 0x" + String.format("%02x", bytes[in.position()] & 0xff)
                    + " at offset " + in.position() + "); save the file as UTF-8");
        }
    }

    private static Node convert(org.yaml.snakeyaml.nodes.Node n, String file, Typer typer, Log log, boolean strict, int[] budget) {
        int line = n.getStartMark().getLine() + 1;
        if (--budget[0] < 0)
            throw new ConfigException(file + ":" + line, "the YAML expands to more than " + MAX_VALUES
                    + " values (aliases that repeat each other: an alias bomb?); refusing it");
        if (n instanceof ScalarNode s) return new Node(typer.scalar(s), file, line);
        if (n instanceof SequenceNode s) {
            List<Node> items = new ArrayList<>();
            for (org.yaml.snakeyaml.nodes.Node item : s.getValue()) items.add(convert(item, file, typer, log, strict, budget));
            return new Node(items, file, line);
        }
        MappingNode m = (MappingNode) n;
        // SnakeYAML drops earlier duplicates while flattening merge keys: report them first.
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k))
                throw new ConfigException(file + ":" + (t.getKeyNode().getStartMark().getLine() + 1),
                        "mapping keys must be plain values");
            if (k.getValue().equals("<<")) continue;
            int keyLine = k.getStartMark().getLine() + 1;
            Integer prev = seen.put(k.getValue(), keyLine);
            if (prev != null && strict)
                throw new ConfigException(file + ":" + keyLine, "key '" + k.getValue() + "' repeats the one at line " + prev);
            if (prev != null)
                log.warn(file + ":" + keyLine + ": key '" + k.getValue() + "' repeats the one at line " + prev
                        + "; the last one wins");
        }
        typer.flatten(m);
        Map<String, Node> map = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            String key = String.valueOf(typer.scalar((ScalarNode) t.getKeyNode()));
            map.put(key, convert(t.getValueNode(), file, typer, log, strict, budget));
        }
        return new Node(map, file, line);
    }

    /** Exposes SnakeYAML's safe scalar typing and merge-key flattening to the walk above. */
    private static final class Typer extends SafeConstructor {
        Typer(LoaderOptions opts) {
            super(opts);
        }

        Object scalar(ScalarNode n) {
            return constructObject(n);
        }

        void flatten(MappingNode m) {
            flattenMapping(m);
        }
    }
}
