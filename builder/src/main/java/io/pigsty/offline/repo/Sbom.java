package io.pigsty.offline.repo;

import com.github.packageurl.MalformedPackageURLException;
import com.github.packageurl.PackageURL;
import io.pigsty.offline.format.Format;
import io.pigsty.offline.model.Dep;
import io.pigsty.offline.model.Package;
import io.pigsty.offline.model.Req;
import io.pigsty.offline.model.Rules;
import io.pigsty.offline.model.Universe;
import org.cyclonedx.Version;
import org.cyclonedx.generators.BomGeneratorFactory;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Dependency;
import org.cyclonedx.model.Hash;
import org.cyclonedx.model.License;
import org.cyclonedx.model.LicenseChoice;
import org.cyclonedx.model.Metadata;
import org.cyclonedx.model.OrganizationalEntity;
import org.cyclonedx.model.Property;
import org.cyclonedx.model.metadata.ToolInformation;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The bundle's software bill of materials, CycloneDX 1.6 JSON: one component per shipped package
 * (purl, sha256 of the file shipped, license and supplier where its metadata states them), the
 * dependency graph among them as the solve chose it, and the tool and inputs as metadata. Written
 * from the same values as the tree, so the same inputs give the same bytes (serial number and time
 * are derived, not random).
 */
public final class Sbom {
    /** The SBOM formats a bundle can carry. */
    public enum Kind {
        /** {@code sbom.cdx.json}, CycloneDX 1.6 (the default). */
        CYCLONEDX,
        /** {@code sbom.spdx.json}, SPDX 2.3 ({@link Spdx}). */
        SPDX;

        public static Kind parse(String s) {
            String v = s.trim().toLowerCase(Locale.ROOT);
            return switch (v) {
                case "cyclonedx", "cdx" -> CYCLONEDX;
                case "spdx" -> SPDX;
                default -> throw new IllegalArgumentException("'" + s + "' is no SBOM format: use cyclonedx or spdx");
            };
        }
    }

    /**
     * The bundle the SBOM describes and what it was built from; {@code distro} is the purl's distro
     * qualifier: the codename for Debian and Ubuntu (bookworm), the os for EL (el9). {@code kinds}: the
     * SBOM formats to write.
     */
    public record Subject(String name, String version, String os, String distro, String arch, String family, String tool,
                          long timestamp, Map<String, String> inputs, java.util.Set<Kind> kinds) {}

    private Sbom() {}

    public static String json(Subject s, List<Format.Shipped> shipped, Map<String, Format.About> about, Rules rules,
                              String targetArch) {
        Bom bom = new Bom();
        Metadata md = new Metadata();
        md.setTimestamp(new Date(s.timestamp() * 1000));
        Component tool = new Component();
        tool.setType(Component.Type.APPLICATION);
        tool.setName("pigsty-builder");
        tool.setVersion(s.tool());
        ToolInformation tools = new ToolInformation();
        tools.setComponents(List.of(tool));
        md.setToolChoice(tools);
        Component subject = new Component();
        subject.setType(Component.Type.FILE);
        subject.setName(s.name());
        subject.setVersion(s.version());
        subject.setBomRef(s.name());
        md.setComponent(subject);
        List<Property> props = new ArrayList<>();
        props.add(property("pigsty:os", s.os()));
        props.add(property("pigsty:arch", s.arch()));
        new TreeMap<>(s.inputs()).forEach((k, v) -> props.add(property("pigsty:input:" + k, v)));
        md.setProperties(props);
        bom.setMetadata(md);

        List<Format.Shipped> sorted = new ArrayList<>(shipped);
        sorted.sort(Comparator.comparing(Format.Shipped::fileName));
        Map<Package, String> refs = new IdentityHashMap<>();
        List<Component> components = new ArrayList<>();
        for (Format.Shipped x : sorted) {
            Package p = x.pkg();
            Format.About a = about.get(x.fileName());
            String purl = purl(p, s, a == null ? null : a.supplier());
            refs.put(p, purl);
            Component c = new Component();
            c.setType(Component.Type.LIBRARY);
            c.setBomRef(purl);
            c.setName(p.name());
            c.setVersion(p.evr().toString());
            c.setPurl(purl);
            c.setHashes(List.of(new Hash(Hash.Algorithm.SHA_256, x.sha256())));
            if (a != null && a.license() != null) {
                License l = new License();
                l.setName(a.license());
                LicenseChoice lc = new LicenseChoice();
                lc.addLicense(l);
                c.setLicenses(lc);
            }
            if (a != null && a.supplier() != null) {
                OrganizationalEntity supplier = new OrganizationalEntity();
                supplier.setName(a.supplier());
                c.setSupplier(supplier);
            }
            c.setProperties(List.of(property("pigsty:file", x.fileName()), property("pigsty:repo", p.repo().name())));
            components.add(c);
        }
        bom.setComponents(components);

        List<Dependency> graph = new ArrayList<>();
        Dependency top = new Dependency(s.name());
        for (Format.Shipped x : sorted) top.addDependency(new Dependency(refs.get(x.pkg())));
        graph.add(top);
        Map<Package, List<Package>> needs = needs(sorted, rules, targetArch);
        for (Format.Shipped x : sorted) {
            TreeSet<String> on = new TreeSet<>();
            for (Package q : needs.get(x.pkg())) on.add(refs.get(q));
            Dependency dep = new Dependency(refs.get(x.pkg()));
            for (String ref : on) dep.addDependency(new Dependency(ref));
            graph.add(dep);
        }
        bom.setDependencies(graph);
        bom.setSerialNumber("urn:uuid:" + UUID.nameUUIDFromBytes(digestOf(components, s).getBytes(StandardCharsets.UTF_8)));
        try {
            return BomGeneratorFactory.createJson(Version.VERSION_16, bom).toJsonString();
        } catch (org.cyclonedx.exception.GeneratorException e) {
            throw new IllegalStateException("cannot write the SBOM: " + e.getMessage(), e);
        }
    }

    /** Who needs whom, inside the bundle: for each shipped package, the shipped providers of what it requires. */
    static Map<Package, List<Package>> needs(List<Format.Shipped> shipped, Rules rules, String targetArch) {
        List<Package> all = shipped.stream().map(Format.Shipped::pkg).toList();
        Universe inside = Universe.of(rules, targetArch, all);
        java.util.Set<Package> in = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        in.addAll(all);
        Map<Package, List<Package>> out = new IdentityHashMap<>();
        for (Package p : all) {
            java.util.Set<Package> on = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            for (Req r : p.requires())
                for (Dep d : Req.needed(r))
                    for (Package q : inside.whatProvides(d))
                        if (q != p && in.contains(q) && rules.archMatches(q, d, p, targetArch)) on.add(q);
            out.put(p, List.copyOf(on));
        }
        return out;
    }

    /**
     * {@code pkg:rpm/<vendor>/<name>@<version>-<release>?arch=..&distro=..&epoch=..} with the vendor's
     * first word as the RPM says it ("CentOS" centos, "Rocky Enterprise Software Foundation" rocky),
     * else the repo's name; {@code pkg:deb/debian|ubuntu/<name>@<version>?arch=..&distro=..}.
     */
    static String purl(Package p, Subject s, String vendor) {
        boolean rpm = s.family().equals("rpm");
        String first = vendor == null ? "" : vendor.trim().split("[^A-Za-z0-9]+", 2)[0];
        String namespace = !rpm ? (s.os().startsWith("u") ? "ubuntu" : "debian") : first.isEmpty() ? p.repo().name() : first;
        Map<String, String> q = new TreeMap<>();
        q.put("arch", p.arch());
        if (rpm && p.evr().epoch() > 0) q.put("epoch", String.valueOf(p.evr().epoch()));
        q.put("distro", s.distro());
        String version = rpm ? p.evr().version() + "-" + p.evr().release() : p.evr().toString();
        try {
            return new PackageURL(rpm ? "rpm" : "deb", namespace.toLowerCase(Locale.ROOT), p.name(), version, new TreeMap<>(q), null)
                    .canonicalize();
        } catch (MalformedPackageURLException e) {
            throw new IllegalArgumentException(p.nevra() + ": no package URL (" + e.getMessage() + ")", e);
        }
    }

    private static Property property(String name, String value) {
        Property p = new Property();
        p.setName(name);
        p.setValue(value);
        return p;
    }

    private static String digestOf(List<Component> components, Subject s) {
        StringBuilder b = new StringBuilder(s.name()).append('\n');
        for (Component c : components) b.append(c.getPurl()).append(' ').append(c.getHashes().get(0).getValue()).append('\n');
        return b.toString();
    }
}
