package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.sonde.suite.SuiteLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sonde init NAME} in a folder laid out as a checkout: the suite, rules and baseline it
 * writes pass offline when the printed {@code sonde run} command is run, against that baseline;
 * the suite is valid against the suite schema its modeline names; nothing is ever overwritten.
 */
class InitCommandTest {
    private static final Path PROJECT = Path.of(System.getProperty("sonde.projectDir", "..")).toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MODELINE = "# yaml-language-server: $schema=";
    @TempDir
    Path root;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void checkout() throws Exception {
        Path schema = root.resolve(InitCommand.SCHEMA);
        Files.createDirectories(schema.getParent());
        Files.copy(PROJECT.resolve(InitCommand.SCHEMA), schema);
    }

    private int sonde(String... args) {
        return Main.execute(Map.of(), new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void the_printed_run_command_passes_offline_against_the_baseline_init_wrote() throws Exception {
        assertThat(sonde("init", "first", "--dir", root.toString())).as(out + "\n" + err).isZero();

        assertThat(root.resolve("suites/first.yaml")).isRegularFile();
        assertThat(root.resolve("fixtures/emulator/first.yaml")).isRegularFile();
        JsonNode baseline = JSON.readTree(root.resolve("reports/baselines/first.json").toFile());
        assertThat(baseline.path("suite").asText()).isEqualTo("first");
        assertThat(baseline.path("trials").size()).isEqualTo(3);
        String printed = out.toString();
        assertThat(printed).contains("baseline written: reports/baselines/first.json")
                .contains("  mvn verify -Psuite=first\n")
                .contains("  ./sonde run suites/first.yaml --endpoint https://api.anthropic.com --record "
                        + "fixtures/emulator/first.yaml\n")
                .doesNotContain("filler");
        List<String> commands = printed.lines().filter(l -> l.startsWith("  ./sonde run ") || l.startsWith("  mvn "))
                .toList();
        assertThat(commands).hasSize(3);

        // the first printed command, run from the checkout's root (its paths are relative to it)
        List<String> args = new ArrayList<>(Arrays.asList(commands.getFirst().split("#")[0].strip().split("\\s+")));
        assertThat(args.subList(0, 3)).containsExactly("./sonde", "run", "suites/first.yaml");
        out.getBuffer().setLength(0);
        int exit = sonde("run", root.resolve(args.get(2)).toString(), "--out", root.resolve("again").toString(), "-q");

        assertThat(exit).as(out + "\n" + err).isZero();
        JsonNode results = JSON.readTree(root.resolve("again/results.json").toFile());
        assertThat(results.path("baseline_verdict").asText()).as("compared with the baseline init wrote").isEqualTo("pass");
        assertThat(results.path("summary").path("total").path("passed").asLong()).isEqualTo(3);
        assertThat(results.get("emulator_filler").isNull()).as("every case has its rule").isTrue();
    }

    @Test
    void the_scaffolded_suite_is_valid_against_the_schema_its_modeline_names() throws Exception {
        assertThat(sonde("init", "valid", "--dir", root.toString())).as(out + "\n" + err).isZero();
        Path suite = root.resolve("suites/valid.yaml");

        String first = Files.readAllLines(suite).getFirst();
        assertThat(first).startsWith(MODELINE);
        Path named = suite.getParent().resolve(first.substring(MODELINE.length()).strip()).normalize();
        assertThat(named).isEqualTo(root.resolve(InitCommand.SCHEMA));
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(JSON.readTree(named.toFile()));
        assertThat(schema.validate(new YAMLMapper().readTree(suite.toFile()))).isEmpty();
        assertThat(SuiteLoader.load(suite).name()).isEqualTo("valid");
    }

    @Test
    void an_existing_file_is_never_overwritten_and_nothing_is_written() throws Exception {
        Path rules = root.resolve("fixtures/emulator/taken.yaml");
        Files.createDirectories(rules.getParent());
        Files.writeString(rules, "rules: []\n");

        assertThat(sonde("init", "taken", "--dir", root.toString())).isEqualTo(Main.BAD_INPUT);

        assertThat(err.toString().lines().toList()).containsExactly("sonde init: " + rules
                + " already exists: nothing was written (choose another name, or remove it)");
        assertThat(Files.readString(rules)).isEqualTo("rules: []\n");
        assertThat(root.resolve("suites/taken.yaml")).doesNotExist();
        assertThat(root.resolve("reports/baselines/taken.json")).doesNotExist();
    }

    @Test
    @Tag("hostile")
    void a_name_that_is_not_a_safe_file_stem_is_refused_in_one_line() throws Exception {
        for (String bad : new String[] {"../evil", "a/b", "a\\b", ".hidden", "-flag", "", "two words", "x".repeat(65),
                "tab\tname", "naïve", "suite.yaml"}) {
            err.getBuffer().setLength(0);
            assertThat(sonde("init", bad, "--dir", root.toString())).as("'%s'", bad).isEqualTo(Main.BAD_INPUT);
            assertThat(err.toString().lines().count()).as(err.toString()).isLessThanOrEqualTo(2);
        }
        try (var files = Files.walk(root)) {
            assertThat(files.filter(Files::isRegularFile).toList()).containsExactly(root.resolve(InitCommand.SCHEMA));
        }
    }

    @Test
    void outside_a_checkout_it_says_where_to_run_it() throws Exception {
        Path elsewhere = Files.createDirectories(root.resolve("elsewhere"));

        assertThat(sonde("init", "mine", "--dir", elsewhere.toString())).isEqualTo(Main.BAD_INPUT);

        assertThat(err.toString().strip()).isEqualTo("sonde init: " + elsewhere + " is not the root of a Sonde checkout (no "
                + InitCommand.SCHEMA + "); run it there, or give --dir");
        assertThat(elsewhere.resolve("suites")).doesNotExist();
    }

    @Test
    void a_first_run_that_cannot_start_removes_every_file_init_wrote_and_exits_as_sonde_run_would() throws Exception {
        Path runs = root.resolve("reports/runs"); // where the first run's folder goes: a file, so it cannot be made
        Files.createDirectories(runs.getParent());
        Files.writeString(runs, "not a folder\n");

        assertThat(sonde("init", "blocked", "--dir", root.toString())).as(out + "\n" + err).isEqualTo(Main.BAD_INPUT);

        assertThat(out.toString()).contains("created suites/blocked.yaml and fixtures/emulator/blocked.yaml")
                .doesNotContain("baseline written").doesNotContain("next");
        List<String> said = err.toString().lines().toList();
        assertThat(said).hasSize(2);
        assertThat(said.get(0)).startsWith("sonde: the output folder " + runs.resolve("blocked-")).doesNotContain("\tat ");
        assertThat(said.get(1)).isEqualTo("sonde init: removed what it wrote (suites/blocked.yaml, "
                + "fixtures/emulator/blocked.yaml, any reports/baselines/blocked.json); the first run's folder, if it got "
                + "one, is kept");
        try (var files = Files.walk(root)) {
            assertThat(files.filter(Files::isRegularFile).toList()).as("only what was there before")
                    .containsExactlyInAnyOrder(root.resolve(InitCommand.SCHEMA), runs);
        }
        assertThat(Files.readString(runs)).isEqualTo("not a folder\n");
    }
}
