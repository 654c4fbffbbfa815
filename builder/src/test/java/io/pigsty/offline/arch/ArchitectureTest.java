package io.pigsty.offline.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The house rules, checked on the compiled classes: the folder tree is the data flow, so no stage
 * imports a stage after it; the model and the formats sit below every stage, and formats do no
 * network I/O (they read the local files they are handed); the CLI only talks to {@code build}; no
 * package cycles; the bundle's names are spelled in one place.
 */
class ArchitectureTest {
    private static final String ROOT = "io.pigsty.offline";
    /** The stages in data-flow order: each may use those before it, never one after it. */
    private static final List<String> STAGES = List.of("config", "plan", "metadata", "solve", "fetch", "repo", "pack", "vm", "build", "cli");

    private static JavaClasses classes;

    @BeforeAll
    static void read() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);
        assertTrue(classes.size() > 80, "the builder's classes were found: " + classes.size());
    }

    private static String pkg(String stage) {
        return ROOT + "." + stage + "..";
    }

    @Test
    void noStageImportsALaterOne() {
        Architectures.LayeredArchitecture layers = Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("model").definedBy(pkg("model"))
                .layer("format").definedBy(pkg("format"));
        for (String s : STAGES) layers = layers.layer(s).definedBy(pkg(s));
        layers = layers.whereLayer("model").mayNotAccessAnyLayer()
                .whereLayer("format").mayOnlyAccessLayers("model");
        for (int i = 0; i < STAGES.size(); i++) {
            List<String> later = STAGES.subList(i + 1, STAGES.size());
            if (later.isEmpty()) layers = layers.whereLayer(STAGES.get(i)).mayNotBeAccessedByAnyLayer();
            else layers = layers.whereLayer(STAGES.get(i)).mayOnlyBeAccessedByLayers(later.toArray(String[]::new));
        }
        layers.check(classes);
    }

    @Test
    void formatsDoNoNetworkIo() {
        noClasses().that().resideInAPackage(pkg("format")).should().dependOnClassesThat()
                .resideInAnyPackage("okhttp3..", "java.net..", "java.net.http..")
                .because("a format reads the verified local files it is handed; fetching is the metadata and fetch stages' job")
                .check(classes);
    }

    @Test
    void theCliOnlyTalksToBuild() {
        classes().that().resideInAPackage(pkg("cli")).should().onlyDependOnClassesThat(
                        com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage(pkg("cli"), pkg("build"), "java..")
                                .or(com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo(
                                        io.pigsty.offline.model.EditDistance.class)))
                .because("commands turn options into a request and print what the build returns; no logic lives there"
                        + " (the one shared helper: did-you-mean for a mistyped option)")
                .check(classes);
    }

    @Test
    void noPackageCycles() {
        slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(classes);
    }

    /**
     * The builder and the launcher agree on the bundle through io.pigsty.bundle alone: neither module's
     * sources spell the contract's names as literals.
     */
    @Test
    void bundleNamesLiveInOnePlace() throws IOException {
        List<String> contract = List.of("\"repo_complete\"", "\"manifest.json\"", "\"firstboot.sh\"", "\"inventory/pigsty.yml\"",
                "\"pigsty-pkg-", "\"pigsty-repo-", "\"/www/pigsty\"", "\"/tmp/pkg.tgz\"", "\"/usr/lib/pigsty-launcher", "\"/root/pigsty",
                "\"10.10.10.10\"", "\"./deploy.yml\"", "\"pigsty-launcher\"", "\"placeholder_ip\"", "\"replace_ip\"");
        List<String> found = new ArrayList<>();
        for (Path src : List.of(Path.of("src/main/java"), Path.of("../launcher/src/main/java"))) {
            assertTrue(Files.isDirectory(src), src.toAbsolutePath().toString());
            try (Stream<Path> s = Files.walk(src)) {
                for (Path f : (Iterable<Path>) s.filter(p -> p.toString().endsWith(".java"))::iterator) {
                    String text = Files.readString(f);
                    for (String c : contract) if (text.contains(c)) found.add(f + ": " + c);
                }
            }
        }
        assertTrue(found.isEmpty(), "bundle names spelled outside io.pigsty.bundle.BundleLayout:\n" + String.join("\n", found));
    }
}
