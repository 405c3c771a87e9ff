package dev.meadow.e2e;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noFields;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rules ARCHITECTURE.md states, checked on the compiled classes of every module (as the reactor built them):
 * no package cycles, research code out of the services, contracts on Jackson alone, service-common without
 * TensorFlow, and constructor injection.
 */
class ArchitectureIT {

    private static final List<String> MODULES = List.of(
            "contracts",
            "platform",
            "datasets",
            "pastoral-synth",
            "shared-model",
            "evaluation",
            "service-common",
            "gateway",
            "embedder-service",
            "generator-service",
            "trainer-service",
            "cli",
            "devstack");

    static JavaClasses meadow;

    @BeforeAll
    static void importEveryModule() {
        Path root = Path.of(System.getProperty("meadow.root", ".."));
        List<Path> outputs = MODULES.stream()
                .map(m -> root.resolve(m).resolve("target/classes"))
                .toList();
        assertThat(outputs).as("every module compiled").allMatch(Files::isDirectory);
        meadow = new ClassFileImporter().importPaths(outputs);
        assertThat(meadow.stream().filter(c -> c.getPackageName().startsWith("dev.meadow")))
                .hasSizeGreaterThan(300);
    }

    /** What runs in the services: their own packages, service-common's, and the models'. */
    private static final String[] SERVICES_AND_MODELS = {
        "dev.meadow.gateway..",
        "dev.meadow.embedder..",
        "dev.meadow.generator..",
        "dev.meadow.trainer..",
        "dev.meadow.service..",
        "dev.meadow.model.."
    };

    @Test
    void noPackageDependsOnItselfThroughOthers() {
        slices().matching("dev.meadow.(**)").should().beFreeOfCycles().check(meadow);
    }

    @Test
    void servicesAndTheModelsNeverUseTheResearchCode() {
        noClasses()
                .that()
                .resideInAnyPackage(SERVICES_AND_MODELS)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.meadow.synth..", "dev.meadow.eval..")
                .check(meadow);
    }

    /**
     * A service logs in as its own component and never grants rights: users and ACLs are the administrator's tools'
     * (meadow up, meadow setup-kafka), so a compromised service cannot widen its own access through Meadow's code.
     */
    @Test
    void onlyTheAdministratorsToolsGrantKafkaRights() {
        noClasses()
                .that()
                .resideInAnyPackage(SERVICES_AND_MODELS)
                .should()
                .dependOnClassesThat()
                .haveFullyQualifiedName("dev.meadow.messaging.KafkaAccess")
                .check(meadow);
    }

    @Test
    void contractsNeedOnlyJackson() {
        classes()
                .that()
                .resideInAPackage("dev.meadow.contracts..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("dev.meadow.contracts..", "java..", "com.fasterxml.jackson..")
                .check(meadow);
    }

    @Test
    void serviceCommonThePlatformAndTheDataRunWithoutTensorFlow() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "dev.meadow.contracts..",
                        "dev.meadow.service..",
                        "dev.meadow.storage..",
                        "dev.meadow.messaging..",
                        "dev.meadow.files..",
                        "dev.meadow.dataset..",
                        "dev.meadow.image..",
                        "dev.meadow.synth..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.tensorflow..", "dev.meadow.model..")
                .check(meadow);
    }

    @Test
    void everyGalleryFormActionChecksTheSessionsFormToken() {
        // The login form opens a session; every other page action may rest on one and must carry its token.
        methods()
                .that()
                .areDeclaredInClassesThat()
                .resideInAPackage("dev.meadow.gateway.web..")
                .and(com.tngtech.archunit.base.DescribedPredicate.describe(
                        "answer POST, PUT, PATCH or DELETE",
                        (com.tngtech.archunit.core.domain.JavaMethod m) -> java.util.stream.Stream.of(
                                        "POST", "PUT", "PATCH", "DELETE")
                                .anyMatch(verb -> m.isAnnotatedWith("jakarta.ws.rs." + verb))))
                .and()
                .areDeclaredInClassesThat()
                .doNotHaveSimpleName("LoginPage")
                .should()
                .beAnnotatedWith("dev.meadow.gateway.rest.FormWrite")
                .check(meadow);
    }

    @Test
    void beansTakeTheirDependenciesThroughTheirConstructor() {
        noFields().should().beAnnotatedWith("jakarta.inject.Inject").check(meadow);
        noFields()
                .should()
                .beAnnotatedWith("org.eclipse.microprofile.config.inject.ConfigProperty")
                .check(meadow);
    }
}
