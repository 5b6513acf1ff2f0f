package dev.sonde.cli.promptfoo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sonde cases from promptfoo's prompt × test pairs. A var that expands ({@link Tests.Test}) makes
 * one case per element (several such vars: every combination), as promptfoo's evaluator expands
 * them. At most {@code max} cases and {@link #MAX_SUITE_CHARS} characters of cases are written, each
 * whole; where the import stopped is listed. A var the
 * templates read but no test sets is given the empty text, which is what Nunjucks renders for an
 * undefined variable (Sonde would refuse the suite instead). Not thread-safe (one per import).
 */
final class Cases {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** The assertions that compare a case's models after the run. */
    static final Set<String> COMPARE = Set.of("select-best", "max-score");
    /** The most characters of cases an import writes (their JSON, about the size of their YAML). */
    static final long MAX_SUITE_CHARS = 64L << 20;
    private static final Pattern TAG = Pattern.compile("\\{\\{[#^/!]?\\s*([^}]*?)\\s*}}");

    private final Ledger ledger;
    private final List<Providers.Model> models;
    private final ObjectNode defaultVars;
    private final Set<String> defaultVarsUsed;
    private final Set<String> defaultExpanding;
    private long writtenChars;
    private final Set<String> ids = new HashSet<>();
    private final Set<String> leftOut = new HashSet<>();

    Cases(Ledger ledger, List<Providers.Model> models, ObjectNode defaultVars, Set<String> defaultVarsUsed,
          Set<String> defaultExpanding) {
        this.defaultExpanding = defaultExpanding;
        this.ledger = ledger;
        this.models = models;
        this.defaultVars = defaultVars;
        this.defaultVarsUsed = defaultVarsUsed;
    }

    /**
     * Adds the cases of one test on one prompt; false, with the place listed as unmapped, when the
     * next case would pass {@code max} cases or {@link #MAX_SUITE_CHARS}: every case written is whole
     * (all its vars), and none is written after that.
     */
    boolean add(ArrayNode cases, Tests.Test test, int index, Prompts.Prompt prompt, boolean manyPrompts, int max) {
        List<String> allowed = allowedModels(test, prompt);
        if (allowed.isEmpty()) {
            return true; // promptfoo runs this prompt on none of this test's providers
        }
        ObjectNode vars = defaultVars.deepCopy();
        vars.setAll(test.vars());
        Set<String> expanding = new HashSet<>(test.expanding());
        if (test.expandsDefaults()) {
            defaultExpanding.stream().filter(v -> !test.vars().has(v)).forEach(expanding::add);
        }
        int room = max - cases.size();
        long count = count(vars, expanding);
        List<ObjectNode> combinations = expand(vars, expanding, room);
        Set<String> used = new LinkedHashSet<>(prompt.vars());
        used.addAll(test.usedVars());
        used.addAll(defaultVarsUsed);
        String base = slug(test.description() != null ? test.description() : "test-" + (index + 1), 48)
                + (manyPrompts ? "-" + prompt.key() : "");
        for (int k = 0; k < combinations.size(); k++) {
            ObjectNode caseVars = combinations.get(k);
            ObjectNode body = prompt.body().deepCopy();
            String unsetField = null;
            for (String name : used) {
                if (!caseVars.has(name)) {
                    caseVars.put(name, "");
                    if (unsetField == null && Pattern.compile("\\{\\{[#^]?\\s*" + Pattern.quote(name) + "\\.").matcher(body.toString()).find()) {
                        unsetField = name;
                    }
                }
            }
            if (unsetField != null) { // Nunjucks renders a missing var's field as nothing; Mustache cannot read a field of ""
                ledger.unmapped(test.where(), "test " + (test.description() == null ? "#" + (index + 1) : Prompts.shorten(test.description()))
                        + " on prompt " + Prompts.shorten(prompt.label()), "the prompt reads fields of '" + unsetField
                        + "', which this test does not set");
                continue;
            }
            if (rendersEmpty(body, caseVars)) {
                ledger.unmapped(test.where(), "test " + (test.description() == null ? "#" + (index + 1) : Prompts.shorten(test.description()))
                        + " on prompt " + Prompts.shorten(prompt.label()), "the prompt reads only vars this test does not set, "
                        + "so it would send an empty message");
                continue;
            }
            ObjectNode c = cases.addObject();
            c.put("id", unique(combinations.size() > 1 ? base + "-" + (k + 1) : base));
            if (!test.prefix().isEmpty() || !test.suffix().isEmpty()) {
                if (body.has("prompt")) {
                    body.put("prompt", test.prefix() + body.get("prompt").asText() + test.suffix());
                } else {
                    ledger.unmapped(test.where(), "prefix/suffix on chat prompt " + Prompts.shorten(prompt.label()),
                            "dropped: promptfoo adds them to the text before it parses the chat");
                }
            }
            if (body.has("system")) {
                c.set("system", body.get("system"));
            }
            c.set(body.has("prompt") ? "prompt" : "messages", body.has("prompt") ? body.get("prompt") : body.get("messages"));
            if (body.has("params") && !body.get("params").isEmpty()) {
                c.set("params", body.get("params"));
            }
            if (!caseVars.isEmpty()) {
                c.set("vars", caseVars);
            }
            if (allowed.size() < models.size()) {
                ArrayNode list = c.putArray("models");
                allowed.forEach(list::add);
            }
            List<ObjectNode> asserts = withoutBlankReferences(allowed.size() < 2 ? withoutCompare(test, index) : test.asserts(),
                    caseVars, test, index);
            if (!asserts.isEmpty()) {
                ArrayNode list = c.putArray("assert");
                asserts.forEach(a -> list.add(fromPrompt(a.deepCopy(), vars, body)));
            }
            if (test.threshold() != null) {
                c.set("threshold", test.threshold());
            }
            long size = c.toString().length();
            if (writtenChars + size > MAX_SUITE_CHARS) {
                cases.remove(cases.size() - 1);
                ledger.unmapped(test.where(), "cases from " + c.path("id").asText() + " on (case " + (cases.size() + 1)
                        + " and after)", "the suite would pass " + (MAX_SUITE_CHARS >> 20) + " MB; an import writes no more");
                return false;
            }
            writtenChars += size;
        }
        if (count > room) {
            ledger.unmapped(test.where(), "cases past " + max, "an import writes at most " + max + " cases; this test has "
                    + (count == Long.MAX_VALUE ? "more" : count) + " combinations of its vars, and " + combinations.size()
                    + " of them are written");
            return false;
        }
        return true;
    }

    /**
     * A test's assertions without {@code select-best} and {@code max-score}, for a case that runs on
     * one model: promptfoo compares the outputs of a test's prompts there, Sonde the models of a
     * case, and would refuse the suite. Each one left out is listed once per test.
     */
    private List<ObjectNode> withoutCompare(Tests.Test test, int index) {
        List<ObjectNode> kept = new ArrayList<>();
        for (ObjectNode a : test.asserts()) {
            String type = a.path("type").asText();
            if (!COMPARE.contains(type)) {
                kept.add(a);
            } else if (leftOut.add(index + " " + type)) {
                ledger.demote(test.where(), "assertion " + type + " in test " + (test.description() == null ? "#" + (index + 1)
                        : Prompts.shorten(test.description())), "it runs on 1 model: promptfoo compares the test's prompts "
                        + "there, Sonde compares a case's models (select-best and max-score need 2 or more)");
            }
        }
        return kept;
    }

    /**
     * promptfoo's fallbacks to the prompt: {@code answer-relevance} asks the {@code query} var when
     * the test has one (else the prompt, Sonde's default too); {@code context-recall} reads the
     * {@code context} var when the test has one, else the prompt's text.
     */
    private static ObjectNode fromPrompt(ObjectNode assertion, ObjectNode vars, ObjectNode body) {
        String type = assertion.path("type").asText().replaceFirst("^not-", "");
        if (type.equals("answer-relevance") && !assertion.has("question") && vars.path("query").isTextual()) {
            assertion.put("question", "{{query}}");
        }
        if (type.equals("context-recall") && !vars.has("context") && "{{context}}".equals(assertion.path("context").asText())) {
            String prompt = body.has("prompt") ? body.get("prompt").asText() : lastUser(body.path("messages"));
            if (prompt != null) {
                assertion.put("context", prompt);
            }
        }
        if (type.equals("assert-set")) {
            assertion.path("assert").forEach(member -> fromPrompt((ObjectNode) member, vars, body));
        }
        return assertion;
    }

    private static String lastUser(JsonNode messages) {
        String text = null;
        for (JsonNode m : messages) {
            if (m.path("role").asText().equals("user")) {
                text = m.path("content").asText();
            }
        }
        return text;
    }

    /** Whether a text of the body is blank once the tags of empty vars are taken out (the API refuses empty text). */
    private static boolean rendersEmpty(ObjectNode body, ObjectNode vars) {
        List<String> texts = new ArrayList<>();
        if (body.has("prompt")) {
            texts.add(body.get("prompt").asText());
        }
        body.path("messages").forEach(m -> texts.add(m.path("content").asText()));
        return texts.stream().anyMatch(text -> blank(text, vars));
    }

    /** Whether {@code text} is blank once the tags of vars that are empty text are taken out. */
    private static boolean blank(String text, ObjectNode vars) {
        Matcher tags = TAG.matcher(text);
        StringBuilder rest = new StringBuilder();
        while (tags.find()) {
            JsonNode value = vars.get(tags.group(1));
            tags.appendReplacement(rest, value != null && value.isTextual() && value.asText().isBlank() ? "" : "x");
        }
        tags.appendTail(rest);
        return rest.toString().isBlank();
    }

    /** Whether {@code assertion} is a {@code similar} (or its not- form) with a reference that renders empty for {@code vars}. */
    static boolean blankReference(ObjectNode assertion, JsonNode vars) {
        if (!assertion.path("type").asText().replaceFirst("^not-", "").equals("similar") || !vars.isObject()) {
            return false;
        }
        JsonNode value = assertion.path("value");
        List<String> refs = new ArrayList<>();
        if (value.isTextual()) {
            refs.add(value.asText());
        }
        value.forEach(v -> refs.add(v.asText()));
        return refs.stream().anyMatch(r -> blank(r, (ObjectNode) vars));
    }

    /**
     * The assertions without a {@code similar} whose reference renders empty for these vars (a var no
     * test sets): promptfoo renders it empty too and compares against nothing, but an empty text has
     * no embedding, so Sonde would refuse the whole suite. Listed as unmapped instead.
     */
    private List<ObjectNode> withoutBlankReferences(List<ObjectNode> asserts, ObjectNode vars, Tests.Test test, int index) {
        List<ObjectNode> kept = new ArrayList<>(asserts.size());
        for (ObjectNode a : asserts) {
            if (blankReference(a, vars)) {
                ledger.unmapped(test.where(), "assertion " + a.path("type").asText() + " of test "
                        + (test.description() == null ? "#" + (index + 1) : Prompts.shorten(test.description())),
                        "its reference renders empty for this test (a var no test sets), and an empty text has no embedding");
                continue;
            }
            kept.add(a);
        }
        return kept;
    }

    private List<String> allowedModels(Tests.Test test, Prompts.Prompt prompt) {
        List<String> out = new ArrayList<>();
        for (Providers.Model m : models) {
            boolean promptOk = m.promptLabels().isEmpty() || m.promptLabels().stream().anyMatch(prompt.names()::contains);
            boolean testOk = test.models().isEmpty() || test.models().contains(m.id());
            if (promptOk && testOk) {
                out.add(m.id());
            }
        }
        return out;
    }

    /** How many combinations {@link #expand} has in all ({@code Long.MAX_VALUE} past it). */
    static long count(ObjectNode vars, Set<String> expanding) {
        long n = 1;
        for (Map.Entry<String, JsonNode> v : vars.properties()) {
            if (expanding.contains(v.getKey()) && v.getValue().isArray()) {
                long size = v.getValue().size();
                n = size == 0 ? 0 : n > Long.MAX_VALUE / size ? Long.MAX_VALUE : n * size;
            }
        }
        return n;
    }

    /**
     * The first {@code limit} combinations of the {@code expanding} vars (each a list of
     * alternatives), in promptfoo's order (the last var varies fastest); every combination holds
     * every var. The other vars are one value each, a list or a file's data included.
     */
    static List<ObjectNode> expand(ObjectNode vars, Set<String> expanding, int limit) {
        List<String> names = new ArrayList<>();
        vars.fieldNames().forEachRemaining(names::add);
        int[] at = new int[names.size()];
        List<ObjectNode> out = new ArrayList<>();
        if (count(vars, expanding) == 0) {
            return out;
        }
        while (out.size() < limit) {
            ObjectNode one = F.objectNode();
            for (int i = 0; i < names.size(); i++) {
                JsonNode value = vars.get(names.get(i));
                one.set(names.get(i), alternatives(value, names.get(i), expanding) ? value.get(at[i]) : value);
            }
            out.add(one);
            int i = names.size() - 1;
            for (; i >= 0; i--) { // the next combination: count up, the last var fastest
                JsonNode value = vars.get(names.get(i));
                if (alternatives(value, names.get(i), expanding) && ++at[i] < value.size()) {
                    break;
                }
                at[i] = 0;
            }
            if (i < 0) {
                break;
            }
        }
        return out;
    }

    private static boolean alternatives(JsonNode value, String name, Set<String> expanding) {
        return expanding.contains(name) && value.isArray();
    }

    private String unique(String wanted) {
        String id = wanted;
        for (int n = 2; !ids.add(id); n++) {
            id = wanted + "-" + n;
        }
        return id;
    }

    static String slug(String text, int max) {
        String slug = text.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[-.]+|-+$", "");
        if (slug.length() > max) {
            slug = slug.substring(0, max).replaceAll("-+$", "");
        }
        return slug.isEmpty() ? "case" : slug;
    }
}
