package io.pigsty.launcher;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The record of first-boot work ({@code /var/lib/pigsty/firstboot.json}): per step its status
 * (done, failed, running), start and end time, log file and a detail line, plus values later
 * steps need (the bundle found). Written atomically after every change, as JSON whose values are
 * all strings (SnakeYAML writes it; the JDK has no JSON).
 */
final class Journal {
    private final Path file;
    private final Map<String, Object> data;

    private Journal(Path file, Map<String, Object> data) {
        this.file = file;
        this.data = data;
    }

    @SuppressWarnings("unchecked")
    static Journal load(Path file) throws IOException {
        if (!Files.exists(file)) return new Journal(file, new LinkedHashMap<>(Map.of("steps", new LinkedHashMap<>())));
        Object o;
        try {
            o = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
        } catch (RuntimeException e) {
            throw new IOException(file + " is not a readable journal (" + e.getMessage() + "); move it away to start over");
        }
        if (!(o instanceof Map<?, ?> m) || !(m.get("steps") instanceof Map)) throw new IOException(file + " is not a launcher journal");
        Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) m);
        copy.put("steps", new LinkedHashMap<>((Map<String, Object>) m.get("steps")));
        return new Journal(file, copy);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> steps() {
        return (Map<String, Object>) data.get("steps");
    }

    @SuppressWarnings("unchecked")
    Map<String, String> step(String name) {
        Object s = steps().get(name);
        return s instanceof Map ? (Map<String, String>) s : Map.of();
    }

    boolean done(String step) {
        return "done".equals(step(step).get("status"));
    }

    String value(String key) {
        Object v = data.get(key);
        return v == null ? null : String.valueOf(v);
    }

    void put(String key, String value) throws IOException {
        data.put(key, value);
        save();
    }

    void started(String step, Path log) throws IOException {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("status", "running");
        s.put("started", Instant.now().toString());
        s.put("log", log.toString());
        steps().put(step, s);
        save();
    }

    void finished(String step, boolean ok, String detail) throws IOException {
        Map<String, String> s = new LinkedHashMap<>(step(step));
        s.put("status", ok ? "done" : "failed");
        s.put("finished", Instant.now().toString());
        s.put("detail", detail);
        steps().put(step, s);
        save();
    }

    void reset() throws IOException {
        steps().clear();
        save();
    }

    private void save() throws IOException {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.FLOW);
        o.setDefaultScalarStyle(DumperOptions.ScalarStyle.DOUBLE_QUOTED);
        o.setPrettyFlow(true);
        o.setWidth(Integer.MAX_VALUE);
        String json = new Yaml(new Representer(o), o).dump(data);
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, json);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
