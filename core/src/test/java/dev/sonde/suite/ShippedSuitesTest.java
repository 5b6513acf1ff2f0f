package dev.sonde.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every shipped suite opens with the modeline editors read ({@code yaml-language-server}, VS Code's
 * YAML extension) pointing at the suite schema Sonde validates with, and loads as it is.
 */
class ShippedSuitesTest {
    private static final Path PROJECT = Path.of(System.getProperty("sonde.projectDir", "..")).toAbsolutePath().normalize();
    private static final String MODELINE = "# yaml-language-server: $schema=";

    @Test
    void every_shipped_suite_names_the_schema_editors_validate_it_with_and_loads() throws Exception {
        List<Path> suites;
        try (Stream<Path> files = Files.list(PROJECT.resolve("suites"))) {
            suites = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(suites).hasSizeGreaterThanOrEqualTo(6);
        Path schema = PROJECT.resolve("core/src/main/resources/dev/sonde/suite.schema.json");
        for (Path suite : suites) {
            String first = Files.readAllLines(suite).get(0);
            assertThat(first).as(suite + ": its first line").startsWith(MODELINE);
            Path named = suite.getParent().resolve(first.substring(MODELINE.length()).strip()).normalize();
            assertThat(named).as(suite + ": the schema it names, relative to the file").isEqualTo(schema);
            assertThat(SuiteLoader.load(suite).name()).isNotBlank();
        }
    }
}
