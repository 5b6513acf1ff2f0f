package dev.sonde.suite.lint;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.suite.CachePlacement;
import dev.sonde.suite.CacheVariant;
import dev.sonde.suite.Location;
import dev.sonde.suite.Plan;
import dev.sonde.suite.Suite;
import dev.sonde.suite.SuiteSource;
import dev.sonde.suite.Trial;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code sonde lint}: finds {@code cache_control} placements that will not do what their author
 * meant, in the first request of every case × model of the plan (repeats send the same body; a
 * tool loop's later turns only append). Five mistakes, each reported at the {@code cache_control}
 * as written (API-NOTES "Prompt caching" for the rules):
 * <ol>
 *   <li>{@link LintWarning.Kind#PREFIX_VARIES} and</li>
 *   <li>{@link LintWarning.Kind#MESSAGES_AFTER_VARYING_SYSTEM_OR_TOOLS}: see {@link PrefixVariation};</li>
 *   <li>{@link LintWarning.Kind#BELOW_MINIMUM}: the prefix through the breakpoint is shorter than the
 *       model's minimum, by {@link TokenEstimate}'s over-count (a prefix holding an image or a binary
 *       document is not estimated, so not flagged);</li>
 *   <li>{@link LintWarning.Kind#TOO_MANY_BREAKPOINTS}: every breakpoint past the
 *       {@value #MAX_BREAKPOINTS}th of one request (the top-level {@code cache_control} counts);</li>
 *   <li>{@link LintWarning.Kind#TTL_ORDER}: a {@code 1h} breakpoint after a {@code 5m} one.</li>
 * </ol>
 * Models with {@code provider: openai-chat} are skipped: these are the Messages API's rules.
 * Stateless; each call reads only its arguments.
 */
public final class CacheLint {
    /** Breakpoints the API accepts in one request. */
    static final int MAX_BREAKPOINTS = CachePlacement.MAX_BREAKPOINTS;
    /** Blocks the API looks back from a breakpoint for an earlier entry (API-NOTES: "about 20"). */
    static final int LOOKBACK_BLOCKS = 20;

    private CacheLint() {}

    /**
     * What one lint of a suite's caching found.
     *
     * @param warnings the warnings in file order; empty when the suite's caching is sound
     * @param breakpoints the {@code cache_control} breakpoints checked, each counted once where it is
     *     written however many requests it is in (a variant's {@code cache[k]} entry is one)
     */
    public record Result(List<LintWarning> warnings, int breakpoints) {
        public Result {
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * @param suite the loaded suite
     * @param source the same file as written (for lines and variable names)
     * @param minimums the minimum cacheable prefix per model
     * @return the warnings in file order; empty when the suite's caching is sound
     */
    public static List<LintWarning> check(Suite suite, SuiteSource source, MinimumTokens minimums) {
        return inspect(suite, source, minimums).warnings();
    }

    /** As {@link #check}, with the number of breakpoints checked. */
    public static Result inspect(Suite suite, SuiteSource source, MinimumTokens minimums) {
        if (suite.variants().isEmpty() && source.root().findValue("cache_control") == null
                && !suite.casesMayHold("cache_control")) {
            return new Result(List.of(), 0); // no breakpoint anywhere: nothing to find, and no body to build for each case
        }
        Sources sources = new Sources(source);
        Findings findings = new Findings();
        List<PrefixVariation.Mark> marks = new ArrayList<>();
        Map<List<Object>, Short> shorts = new LinkedHashMap<>();
        Set<Location> written = new LinkedHashSet<>();
        for (Trial trial : Plan.expand(suite)) {
            if (trial.repeat() != 0 || trial.model().openAiChat()) {
                continue;
            }
            JsonNode body = trial.body();
            if (body.findValue("cache_control") == null) {
                continue; // every finding is about a breakpoint: a prompt without one has none
            }
            Prompt prompt = Prompt.of(body);
            List<Sources.Source> placed = placedByVariant(suite, trial);
            List<Sources.Source> at = new ArrayList<>();
            for (Prompt.Breakpoint b : prompt.breakpoints()) {
                Sources.Source s = placed != null && at.size() < placed.size() ? placed.get(at.size())
                        : sources.of(trial, b.path());
                at.add(s);
                written.add(s.location());
                marks.add(new PrefixVariation.Mark(trial, prompt, b, s));
            }
            count(trial, prompt, at, findings);
            ttlOrder(trial, prompt, at, findings);
            minimum(trial, prompt, at, minimums.of(trial.model()), shorts);
        }
        shorts.values().forEach(low -> report(low, findings));
        new PrefixVariation(sources, findings).check(marks);
        return new Result(findings.warnings(), written.size());
    }

    /**
     * For a trial of a {@code variants:} suite, where each of its breakpoints was written: the
     * variant's {@code cache[k]} entry that placed it (in prefix order); null for other trials.
     */
    private static List<Sources.Source> placedByVariant(Suite suite, Trial trial) {
        if (trial.variant() == null) {
            return null;
        }
        for (int v = 0; v < suite.variants().size(); v++) {
            CacheVariant variant = suite.variants().get(v);
            if (variant.id().equals(trial.variant())) {
                List<Sources.Source> out = new ArrayList<>();
                for (CacheVariant.Placement placement : CachePlacement.inPrefixOrder(trial.body(), variant)) {
                    out.add(new Sources.Source(null, placement.location(),
                            "variants[" + v + "].cache[" + variant.placements().indexOf(placement) + "]"));
                }
                return out;
            }
        }
        return null;
    }

    private static void count(Trial trial, Prompt prompt, List<Sources.Source> at, Findings findings) {
        int n = prompt.breakpoints().size();
        for (int i = MAX_BREAKPOINTS; i < n; i++) {
            findings.add(at.get(i), LintWarning.Kind.TOO_MANY_BREAKPOINTS,
                    "breakpoint number " + (i + 1) + " of one request: the API accepts at most " + MAX_BREAKPOINTS
                            + " (a top-level cache_control counts as one) and rejects the request with a 400",
                    "remove this breakpoint or an earlier one; one at the end of each part that stays the same is "
                            + "enough, as the API also looks for hits about " + LOOKBACK_BLOCKS
                            + " blocks back from each breakpoint",
                    trial.caseSpec().id());
        }
    }

    private static void ttlOrder(Trial trial, Prompt prompt, List<Sources.Source> at, Findings findings) {
        int fiveMinutes = -1;
        for (int i = 0; i < prompt.breakpoints().size(); i++) {
            String ttl = prompt.breakpoints().get(i).ttl();
            if (ttl.equals("5m") && fiveMinutes < 0) {
                fiveMinutes = i;
            } else if (ttl.equals("1h") && fiveMinutes >= 0) {
                findings.add(at.get(i), LintWarning.Kind.TTL_ORDER,
                        "a 1h breakpoint after a 5m one (line " + at.get(fiveMinutes).location().line()
                                + "): 1h breakpoints must come before 5m ones in the order tools → system → "
                                + "messages, and the API rejects the request with a 400",
                        "move this 1h breakpoint before every 5m one, or make it 5m", trial.caseSpec().id());
            }
        }
    }

    /** A breakpoint whose prefix is below a model's minimum, over every case it was seen in. */
    private static final class Short {
        final Sources.Source at;
        final String model;
        final int minimum;
        int mostTokens;
        final Set<String> cases = new LinkedHashSet<>();

        Short(Sources.Source at, String model, int minimum) {
            this.at = at;
            this.model = model;
            this.minimum = minimum;
        }
    }

    private static void minimum(Trial trial, Prompt prompt, List<Sources.Source> at, int minimum,
            Map<List<Object>, Short> shorts) {
        for (int i = 0; i < prompt.breakpoints().size(); i++) {
            int tokens = prompt.prefixTokens(prompt.breakpoints().get(i).block());
            if (tokens >= 0 && tokens < minimum) {
                Sources.Source s = at.get(i);
                Short low = shorts.computeIfAbsent(List.of(s.location(), trial.model().model()),
                        k -> new Short(s, trial.model().model(), minimum));
                low.mostTokens = Math.max(low.mostTokens, tokens);
                low.cases.add(trial.caseSpec().id());
            }
        }
    }

    private static void report(Short low, Findings findings) {
        for (String caseId : low.cases) {
            findings.add(low.at, LintWarning.Kind.BELOW_MINIMUM,
                    "the prefix through this breakpoint is at most about " + low.mostTokens + " tokens (an over-count), "
                            + "below " + low.model + "'s minimum of " + low.minimum
                            + ", so it is silently not cached (both cache counters stay 0)",
                    "remove this breakpoint, or place it after enough content that the prefix reaches "
                            + low.minimum + " tokens", caseId);
        }
    }
}
