package dev.sonde.check;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sonde.suite.AssertSpec;
import dev.sonde.suite.SuiteException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 23's parity bar: Sonde's own vectors of promptfoo's behaviour
 * ({@code parity/promptfoo-vectors.yaml}), each run through the registry as written and in its
 * {@code not-} form. Sonde agrees with promptfoo on at least 95 % of the vectors that are not
 * deliberate differences, and every deliberate difference behaves as the README documents it (the
 * opposite verdict, or a suite error where the vector says {@code sonde: refuses}). Prints every
 * disagreement and the figure.
 */
class ParityVectorsTest {
    private static final Set<String> DATA = Set.of("type", "output", "pass", "error", "difference", "sonde", "note",
            "latency_ms", "cost_usd");
    /** Types without a not- form in Sonde (bounds). */
    private static final Set<String> BOUNDS = Set.of("latency", "cost");

    /** What Sonde did with one vector: a verdict, or a refusal at load. */
    private record Outcome(Boolean pass, String detail) {
        static Outcome refused(String why) {
            return new Outcome(null, "refused: " + why);
        }

        @Override
        public String toString() {
            return pass == null ? detail : (pass ? "pass" : "fail") + " (" + detail + ")";
        }
    }

    private record Run(String label, boolean deliberate, boolean agrees, String expected, Outcome got) {}

    @Test
    void sonde_agrees_with_promptfoo_on_the_vectors_and_differs_only_where_documented() throws Exception {
        JsonNode vectors;
        try (InputStream in = getClass().getResourceAsStream("/parity/promptfoo-vectors.yaml")) {
            vectors = new ObjectMapper(new YAMLFactory()).readTree(in);
        }
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < vectors.size(); i++) {
            ObjectNode v = (ObjectNode) vectors.get(i);
            String type = v.get("type").asText();
            String label = "#" + (i + 1) + " " + type + " " + Excerpt.of(v.get("output").asText());
            boolean deliberate = v.has("difference");
            boolean refusalExpected = v.path("error").asBoolean() || v.path("sonde").asText().equals("refuses");
            boolean promptfoo = v.path("pass").asBoolean();
            boolean sondeExpected = deliberate ? !promptfoo : promptfoo;
            for (boolean negated : new boolean[] {false, true}) {
                if (negated && BOUNDS.contains(type)) {
                    continue;
                }
                Outcome got = run(v, negated ? "not-" + type : type);
                String expected = refusalExpected ? "refused" : (sondeExpected != negated ? "pass" : "fail");
                boolean agrees = refusalExpected ? got.pass() == null
                        : got.pass() != null && got.pass() == (sondeExpected != negated);
                runs.add(new Run((negated ? "not-" : "") + label, deliberate, agrees, expected, got));
            }
        }

        List<Run> shared = runs.stream().filter(r -> !r.deliberate()).toList();
        List<Run> deliberate = runs.stream().filter(Run::deliberate).toList();
        long agreeing = shared.stream().filter(Run::agrees).count();
        double agreement = (double) agreeing / shared.size();
        for (Run r : runs) {
            if (!r.agrees()) {
                System.out.println("parity " + (r.deliberate() ? "deliberate-difference broken" : "disagreement") + ": "
                        + r.label() + " expected " + r.expected() + ", Sonde " + r.got());
            }
        }
        System.out.println(String.format(Locale.ROOT,
                "parity: Sonde agrees with promptfoo on %d of %d vectors (%.1f %%) apart from %d deliberate differences"
                        + " (%d vectors as written, each also negated where Sonde has a not- form)",
                agreeing, shared.size(), 100 * agreement, deliberate.size(), vectors.size()));

        assertThat(vectors.size()).isGreaterThanOrEqualTo(200);
        assertThat(agreement).as("agreement on the shared behaviour").isGreaterThanOrEqualTo(0.95);
        assertThat(deliberate).as("every deliberate difference behaves as documented").allMatch(Run::agrees);
        assertThat(deliberate.stream().map(Run::label)).isNotEmpty();
    }

    private static Outcome run(ObjectNode vector, String type) {
        ObjectNode config = vector.deepCopy();
        config.retain(config.properties().stream().map(e -> e.getKey()).filter(k -> !DATA.contains(k)).toList());
        config.put("type", type);
        AssertSpec spec = new AssertSpec(type, config, Fixtures.AT, Fixtures.FIELD);
        Check check;
        try {
            check = Checks.create(spec);
        } catch (SuiteException e) {
            return Outcome.refused(e.getMessage());
        }
        Fixtures.Ex exchange = Fixtures.text(vector.get("output").asText());
        if (vector.has("latency_ms")) {
            long ms = vector.get("latency_ms").asLong();
            exchange.timesMs(Math.min(ms, 100), ms, 1);
        }
        Double cost = vector.has("cost_usd") ? vector.get("cost_usd").asDouble() : null;
        CheckResult r = check.evaluate(exchange.build(), cost);
        return new Outcome(r.pass(), r.reason());
    }
}
