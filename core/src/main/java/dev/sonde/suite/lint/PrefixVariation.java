package dev.sonde.suite.lint;

import dev.sonde.suite.Location;
import dev.sonde.suite.Trial;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Breakpoints that can never be hit across cases. A cache entry is keyed by the exact prefix
 * through its breakpoint, per model (API-NOTES "Prompt caching"), so a breakpoint meant to be shared
 * — the same {@code cache_control} written once and used by several cases, or the same marked block
 * in several cases — is useless when the content before it differs between those cases: each case
 * writes its own entry and no other reads it.
 *
 * <p>For every model, breakpoints are grouped by where their {@code cache_control} is written and,
 * separately, by the marked block's content; in a group from two or more cases the prefixes are
 * compared block by block, and the first differing block is named with its line and the variables
 * ({@code {{name}}}) written in it. A breakpoint in {@code messages} whose prefix first differs in
 * {@code system} or {@code tools} is its own kind of warning.
 *
 * <p>Not flagged: a breakpoint on the request's last cacheable block (explicit, or the top-level
 * automatic one). That is the conversation-caching pattern: it caches the whole request for the
 * next turn of the same conversation (a tool loop's next request, or a repeat), so it is meant to
 * differ between cases. Not thread-safe.
 */
final class PrefixVariation {

    /** One breakpoint of one trial's request. */
    record Mark(Trial trial, Prompt prompt, Prompt.Breakpoint breakpoint, Sources.Source at) {
        Prompt.Block block() {
            return prompt.blocks().get(breakpoint.block());
        }
    }

    private final Sources sources;
    private final Findings findings;
    private final Set<Location> warned = new HashSet<>();

    PrefixVariation(Sources sources, Findings findings) {
        this.sources = sources;
        this.findings = findings;
    }

    void check(List<Mark> marks) {
        Map<String, List<Mark>> byScope = new LinkedHashMap<>();
        for (Mark mark : marks) {
            if (!lastCacheable(mark)) {
                byScope.computeIfAbsent(cacheScope(mark.trial()), k -> new ArrayList<>()).add(mark);
            }
        }
        for (List<Mark> scope : byScope.values()) {
            // the body path keeps apart breakpoints placed at one fallback location (a case) but in different places
            check(scope, mark -> List.of(mark.at().location(), mark.breakpoint().path()));
            check(scope, mark -> mark.block().key());
        }
    }

    /**
     * Trials that can share cache entries: those sent to the same model (the cache is per model and
     * workspace) — and, in a suite with {@code variants:}, in the same variant, since each variant
     * places its own breakpoints and starts from a cold cache. A plan dimension whose trials must not
     * be compared with each other belongs here.
     */
    static String cacheScope(Trial trial) {
        return trial.variant() == null ? trial.model().model() : trial.model().model() + "/" + trial.variant();
    }

    private void check(List<Mark> marks, Function<Mark, Object> shared) {
        Map<Object, List<Mark>> groups = new LinkedHashMap<>();
        for (Mark mark : marks) {
            groups.computeIfAbsent(shared.apply(mark), k -> new ArrayList<>()).add(mark);
        }
        for (List<Mark> group : groups.values()) {
            Mark ref = group.get(0);
            Mark other = null;
            int first = Integer.MAX_VALUE;
            for (Mark m : group.subList(1, group.size())) {
                int d = ref.prompt().firstDifference(ref.breakpoint().block(), m.prompt(), m.breakpoint().block());
                if (d >= 0 && d < first) {
                    first = d;
                    other = m;
                }
            }
            if (other == null) {
                continue;
            }
            Set<Location> now = new HashSet<>();
            for (Mark m : group) {
                if (warned.add(m.at().location()) || now.contains(m.at().location())) {
                    now.add(m.at().location());
                    warn(m, ref, other, first);
                }
            }
        }
    }

    private void warn(Mark at, Mark ref, Mark other, int first) {
        Prompt.Block differs = ref.prompt().blocks().get(first);
        String origin = origin(ref, other, first);
        Prompt.Section marked = at.block().section();
        if (marked == Prompt.Section.MESSAGES && differs.section() != Prompt.Section.MESSAGES) {
            findings.add(at.at(), LintWarning.Kind.MESSAGES_AFTER_VARYING_SYSTEM_OR_TOOLS,
                    "breakpoint in messages while " + differs.section().key + " differs between cases (" + origin
                            + "); the cache prefix runs tools → system → messages, so this breakpoint never hits "
                            + "across cases",
                    "make tools and system the same in every case (move what varies into a message after this "
                            + "breakpoint)", at.trial().caseSpec().id());
            return;
        }
        boolean itself = first == ref.breakpoint().block();
        findings.add(at.at(), LintWarning.Kind.PREFIX_VARIES,
                (itself ? "the marked block itself differs between cases (" : "breakpoint after content that differs "
                        + "between cases (") + origin + "), so its prefix never repeats: every case writes its own "
                        + "cache entry and no other case reads it",
                "move the varying content after the last breakpoint (for example into the final user message), or "
                        + "move the breakpoint up to the last block that is the same in every case",
                at.trial().caseSpec().id());
    }

    /** {@code system[0] (line 7) uses {{date}}, which differs between cases a and b}, or how else it differs. */
    private String origin(Mark ref, Mark other, int first) {
        String a = ref.trial().caseSpec().id();
        String b = other.trial().caseSpec().id();
        List<Object> differs = ref.prompt().blocks().get(first).path();
        String part = path(differs);
        Sources.Source mine = sources.of(ref.trial(), differs);
        Sources.Source theirs = sources.of(other.trial(), other.prompt().blocks().get(first).path());
        List<Object> theirPath = other.prompt().blocks().get(first).path();
        if (!theirPath.equals(differs)) {
            return "case " + a + " has " + part + " (line " + mine.location().line() + ") where case " + b + " has "
                    + path(theirPath) + " (line " + theirs.location().line() + ")";
        }
        if (!mine.location().equals(theirs.location())) {
            return part + " is written differently in case " + a + " (line " + mine.location().line() + ") and case "
                    + b + " (line " + theirs.location().line() + ")";
        }
        List<String> vars = Sources.variables(mine.node());
        String where = part + " (line " + mine.location().line() + ")";
        if (vars.isEmpty()) {
            return where + " differs between case " + a + " and case " + b;
        }
        return where + " uses " + String.join(", ", vars.stream().map(v -> "{{" + v + "}}").toList())
                + ", which differs between case " + a + " and case " + b;
    }

    /** Whether no cacheable block follows the marked one: the breakpoint caches the whole request. */
    private static boolean lastCacheable(Mark mark) {
        List<Prompt.Block> blocks = mark.prompt().blocks();
        for (int i = mark.breakpoint().block() + 1; i < blocks.size(); i++) {
            if (blocks.get(i).cacheable()) {
                return false;
            }
        }
        return true;
    }

    /** {@code messages[0].content[1]} from {@code [messages, 0, content, 1]}. */
    static String path(List<Object> parts) {
        StringBuilder sb = new StringBuilder();
        for (Object p : parts) {
            sb.append(p instanceof Integer i ? "[" + i + "]" : (sb.isEmpty() ? "" : ".") + p);
        }
        return sb.toString();
    }
}
