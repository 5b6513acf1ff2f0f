package dev.sonde.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.suite.SuiteException;

/**
 * An assertion's optional {@code grader:} — a model ({@code models[].id} or an API model id) or
 * {@code {model, params}} — resolved to a {@link Grader} while the suite loads, for every graded
 * type alike ({@code llm-rubric} and the model-graded templates). Without it the suite's grader
 * judges. Stateless.
 */
final class GraderParam {
    private GraderParam() {}

    /**
     * @throws SuiteException at {@code grader} when it has the wrong shape or names no model there
     *     is, at {@code type} when no grader is available at all
     */
    static Grader resolve(Params p) throws SuiteException {
        String model = null;
        ObjectNode params = null;
        JsonNode g = p.node("grader");
        if (g != null && g.isTextual() && !g.asText().isBlank()) {
            model = g.asText();
        } else if (g instanceof ObjectNode o && o.path("model").isTextual() && !o.get("model").asText().isBlank()
                && (!o.has("params") || o.get("params").isObject())
                && o.properties().stream().allMatch(f -> f.getKey().equals("model") || f.getKey().equals("params"))) {
            model = o.get("model").asText();
            params = o.has("params") ? (ObjectNode) o.get("params") : null;
        } else if (g != null) {
            throw p.error("grader", "'grader' is a model (models[].id or an API model id), or a mapping with 'model' "
                    + "and optional 'params'");
        }
        try {
            return p.graders().resolve(model, params);
        } catch (IllegalArgumentException e) {
            throw p.error(g != null ? "grader" : "type", e.getMessage());
        }
    }
}
