package dev.sonde.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The room rule of docs/ARCHITECTURE.md, on the compiled main classes: a room (package, with its
 * sub-packages) depends only on the rooms listed above it; {@code emulator} depends on
 * {@code metrics} alone; {@code report} never depends on {@code suite}; {@code junit} (the test engine)
 * and {@code cli} stand beside each other above {@code session}, neither using the other.
 */
class RoomsTest {
    /** The rooms from the floor up, as docs/ARCHITECTURE.md lists them. */
    static final List<String> ROOMS = List.of("metrics", "stats", "suite", "api", "emulator", "check", "journal", "run",
            "analysis", "baseline", "migration", "report", "history", "session", "lib", "junit", "cli");

    private static JavaClasses main;

    @BeforeAll
    static void importMain() {
        // test classes of this module (target/test-classes) and of core's test-jar (its helpers, once
        // `package` has made the jar the reactor hands out) are not rooms
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.matches(java.util.regex.Pattern.compile(".*-tests\\.jar.*")))
                .importPackages("dev.sonde");
    }

    /** Every rule of the map, as one. */
    static ArchRule rule() {
        List<ArchRule> rules = new ArrayList<>();
        for (int i = 0; i < ROOMS.size(); i++) {
            List<String> later = ROOMS.subList(i + 1, ROOMS.size()).stream().map(r -> "dev.sonde." + r + "..").toList();
            if (!later.isEmpty()) {
                rules.add(noClasses().that().resideInAPackage("dev.sonde." + ROOMS.get(i) + "..")
                        .should().dependOnClassesThat().resideInAnyPackage(later.toArray(String[]::new))
                        .as("room " + ROOMS.get(i) + " depends only on the rooms listed above it").allowEmptyShould(true));
            }
        }
        List<String> notForEmulator = ROOMS.stream().filter(r -> !r.equals("metrics") && !r.equals("emulator"))
                .map(r -> "dev.sonde." + r + "..").toList();
        rules.add(noClasses().that().resideInAPackage("dev.sonde.emulator..").should().dependOnClassesThat()
                .resideInAnyPackage(notForEmulator.toArray(String[]::new))
                .as("the emulator depends on metrics alone").allowEmptyShould(true));
        rules.add(noClasses().that().resideInAPackage("dev.sonde.report..").should().dependOnClassesThat()
                .resideInAPackage("dev.sonde.suite..").as("report never depends on suite").allowEmptyShould(true));
        rules.add(noClasses().that().resideInAPackage("dev.sonde.cli..").should().dependOnClassesThat()
                .resideInAPackage("dev.sonde.junit..").as("cli and junit stand beside each other")
                .allowEmptyShould(true));
        return CompositeArchRule.of(rules);
    }

    @Test
    void every_room_depends_only_on_the_rooms_below_it() {
        rule().check(main);
    }

    @Test
    void every_room_of_the_code_is_on_the_map() {
        List<String> rooms = main.stream().map(c -> c.getPackageName()).filter(p -> p.startsWith("dev.sonde."))
                .map(p -> p.substring("dev.sonde.".length()).split("\\.")[0]).distinct().sorted().toList();
        assertThat(ROOMS).containsAll(rooms);
    }

    @Test
    void a_back_edge_fails_the_rule() {
        JavaClasses withBackEdge = new ClassFileImporter().importClasses(
                exampleClass(), dev.sonde.cli.Main.class);
        assertThatThrownBy(() -> rule().check(withBackEdge)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("room metrics depends only on the rooms listed above it")
                .hasMessageContaining("BackEdgeExample.describe(dev.sonde.cli.Main)");
    }

    private static Class<?> exampleClass() {
        try {
            return Class.forName("dev.sonde.metrics.BackEdgeExample");
        } catch (ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }
}
