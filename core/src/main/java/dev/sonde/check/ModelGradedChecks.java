package dev.sonde.check;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.suite.SuiteException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The factories of the model-graded templates ({@code factuality}, {@code model-graded-closedqa},
 * {@code g-eval}, {@code context-faithfulness}, {@code context-recall}, {@code context-relevance},
 * {@code answer-relevance}), registered in {@link Checks}: their parameters are read and bounded
 * here, so a bad one is a {@link SuiteException} at the assertion before anything is sent. Every
 * one takes {@code grader:} as {@code llm-rubric} does ({@link GraderParam}). {@code question} is
 * written by the suite loader when the assertion has none (the case's last user text); a question
 * still missing here (an assertion built outside a suite) is an error too. Stateless.
 */
final class ModelGradedChecks {
    /** The longest text a parameter may hold (a question, a reference, a criterion, a context item). */
    static final int MAX_TEXT_CHARS = 1_000_000;
    /** The most items a {@code context} list or a {@code g-eval} criteria list may hold. */
    static final int MAX_ITEMS = 1_000;
    /** Between the items of a context list, in the grader's prompt. */
    private static final String ITEM_SEPARATOR = "\n\n";

    private ModelGradedChecks() {}

    static Check factuality(Params p) throws SuiteException {
        p.only("value", "question", "scores", "grader");
        String reference = text(p, "value", "the reference answer");
        String question = question(p);
        double[] scores = {1, 1, 1, 0, 1};
        JsonNode given = p.node("scores");
        if (given != null && !given.isNull()) {
            if (!given.isObject()) {
                throw p.error("scores", "'scores' is a mapping of categories to numbers from 0 to 1 ("
                        + String.join(", ", FactualityCheck.KEYS) + ")");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = given.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                int i = FactualityCheck.KEYS.indexOf(f.getKey());
                if (i < 0) {
                    String hint = Params.closest(f.getKey(), FactualityCheck.KEYS);
                    throw p.error("scores." + f.getKey(), "'scores' has no category '" + f.getKey() + "'"
                            + (hint != null ? " (did you mean '" + hint + "'?)" : "") + " (categories: "
                            + String.join(", ", FactualityCheck.KEYS) + ")");
                }
                double v = f.getValue().asDouble();
                if (!f.getValue().isNumber() || !(v >= 0 && v <= 1)) {
                    throw p.error("scores." + f.getKey(), "'scores." + f.getKey() + "' must be a number from 0 to 1");
                }
                scores[i] = v;
            }
        }
        return new FactualityCheck(question, reference, scores, GraderParam.resolve(p));
    }

    static Check closedQa(Params p) throws SuiteException {
        p.only("value", "question", "grader");
        String criterion = text(p, "value", "the criterion the answer must meet");
        return new ClosedQaCheck(question(p), criterion, GraderParam.resolve(p));
    }

    static Check gEval(Params p) throws SuiteException {
        p.only("value", "question", "threshold", "grader");
        List<String> criteria = texts(p, "value", "the criterion, or a list of criteria");
        Double threshold = p.optionalNumber("threshold", 0, 1);
        return new GEvalCheck(question(p), criteria, threshold == null ? GEvalCheck.DEFAULT_THRESHOLD : threshold,
                GraderParam.resolve(p));
    }

    static Check contextFaithfulness(Params p) throws SuiteException {
        p.only("question", "context", "threshold", "grader");
        String question = question(p);
        List<String> context = texts(p, "context", "the context the answer must be faithful to");
        return new ContextFaithfulnessCheck(question, context, threshold(p), GraderParam.resolve(p));
    }

    static Check contextRecall(Params p) throws SuiteException {
        p.only("value", "context", "threshold", "grader");
        String groundTruth = text(p, "value", "the ground truth the context should hold");
        List<String> context = texts(p, "context", "the context retrieved");
        return new ContextRecallCheck(groundTruth, context, threshold(p), GraderParam.resolve(p));
    }

    static Check contextRelevance(Params p) throws SuiteException {
        p.only("question", "context", "threshold", "grader");
        String question = question(p);
        List<String> context = texts(p, "context", "the context retrieved for the question");
        return new ContextRelevanceCheck(question, context, p.node("context").isArray(), threshold(p),
                GraderParam.resolve(p));
    }

    static Check answerRelevance(Params p) throws SuiteException {
        p.only("question", "threshold", "grader");
        String question = question(p);
        Double threshold = p.optionalNumber("threshold", 0, 1);
        Embedder embedder = Embedders.get();
        if (embedder == null) {
            throw p.error("type", "'" + p.spec().type() + "' needs an embeddings model, which "
                    + (Embedders.problem() != null ? "could not be loaded (" + Embedders.problem() + ")"
                            : "this build of Sonde does not include") + ": " + Embedders.HOW);
        }
        Grader grader = GraderParam.resolve(p);
        try {
            return new AnswerRelevanceCheck(question, embedder,
                    threshold == null ? AnswerRelevanceCheck.DEFAULT_THRESHOLD : threshold, grader);
        } catch (RuntimeException e) {
            throw p.error("question", "'" + p.spec().type() + "': embedder " + embedder.model()
                    + " could not embed the question: " + Guarded.describe(e));
        }
    }

    /** A context list as the grader reads it: the items, a blank line between them. */
    static String joined(List<String> context) {
        return String.join(ITEM_SEPARATOR, context).strip();
    }

    private static double threshold(Params p) throws SuiteException {
        Double t = p.optionalNumber("threshold", 0, 1);
        return t == null ? 0 : t;
    }

    private static String question(Params p) throws SuiteException {
        return text(p, "question", "the question the answer replies to (by default the case's last user text, "
                + "written by the suite loader)");
    }

    /** A required non-blank text of at most {@link #MAX_TEXT_CHARS}. */
    private static String text(Params p, String param, String what) throws SuiteException {
        JsonNode v = p.node(param);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw p.error(param, "'" + p.spec().type() + "' needs a '" + param + "': " + what + " (text)");
        }
        return bounded(p, param, v.asText());
    }

    /** A required text or non-empty list of at most {@link #MAX_ITEMS} texts, each bounded; blank items dropped. */
    private static List<String> texts(Params p, String param, String what) throws SuiteException {
        JsonNode v = p.node(param);
        List<String> out = new ArrayList<>();
        if (v != null && v.isTextual()) {
            if (!v.asText().isBlank()) {
                out.add(bounded(p, param, v.asText()));
            }
        } else if (v != null && v.isArray()) {
            if (v.size() > MAX_ITEMS) {
                throw p.error(param, "'" + param + "' has " + v.size() + " items; at most " + MAX_ITEMS
                        + " are accepted");
            }
            for (int i = 0; i < v.size(); i++) {
                JsonNode item = v.get(i);
                if (!item.isTextual()) {
                    throw p.error(param + "[" + i + "]", "each item of '" + param + "' is a text");
                }
                if (!item.asText().isBlank()) {
                    out.add(bounded(p, param + "[" + i + "]", item.asText()));
                }
            }
        } else if (v != null && !v.isNull()) {
            throw p.error(param, "'" + p.spec().type() + "' needs a '" + param + "': " + what
                    + " (a text or a list of texts)");
        }
        if (out.isEmpty()) {
            throw p.error(param, "'" + p.spec().type() + "' needs a '" + param + "': " + what
                    + " (a text or a list of texts, not empty; e.g. \"{{" + param + "}}\")");
        }
        return out;
    }

    private static String bounded(Params p, String param, String text) throws SuiteException {
        if (text.length() > MAX_TEXT_CHARS) {
            throw p.error(param, "'" + param + "' is " + text.length() + " characters long; at most " + MAX_TEXT_CHARS
                    + " are accepted");
        }
        return text;
    }
}
