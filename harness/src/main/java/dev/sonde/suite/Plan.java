package dev.sonde.suite;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The expanded matrix of a suite: cases × models × repeats, in that nesting order (all models of
 * a case, then the next case), each a {@link Trial} with its request body built.
 *
 * <p>Body fields: the suite's {@code defaults.params}, overridden by the model's {@code params},
 * overridden by the case's {@code params}; then {@code model}, {@code system}, {@code messages}
 * and {@code stream} set by the harness. {@code max_tokens} defaults to {@value #DEFAULT_MAX_TOKENS}
 * when no level sets it, since the API requires it. A suite with {@code variants:} expands by
 * {@link SequencePlan} instead.
 */
public final class Plan {
    public static final int DEFAULT_MAX_TOKENS = 1024;

    private Plan() {}

    public static List<Trial> expand(Suite suite) {
        if (!suite.variants().isEmpty()) {
            return SequencePlan.expand(suite);
        }
        List<Trial> trials = new ArrayList<>();
        for (CaseSpec c : suite.cases()) {
            for (ModelSpec m : suite.models()) {
                if (!c.runsOn(m)) {
                    continue;
                }
                ObjectNode body = body(suite, c, m);
                for (int r = 0; r < suite.run().repeat(); r++) {
                    trials.add(new Trial(Trial.idOf(c.id(), m.id(), r), c, m, r, body, m.headers()));
                }
            }
        }
        return List.copyOf(trials);
    }

    static ObjectNode body(Suite suite, CaseSpec c, ModelSpec m) {
        ObjectNode body = suite.defaultParams().deepCopy();
        body.setAll(m.params().deepCopy());
        body.setAll(c.params().deepCopy());
        ObjectNode out = body.objectNode();
        out.put("model", m.model());
        if (!body.has("max_tokens")) {
            out.put("max_tokens", DEFAULT_MAX_TOKENS);
        }
        out.setAll(body);
        if (c.system() != null) {
            out.set("system", c.system().deepCopy());
        }
        out.set("messages", c.messages().deepCopy());
        out.put("stream", m.stream());
        return out;
    }
}
