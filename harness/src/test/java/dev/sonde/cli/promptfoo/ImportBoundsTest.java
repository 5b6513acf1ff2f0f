package dev.sonde.cli.promptfoo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.sonde.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code sonde import promptfoo} reads and writes when the config is hostile or careless: paths
 * (relative configs, references out of the config's folder, symlinks, self-references, globs),
 * sizes, and credentials, which reach neither the suite nor the console.
 */
@Tag("hostile")
class ImportBoundsTest {
    private static final YAMLMapper YAML = new YAMLMapper();

    @TempDir
    Path dir;

    private Path config(String text) throws Exception {
        Path project = Files.createDirectories(dir.resolve("project"));
        return Files.writeString(project.resolve("promptfooconfig.yaml"), text);
    }

    private static List<String> unmapped(PromptfooImport.Result r) {
        return r.unmapped().stream().map(Unmapped::toString).toList();
    }

    @Test
    void a_config_named_without_a_folder_reads_nested_references_as_one_named_with_its_folder() throws Exception {
        // the working directory of the tests (harness/): a config named by its file name alone
        String tag = UUID.randomUUID().toString().substring(0, 8);
        Path cfg = Path.of("pf-rel-" + tag + ".yaml");
        Path tests = Path.of("pf-rel-" + tag + "-tests.yaml");
        Path doc = Path.of("pf-rel-" + tag + ".txt");
        try {
            Files.writeString(doc, "the doc");
            Files.writeString(tests, "- vars: {doc: file://" + doc + "}\n- file://" + tests + "\n");
            Files.writeString(cfg, "prompts: ['Read {{doc}}']\nproviders: [anthropic:messages:claude-x]\ntests: file://" + tests + "\n");

            PromptfooImport.Result r = PromptfooImport.of(cfg, "t");

            JsonNode suite = YAML.readTree(r.yaml());
            assertThat(suite.at("/cases/0/vars/doc").asText()).isEqualTo("the doc");
            assertThat(unmapped(r)).singleElement().asString().contains("is being read already");
        } finally {
            Files.deleteIfExists(cfg);
            Files.deleteIfExists(tests);
            Files.deleteIfExists(doc);
        }
    }

    @Test
    void a_relative_config_path_with_a_folder_resolves_against_that_folder() throws Exception {
        Path folder = Files.createDirectories(Path.of("target", "pf-rel-" + UUID.randomUUID().toString().substring(0, 8), "sub"));
        Files.writeString(folder.resolve("d.txt"), "dee");
        Files.writeString(folder.resolve("t.yaml"), "- vars: {doc: file://d.txt}\n");
        Files.writeString(folder.resolve("c.yaml"), "prompts: ['Read {{doc}}']\nproviders: [anthropic:messages:claude-x]\ntests: file://t.yaml\n");

        PromptfooImport.Result r = PromptfooImport.of(folder.resolve("c.yaml"), "t");

        assertThat(unmapped(r)).isEmpty();
        assertThat(YAML.readTree(r.yaml()).at("/cases/0/vars/doc").asText()).isEqualTo("dee");
    }

    @Test
    void a_file_outside_the_config_folder_is_one_unmapped_line_unless_its_folder_is_allowed() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "TOP-SECRET-CONTENT");
        Path cfg = config("""
                prompts: ['Read {{doc}}']
                providers: [anthropic:messages:claude-x]
                tests:
                  - {description: absolute, vars: {doc: file://%s}}
                  - {description: dotdot, vars: {doc: file://../outside/secret.txt}}
                  - {description: link, vars: {doc: file://link.txt}}
                  - {description: glob, vars: {doc: file://../outside/*.txt}}
                  - file:///usr/**/*
                  - {description: inside, vars: {doc: file://in.txt}}
                """.formatted(outside.resolve("secret.txt")));
        Files.writeString(cfg.resolveSibling("in.txt"), "fine");
        Files.createSymbolicLink(cfg.resolveSibling("link.txt"), outside.resolve("secret.txt"));

        PromptfooImport.Result r = PromptfooImport.of(cfg, "t");

        assertThat(r.yaml()).doesNotContain("TOP-SECRET-CONTENT").contains("fine");
        assertThat(unmapped(r)).hasSize(5).allSatisfy(u -> assertThat(u).contains("outside the config's folder"));
        assertThat(unmapped(r).get(4)).contains("tests file:///usr/**/*");

        PromptfooImport.Result allowed = PromptfooImport.of(cfg, "t", List.of(outside));
        assertThat(allowed.yaml()).contains("TOP-SECRET-CONTENT");
        assertThat(unmapped(allowed)).singleElement().asString().contains("file:///usr/**/*");
    }

    @Test
    void the_cli_reads_outside_only_with_allow_outside() throws Exception {
        Path outside = Files.createDirectories(dir.resolve("shared"));
        Files.writeString(outside.resolve("doc.txt"), "shared doc");
        Path cfg = config("prompts: ['Read {{doc}}']\nproviders: [anthropic:messages:claude-x]\n"
                + "tests: [{vars: {doc: file://../shared/doc.txt}}]\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();

        int refused = Main.execute(Map.of(), new PrintWriter(out, true), new PrintWriter(err, true),
                "import", "promptfoo", cfg.toString(), "--out", dir.resolve("a.yaml").toString());
        int read = Main.execute(Map.of(), new PrintWriter(out, true), new PrintWriter(err, true),
                "import", "promptfoo", cfg.toString(), "--out", dir.resolve("b.yaml").toString(), "--allow-outside", outside.toString());

        assertThat(refused).isZero();
        assertThat(out.toString()).contains("outside the config's folder").contains("--allow-outside");
        assertThat(Files.readString(dir.resolve("a.yaml"))).doesNotContain("shared doc");
        assertThat(read).as(err.toString()).isZero();
        assertThat(Files.readString(dir.resolve("b.yaml"))).contains("shared doc");
    }

    @Test
    void a_tests_file_naming_itself_is_read_once_and_the_repeat_listed() throws Exception {
        Path cfg = config("""
                prompts: ['Say {{x}}']
                providers: file://prov.yaml
                tests: file://t.yaml
                """);
        Files.writeString(cfg.resolveSibling("t.yaml"), "- file://t.yaml\n- vars: {x: hi}\n");
        Files.writeString(cfg.resolveSibling("prov.yaml"), "- file://prov.yaml\n- anthropic:messages:claude-x\n");

        PromptfooImport.Result r = PromptfooImport.of(cfg, "t");

        assertThat(r.yaml()).contains("x: hi");
        assertThat(unmapped(r)).hasSize(2).allSatisfy(u -> assertThat(u).contains("is being read already"));
    }

    @Test
    void the_globs_of_an_import_stop_at_their_budget_of_entries_visited() throws Exception {
        Path tree = Files.createDirectories(dir.resolve("tree"));
        for (int i = 0; i < 30; i++) {
            Files.writeString(Files.createDirectories(tree.resolve("d" + i)).resolve("f.txt"), "x");
        }
        Sources sources = new Sources(List.of(tree.toRealPath()), 100);

        assertThat(sources.resolve(tree.toRealPath(), "file://d1*/*.txt")).hasSize(11); // d1, d10..d19; 61 entries visited
        assertThatThrownBy(() -> sources.resolve(tree.toRealPath(), "file://d2*/*.txt")) // 61 more: past the import's 100
                .isInstanceOf(Sources.Unreadable.class).hasMessageContaining("100 entries visited");
    }

    @Test
    void a_suite_past_64_mb_is_cut_between_whole_cases_and_the_place_said() throws Exception {
        Path cfg = config("""
                prompts: ['Read {{doc}} {{n}}']
                providers: [anthropic:messages:claude-x]
                tests:
                  - vars: {doc: file://big.txt, n: [%s]}
                """.formatted(String.join(", ", java.util.stream.IntStream.range(0, 40).mapToObj(i -> "n" + i).toList())));
        Files.writeString(cfg.resolveSibling("big.txt"), "a".repeat(8 << 20));

        PromptfooImport.Result r = PromptfooImport.of(cfg, "t");

        assertThat(r.yaml().split("\n- id: test-1-", -1)).hasSize(8); // 7 cases × 8 MB fit under 64 MB, the 8th would not
        assertThat(r.yaml()).contains("- id: test-1-7\n").doesNotContain("test-1-8\n");
        assertThat(r.yaml().length()).isGreaterThan(7 * (8 << 20)).isLessThan(64 << 20);
        assertThat(unmapped(r)).singleElement().asString().contains("cases from test-1-8 on (case 8 and after)")
                .contains("the suite would pass 64 MB");
    }

    @Test
    void credentials_in_a_base_url_and_secret_looking_headers_are_never_written_nor_printed() throws Exception {
        String token = "AIzaSy" + "FakeGoogleKey0000000000000000000";
        Path cfg = config("""
                prompts: ['Say {{x}}']
                providers:
                  - id: openai:chat:gpt-4o-mini
                    config:
                      apiBaseUrl: https://admin:hunter2pass@llm.internal.example/v1
                      headers: {X-Password: p4ssw0rd, X-Session-Id: s1, Cookie: c=1, X-Custom: Bearer abc123def, X-Opaque: %s, X-Trace: t-1}
                    delay: 500
                    env: {OPENAI_API_KEY: envvalue-do-not-print}
                tests: [{vars: {x: a}}]
                """.formatted(token));

        PromptfooImport.Result r = PromptfooImport.of(cfg, "t");

        JsonNode model = YAML.readTree(r.yaml()).at("/models/0");
        assertThat(model.get("base_url").asText()).isEqualTo("https://llm.internal.example/v1");
        assertThat(model.get("headers").toString()).isEqualTo("{\"X-Trace\":\"t-1\"}");
        String printed = String.join("\n", unmapped(r)) + String.join("\n", r.notes());
        for (String secret : List.of("hunter2pass", "admin:", "p4ssw0rd", "abc123def", token, "envvalue-do-not-print")) {
            assertThat(r.yaml()).doesNotContain(secret);
            assertThat(printed).doesNotContain(secret);
        }
        assertThat(printed).contains("config.apiBaseUrl user:password@ — credentials in the URL are never written")
                .contains("header X-Password").contains("header X-Session-Id").contains("header Cookie")
                .contains("header X-Custom").contains("header X-Opaque").contains("delay — Sonde paces").contains(" env — set these");
    }

    @Test
    void the_suite_comments_are_masked_as_the_console_is() throws Exception {
        String key = "sk_live_" + "abcdefghijklmnopq";
        Path cfg = config("""
                prompts: ['{%% set k = "%s" %%}Say {{x}}', 'Say {{x}}']
                providers: [anthropic:messages:claude-x]
                tests: [{vars: {x: a}}, https://bob:hunter2@example.com/t.csv]
                """.formatted(key));

        PromptfooImport.Result r = PromptfooImport.of(cfg, "t");

        assertThat(r.yaml()).startsWith("# Imported").contains("[redacted]").doesNotContain(key).doesNotContain("hunter2");
        assertThat(unmapped(r)).noneMatch(u -> u.contains(key) || u.contains("hunter2"));
    }

    @Test
    void a_csv_error_names_its_row_and_column_and_never_quotes_a_cell() throws Exception {
        String cell = "Zq8Lr0tXw3Yv5Nb7Kc9Md1Pe2Hf4Gj6Sa0Ud2Wi"; // 38 key characters with no known prefix
        Path cfg = config("prompts: ['Say {{x}}']\nproviders: [anthropic:messages:claude-x]\ntests: file://rows.csv\n");
        Files.writeString(cfg.resolveSibling("rows.csv"), "x,__expected\nhello,contains:h\nworld,contains:w," + cell + "\n");

        PromptfooImport.Result r = PromptfooImport.of(cfg, "t");

        assertThat(unmapped(r)).singleElement().asString().startsWith(cfg.resolveSibling("rows.csv").toRealPath() + ":3:")
                .contains("not valid CSV here").doesNotContain(cell).doesNotContain("Zq8");
        assertThat(Secrets.mask("key " + cell + " model claude-sonnet-4-5-20250929 at /tmp/a/b-1234567890123456789012345.txt"))
                .isEqualTo("key [redacted] model claude-sonnet-4-5-20250929 at /tmp/a/b-1234567890123456789012345.txt");
    }
}
