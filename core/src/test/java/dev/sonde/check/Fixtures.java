package dev.sonde.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sonde.api.ContentBlock;
import dev.sonde.api.Exchange;
import dev.sonde.metrics.Timings;
import dev.sonde.metrics.Usage;
import dev.sonde.suite.AssertSpec;
import dev.sonde.suite.Location;
import dev.sonde.suite.SuiteException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builders for check tests: assertions from inline YAML, exchanges from a few facts. */
final class Fixtures {
    static final Location AT = new Location(Path.of("s.yaml"), 7, 9);
    static final String FIELD = "cases[0].assert[0]";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Fixtures() {}

    static AssertSpec spec(String yaml) {
        ObjectNode config = (ObjectNode) yaml(yaml);
        return new AssertSpec(config.path("type").asText(), config, AT, FIELD);
    }

    static Check check(String yaml) throws SuiteException {
        return Checks.create(spec(yaml), GRADERS);
    }

    /** Grader usage the fake grader reports for every call, and its price. */
    static final String GRADER_USAGE = "{input_tokens: 120, output_tokens: 30}";
    static final double GRADER_COST_USD = 0.00027;

    /**
     * A fake grader for unit tests (the real one is tested against the emulator in the cli tests):
     * for a rubric "mentions X" it passes exactly the answers containing X, with score 0.9 or 0.2.
     */
    static final Graders GRADERS = (model, params) -> new Grader() {
        @Override
        public String model() {
            return model == null ? "fake-grader" : model;
        }

        @Override
        public Reply ask(String system, String prompt, ObjectNode verdictSchema) {
            java.util.regex.Matcher m = java.util.regex.Pattern
                    .compile("(?s)\\A<rubric-(\\w+)>\\s*mentions (\\S+?)\\.?\\s*</rubric-\\1>.*?<answer-\\1>\\n(.*)\\n</answer-\\1>")
                    .matcher(prompt);
            String verdict = !m.find() ? template(prompt)
                    : m.group(3).contains(m.group(2)) ? "{\"pass\": true, \"score\": 0.9, \"reason\": \"mentioned\"}"
                    : "{\"pass\": false, \"score\": 0.2, \"reason\": \"not mentioned\"}";
            return new Reply(verdict, Usage.fromJson(yaml(GRADER_USAGE)), GRADER_COST_USD, null);
        }
    };

    /**
     * The fake grader's answers to the model-graded templates (recognised by their first line): a
     * pass exactly when the graded text holds "Paris", a fail otherwise; "no idea" for anything else.
     */
    private static String template(String prompt) {
        java.util.regex.Matcher answer = java.util.regex.Pattern
                .compile("(?s)<(answer|statements)-(\\w+)>\\n(.*)\\n</\\1-\\2>").matcher(prompt);
        String graded = answer.find() ? answer.group(3) : "";
        boolean paris = graded.contains("Paris");
        String first = prompt.lines().findFirst().orElse("");
        if (first.startsWith("Factuality:")) {
            return "{\"category\": \"" + (paris ? "C" : "D") + "\", \"reason\": \"fake\"}";
        } else if (first.startsWith("Closed QA:")) {
            return "{\"meets\": " + paris + ", \"reason\": \"fake\"}";
        } else if (first.startsWith("G-Eval steps:")) {
            return "{\"steps\": [\"Check the answer.\"]}";
        } else if (first.startsWith("G-Eval score:")) {
            return "{\"score\": " + (paris ? 9 : 2) + ", \"reason\": \"fake\"}";
        } else if (first.startsWith("Faithfulness statements:")) {
            return "{\"statements\": [" + com.fasterxml.jackson.databind.node.TextNode.valueOf(graded).toString() + "]}";
        } else if (first.startsWith("Faithfulness verdicts:")) {
            return "{\"verdicts\": [{\"statement\": \"s\", \"supported\": " + paris + "}]}";
        } else if (first.startsWith("Answer relevance:")) {
            String q = paris ? "What is the capital of France?" : "What did you buy yesterday?";
            return "{\"questions\": [\"" + q + "\", \"" + q + "\", \"" + q + "\"]}";
        }
        return "no idea";
    }

    static JsonNode yaml(String yaml) {
        try {
            return YAML.readTree(yaml);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Ex text(String text) {
        return new Ex().text(text);
    }

    static Ex ex() {
        return new Ex();
    }

    /** A mutable builder of one successful exchange. */
    static final class Ex {
        private final List<ContentBlock> content = new ArrayList<>();
        private String stopReason = "end_turn";
        private String usage = "{input_tokens: 10, output_tokens: 20}";
        private long ttftMs = 100;
        private long e2eMs = 400;
        private long[] itlMs = {10, 10};

        Ex text(String t) {
            content.add(new ContentBlock.Text(t));
            return this;
        }

        Ex tool(String name, String inputYaml) {
            content.add(new ContentBlock.ToolUse("toolu_" + content.size(), name, yaml(inputYaml)));
            return this;
        }

        Ex thinking(String t) {
            content.add(new ContentBlock.Thinking(t, "sig"));
            return this;
        }

        Ex block(ContentBlock b) {
            content.add(b);
            return this;
        }

        Ex stop(String reason) {
            stopReason = reason;
            return this;
        }

        Ex usage(String yaml) {
            usage = yaml;
            return this;
        }

        Ex timesMs(long ttft, long e2e, long... itl) {
            ttftMs = ttft;
            e2eMs = e2e;
            itlMs = itl;
            return this;
        }

        Exchange build() {
            long[] itl = new long[itlMs.length];
            for (int i = 0; i < itl.length; i++) {
                itl[i] = itlMs[i] * 1_000_000;
            }
            Timings t = new Timings(1_000_000, ttftMs < 0 ? -1 : ttftMs * 1_000_000, ttftMs < 0 ? -1 : ttftMs * 1_000_000,
                    e2eMs * 1_000_000, itl, ttftMs < 0 ? 0 : itl.length + 1);
            return new Exchange(200, "req_1", "claude-sonnet-4-6", content, stopReason, null,
                    Usage.fromJson(yaml(usage)), t, null);
        }
    }
}
