package dev.sonde.suite.lint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.suite.SuiteLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelLintTest {
    /** What the session hands in: a priced set and the ids to suggest from (pricing table, then emulator). */
    private static final ModelLint.KnownModels KNOWN = new ModelLint.KnownModels(
            Set.of("claude-sonnet-4-6", "claude-haiku-4-5")::contains,
            List.of("claude-sonnet-4-6", "claude-haiku-4-5", "claude-haiku-4-5-20251001"));

    @TempDir
    Path dir;

    private List<LintWarning> lint(String yaml) throws Exception {
        Path f = dir.resolve("suite.yaml");
        Files.writeString(f, yaml);
        SuiteLoader.Loaded loaded = SuiteLoader.read(f);
        return ModelLint.check(loaded.suite(), loaded.source(), KNOWN);
    }

    @Test
    void an_unpriced_id_close_to_a_known_one_is_a_warning_at_the_id_with_the_suggestion() throws Exception {
        List<LintWarning> warnings = lint("""
                name: t
                models:
                  - {id: sonnet, model: claude-sonnet-4-6}
                  - {id: haiku, model: claude-haiku-4.5}
                cases: [{id: a, prompt: hi}]
                """);

        assertThat(warnings).singleElement().satisfies(w -> {
            assertThat(w.kind()).isEqualTo(LintWarning.Kind.UNPRICED_MODEL);
            assertThat(w.toString()).isEqualTo(dir.resolve("suite.yaml") + ":4:24: warning: models[1].model: "
                    + "'claude-haiku-4.5' is not a model the pricing table knows (did you mean 'claude-haiku-4-5'?): its "
                    + "trials will be UNPRICED, and a live API may refuse the id (the emulator answers any id). "
                    + "Fix: write 'claude-haiku-4-5', or price 'claude-haiku-4.5' in a pricing file (the suite's "
                    + "pricing:, or --pricing)");
        });
    }

    @Test
    void an_unpriced_id_like_no_known_one_says_how_to_price_it() throws Exception {
        List<LintWarning> warnings = lint("""
                name: t
                models: [{id: gw, model: my-gateway-model, provider: openai-chat}]
                cases: [{id: a, prompt: hi}]
                """);

        assertThat(warnings).singleElement().asString().endsWith("models[0].model: 'my-gateway-model' is not a model "
                + "the pricing table knows: its trials will be UNPRICED, and a live API may refuse the id (the emulator "
                + "answers any id). Fix: price 'my-gateway-model' in a pricing file (the suite's pricing:, or --pricing)");
    }

    @Test
    void priced_ids_give_no_warning() throws Exception {
        assertThat(lint("""
                name: t
                models: [{id: sonnet, model: claude-sonnet-4-6}, {id: haiku, model: claude-haiku-4-5}]
                cases: [{id: a, prompt: hi}]
                """)).isEmpty();
    }

    @Test
    void a_platform_model_is_priced_by_its_price_key_and_warned_at_its_base_model() throws Exception {
        ModelLint.KnownModels platforms = new ModelLint.KnownModels(
                Set.of("claude-sonnet-4-6", "vertex/global/claude-sonnet-4-6")::contains, KNOWN.ids());
        Path f = dir.resolve("suite.yaml");
        Files.writeString(f, """
                name: t
                models:
                  - {id: vx, provider: vertex, model: claude-sonnet-4-6, project: my-gcp-project, region: global}
                  - {id: fd, provider: foundry, model: my-deployment, resource: my-foundry, base_model: claude-sonet-4-6}
                  - {id: br, provider: bedrock, model: my-profile, region: us-east-1}
                cases: [{id: a, prompt: hi}]
                """);
        SuiteLoader.Loaded loaded = SuiteLoader.read(f);
        List<LintWarning> warnings = ModelLint.check(loaded.suite(), loaded.source(), platforms);

        assertThat(warnings).extracting(Object::toString).containsExactly(
                f + ":4:89: warning: models[1].base_model: 'foundry/-/claude-sonet-4-6' (foundry) is not a price the "
                        + "pricing table knows (did you mean base_model 'claude-sonnet-4-6'?): its trials will be UNPRICED. "
                        + "Fix: write base_model: claude-sonnet-4-6, or price 'foundry/-/claude-sonet-4-6' in a pricing "
                        + "file (the suite's pricing:, or --pricing)",
                f + ":5:40: warning: models[2].model: 'bedrock/us-east-1/my-profile' (bedrock) is not a price the "
                        + "pricing table knows: its trials will be UNPRICED. Fix: price 'bedrock/us-east-1/my-profile' in "
                        + "a pricing file (the suite's pricing:, or --pricing)");
    }
}
