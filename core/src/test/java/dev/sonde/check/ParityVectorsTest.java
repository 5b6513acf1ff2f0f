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
 * disagreement and the figure. A second, blind file ({@code parity/promptfoo-vectors-blind.yaml})
 * is measured the same way, held to the same 95 %, and reported apart ("blind: N of M"). A deliberate
 * difference whose Sonde verdict is not simply the opposite of promptfoo's (promptfoo refuses the
 * assertion, or only its not- form differs) gives Sonde's plain verdict as {@code sonde_pass}.
 */
class ParityVectorsTest {
    private static final Set<String> DATA = Set.of("type", "output", "pass", "error", "difference", "sonde", "note",
            "latency_ms", "cost_usd", "promptfoo_not_pass", "sonde_pass");
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

    /** One file's measurement: every run, and the shared-behaviour agreement. */
    private record Measurement(int vectors, List<Run> runs) {
        List<Run> shared() {
            return runs.stream().filter(r -> !r.deliberate()).toList();
        }

        List<Run> deliberate() {
            return runs.stream().filter(Run::deliberate).toList();
        }

        long agreeing() {
            return shared().stream().filter(Run::agrees).count();
        }

        double agreement() {
            return (double) agreeing() / shared().size();
        }
    }

    @Test
    void sonde_agrees_with_promptfoo_on_the_vectors_and_differs_only_where_documented() throws Exception {
        Measurement m = measure("/parity/promptfoo-vectors.yaml", "parity");

        assertThat(m.vectors()).isGreaterThanOrEqualTo(200);
        assertThat(m.agreement()).as("agreement on the shared behaviour").isGreaterThanOrEqualTo(0.95);
        assertThat(m.deliberate()).as("every deliberate difference behaves as documented").allMatch(Run::agrees);
        assertThat(m.deliberate().stream().map(Run::label)).isNotEmpty();
    }

    /**
     * A second, blind measurement: {@code parity/promptfoo-vectors-blind.yaml} was written from promptfoo's
     * sources by someone who had not read the first file (nor the README's list of differences) and was not
     * tuned to Sonde afterwards. Its figure is printed apart ("blind: N of M").
     */
    @Test
    void blind_vectors_measure_agreement_independently() throws Exception {
        Measurement m = measure("/parity/promptfoo-vectors-blind.yaml", "blind");
        System.out.println(String.format(Locale.ROOT, "blind: %d of %d", m.agreeing(), m.shared().size()));

        assertThat(m.vectors()).isGreaterThanOrEqualTo(150);
        assertThat(m.agreement()).as("blind agreement on the shared behaviour").isGreaterThanOrEqualTo(0.95);
        assertThat(m.deliberate()).as("every deliberate difference behaves as documented").allMatch(Run::agrees);
    }

    private static Measurement measure(String resource, String name) throws Exception {
        JsonNode vectors;
        try (InputStream in = ParityVectorsTest.class.getResourceAsStream(resource)) {
            vectors = new ObjectMapper(new YAMLFactory()).readTree(in);
        }
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < vectors.size(); i++) {
            ObjectNode v = (ObjectNode) vectors.get(i);
            String type = v.get("type").asText();
            String label = "#" + (i + 1) + " " + type + " " + Excerpt.of(v.get("output").asText());
            boolean deliberate = v.has("difference");
            // sonde_pass: Sonde's verdict on the plain form of a deliberate difference, where it is not the
            // opposite of promptfoo's (promptfoo refuses and Sonde decides, or only promptfoo's not- form differs).
            boolean refusalExpected = (v.path("error").asBoolean() && !v.has("sonde_pass"))
                    || v.path("sonde").asText().equals("refuses");
            boolean promptfoo = v.path("pass").asBoolean();
            for (boolean negated : new boolean[] {false, true}) {
                if (negated && BOUNDS.contains(type)) {
                    continue;
                }
                // promptfoo's answer for this form: the opposite when negated, unless the vector gives it
                // (promptfoo_not_pass: a promptfoo handler that ignores not-, or fails both forms). A
                // deliberate difference holds Sonde to the README: the opposite verdict, negated as usual.
                boolean promptfooHere = negated
                        ? (v.has("promptfoo_not_pass") ? v.get("promptfoo_not_pass").asBoolean() : !promptfoo)
                        : promptfoo;
                boolean sondePlain = v.has("sonde_pass") ? v.get("sonde_pass").asBoolean() : !promptfoo;
                boolean sondeExpected = deliberate ? sondePlain != negated : promptfooHere;
                Outcome got = run(v, negated ? "not-" + type : type);
                String expected = refusalExpected ? "refused" : (sondeExpected ? "pass" : "fail");
                boolean agrees = refusalExpected ? got.pass() == null
                        : got.pass() != null && got.pass() == sondeExpected;
                runs.add(new Run((negated ? "not-" : "") + label, deliberate, agrees, expected, got));
            }
        }
        Measurement m = new Measurement(vectors.size(), runs);
        for (Run r : runs) {
            if (!r.agrees()) {
                System.out.println(name + " " + (r.deliberate() ? "deliberate-difference broken" : "disagreement") + ": "
                        + r.label() + " expected " + r.expected() + ", Sonde " + r.got());
            }
        }
        System.out.println(String.format(Locale.ROOT,
                "%s: Sonde agrees with promptfoo on %d of %d vectors (%.1f %%) apart from %d deliberate differences"
                        + " (%d vectors as written, each also negated where Sonde has a not- form)",
                name, m.agreeing(), m.shared().size(), 100 * m.agreement(), m.deliberate().size(), vectors.size()));
        return m;
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
