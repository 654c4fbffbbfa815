package io.pigsty.offline.repo;

import io.pigsty.offline.format.Format;
import io.pigsty.offline.model.Checksum;
import io.pigsty.offline.model.Package;
import io.pigsty.offline.model.Rules;
import io.pigsty.offline.model.Secrets;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bundle's SBOM as SPDX 2.3 JSON ({@code --sbom spdx}): the bundle as the described package,
 * one package per shipped file (its purl, the sha256 of the file, where upstream serves it, the
 * supplier the metadata names), CONTAINS from the bundle to each, and DEPENDS_ON as the solve's
 * graph has it. Licenses are NOASSERTION, with the metadata's own words in licenseComments: RPM
 * License tags are often not SPDX expressions and Debian's index states none. Written with
 * {@link Json}, not java-spdx-library: that library brings jsoup, gson and Jackson's XML and YAML
 * modules and fetches the SPDX license list online unless told not to, for a document of a few
 * fields per package; the tests judge the output with the SPDX project's own validator (tools-java).
 * Same inputs, same bytes (the namespace and time are derived).
 */
public final class Spdx {
    private Spdx() {}

    public static String json(Sbom.Subject s, List<Format.Shipped> shipped, Map<String, Format.About> about, Rules rules, String targetArch) {
        List<Format.Shipped> sorted = new ArrayList<>(shipped);
        sorted.sort(Comparator.comparing(Format.Shipped::fileName));
        Map<Package, String> ids = new IdentityHashMap<>();
        List<Object> packages = new ArrayList<>();
        String bundle = "SPDXRef-Bundle";
        Map<String, Object> top = new LinkedHashMap<>();
        top.put("SPDXID", bundle);
        top.put("name", s.name());
        top.put("versionInfo", s.version());
        top.put("downloadLocation", "NOASSERTION");
        top.put("filesAnalyzed", false);
        top.put("licenseConcluded", "NOASSERTION");
        top.put("licenseDeclared", "NOASSERTION");
        top.put("copyrightText", "NOASSERTION");
        top.put("primaryPackagePurpose", "ARCHIVE");
        top.put("comment", "Pigsty offline bundle for " + s.os() + " " + s.arch());
        packages.add(top);
        StringBuilder digest = new StringBuilder(s.name()).append('\n');
        int n = 0;
        for (Format.Shipped x : sorted) {
            Package p = x.pkg();
            String id = "SPDXRef-Package-" + (++n) + "-" + x.fileName().replaceAll("[^A-Za-z0-9.-]", "-");
            ids.put(p, id);
            Format.About a = about.get(x.fileName());
            String purl = Sbom.purl(p, s, a == null ? null : a.supplier());
            digest.append(purl).append(' ').append(x.sha256()).append('\n');
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("SPDXID", id);
            m.put("name", p.name());
            m.put("versionInfo", p.evr().toString());
            m.put("packageFileName", x.fileName());
            m.put("supplier", a != null && a.supplier() != null ? "Organization: " + a.supplier().replaceAll("[\\r\\n]+", " ") : "NOASSERTION");
            String url = url(p);
            boolean named = url != null && SPDX_HOST.matcher(host(url)).matches();
            m.put("downloadLocation", named ? url : "NOASSERTION");
            // SPDX's download location must name a host with a top-level domain: an IP or a bare name goes here
            if (url != null && !named) m.put("sourceInfo", "downloaded from " + url);
            m.put("filesAnalyzed", false);
            m.put("checksums", List.of(ordered("algorithm", "SHA256", "checksumValue", x.sha256())));
            m.put("licenseConcluded", "NOASSERTION");
            m.put("licenseDeclared", "NOASSERTION");
            if (a != null && a.license() != null) m.put("licenseComments", "as the package metadata states it: " + a.license());
            m.put("copyrightText", "NOASSERTION");
            m.put("externalRefs", List.of(ordered("referenceCategory", "PACKAGE-MANAGER", "referenceType", "purl", "referenceLocator", purl)));
            packages.add(m);
        }
        List<Object> relationships = new ArrayList<>();
        relationships.add(relationship("SPDXRef-DOCUMENT", "DESCRIBES", bundle));
        for (Format.Shipped x : sorted) relationships.add(relationship(bundle, "CONTAINS", ids.get(x.pkg())));
        Map<Package, List<Package>> needs = Sbom.needs(sorted, rules, targetArch);
        for (Format.Shipped x : sorted) {
            TreeMap<String, String> on = new TreeMap<>();
            for (Package q : needs.get(x.pkg())) on.put(ids.get(q), ids.get(q));
            for (String q : on.keySet()) relationships.add(relationship(ids.get(x.pkg()), "DEPENDS_ON", q));
        }
        Map<String, Object> creation = new LinkedHashMap<>();
        creation.put("created", Instant.ofEpochSecond(s.timestamp()).truncatedTo(ChronoUnit.SECONDS).toString());
        creation.put("creators", List.of("Tool: pigsty-builder-" + s.tool()));
        StringBuilder inputs = new StringBuilder("inputs:");
        new TreeMap<>(s.inputs()).forEach((k, v) -> inputs.append(' ').append(k).append('=').append(v).append(';'));
        creation.put("comment", inputs.toString());
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("spdxVersion", "SPDX-2.3");
        doc.put("dataLicense", "CC0-1.0");
        doc.put("SPDXID", "SPDXRef-DOCUMENT");
        doc.put("name", s.name());
        doc.put("documentNamespace", "https://pigsty.io/spdx/" + s.name() + "-"
                + Checksum.sha256Hex(digest.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 32));
        doc.put("creationInfo", creation);
        doc.put("documentDescribes", List.of(bundle));
        doc.put("packages", packages);
        doc.put("relationships", relationships);
        return Json.write(doc);
    }

    /** A host SPDX 2.3's downloadLocation pattern accepts: dotted, ending in a top-level domain of 2-5 letters. */
    private static final java.util.regex.Pattern SPDX_HOST = java.util.regex.Pattern.compile("[a-z0-9]+([-.][a-z0-9]+)*\\.[a-z]{2,5}");

    /** The host of an http(s) URL, lower case, without port (package paths may hold characters java.net.URI refuses, as ^). */
    private static String host(String url) {
        String rest = url.substring(url.indexOf("://") + 3);
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        int colon = authority.lastIndexOf(':');
        return (colon < 0 || authority.endsWith("]") ? authority : authority.substring(0, colon)).toLowerCase(java.util.Locale.ROOT);
    }

    /** Where upstream serves the file (the repo's first base URL and the location), or null: not http(s), or with credentials. */
    private static String url(Package p) {
        if (p.repo().baseUrls().isEmpty() || p.location() == null) return null;
        String base = p.repo().baseUrls().get(0);
        if (!base.startsWith("http://") && !base.startsWith("https://") || Secrets.present(base)) return null;
        return base.endsWith("/") ? base + p.location() : base + "/" + p.location();
    }

    private static Map<String, Object> relationship(String from, String type, String to) {
        return ordered("spdxElementId", from, "relationshipType", type, "relatedSpdxElement", to);
    }

    /** Keys and values in the order given: the JSON keeps it, so the bytes stay the same. */
    private static Map<String, Object> ordered(String... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return m;
    }
}
