package dev.sonde.check;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.api.Exchange;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code context-relevance}: how much of the context is needed to answer the question? A grader
 * copies, verbatim, the context's sentences needed to answer it, or says the context is
 * insufficient ({@code {"sentences": […], "insufficient": bool}}). The context is counted in units —
 * its items when it is a list, else its non-blank lines when it has more than one, else its
 * sentences — and score = min(distinct sentences extracted, units) / units, as promptfoo's.
 * "Insufficient" scores 0. An extracted sentence that is not in the context (whitespace aside) is no
 * verdict. Passes when the score reaches {@code threshold} (default 0). It judges the context, not
 * the answer (the answer is not sent). One grader call. Immutable and thread-safe.
 */
final class ContextRelevanceCheck implements Check {
    static final ObjectNode SCHEMA = schema();
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+");
    private static final Pattern SPACE = Pattern.compile("\\s+");

    private final String question;
    private final List<String> context;
    private final int units;
    private final String flatContext;
    private final double threshold;
    private final Grader grader;

    /** @param listed whether the context was written as a list (then its items are the units, however many) */
    ContextRelevanceCheck(String question, List<String> context, boolean listed, double threshold, Grader grader) {
        this.question = question;
        this.context = List.copyOf(context);
        this.units = units(context, listed);
        this.flatContext = flat(ModelGradedChecks.joined(context));
        this.threshold = threshold;
        this.grader = grader;
    }

    @Override
    public String type() {
        return "context-relevance";
    }

    /** The context's units: its non-blank items when a list, else non-blank lines when several, else sentences. */
    static int units(List<String> context, boolean listed) {
        if (listed || context.size() > 1) {
            return (int) context.stream().filter(s -> !s.isBlank()).count();
        }
        String text = context.get(0).strip();
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        if (lines.size() > 1) {
            return lines.size();
        }
        List<String> sentences = new ArrayList<>();
        for (String s : SENTENCE_END.split(text)) {
            if (!s.isBlank()) {
                sentences.add(s);
            }
        }
        return Math.max(1, sentences.size());
    }

    private static String flat(String text) {
        return SPACE.matcher(text.strip()).replaceAll(" ");
    }

    static String system(String nonce) {
        return "You are a careful research assistant. You pick out the parts of a context that are needed to answer "
                + "a question. " + GraderCalls.dataRule(nonce, "question", "context")
                + " Copy each needed sentence exactly as it stands in the context, one per list entry, and copy "
                + "nothing that is not needed. If the context does not help answer the question, set insufficient "
                + "to true and give an empty list. Reply with only a JSON object: {\"sentences\": [\"…\", …], "
                + "\"insufficient\": true or false}.";
    }

    static String prompt(String nonce, String question, String context) {
        return "Context relevance: which sentences of the context are needed to answer the question?\n\n"
                + GraderCalls.element("question", nonce, question.strip()) + "\n\n"
                + GraderCalls.element("context", nonce, context) + "\n\n"
                + "Reply with the JSON object only.";
    }

    @Override
    public CheckResult evaluate(Exchange exchange, Double costUsd) {
        return GraderCalls.grade(type(), grader, calls -> {
            String joined = ModelGradedChecks.joined(context);
            String nonce = GraderCalls.nonce(type(), question, joined);
            ObjectNode v = calls.ask(system(nonce), prompt(nonce, question, joined), SCHEMA);
            boolean insufficient = v.has("insufficient") && calls.bool(v, "insufficient");
            List<String> sentences = insufficient ? List.of() : calls.strings(v, "sentences");
            Set<String> distinct = new LinkedHashSet<>();
            for (String s : sentences) {
                String f = flat(s);
                if (!flatContext.contains(f)) {
                    throw calls.invalid("the grader extracted a sentence that is not in the context: " + Excerpt.of(s));
                }
                distinct.add(f);
            }
            double score = (double) Math.min(distinct.size(), units) / units;
            boolean pass = Scoring.reaches(score, threshold);
            return calls.decided(pass, String.format(Locale.ROOT, "score %.2f (%s threshold %.2f): %s", score,
                    pass ? "≥" : "<", threshold, insufficient ? "the context is insufficient to answer the question"
                            : distinct.size() + " of " + units + " context " + (units == 1 ? "unit" : "units")
                                    + " needed to answer the question"), score);
        });
    }

    private static ObjectNode schema() {
        ObjectNode props = GraderCalls.stringList(GraderCalls.properties(), "sentences");
        props.putObject("insufficient").put("type", "boolean");
        return GraderCalls.objectSchema(props);
    }
}
