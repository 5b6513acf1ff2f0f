package dev.sonde.session;

import dev.sonde.api.ApiKey;
import dev.sonde.check.Checks;
import dev.sonde.metrics.Fmt;
import dev.sonde.suite.AssertSpec;
import dev.sonde.suite.BudgetSpec;
import dev.sonde.suite.CaseSpec;
import dev.sonde.suite.LoadSpec;
import dev.sonde.suite.ModelSpec;
import dev.sonde.suite.Suite;
import dev.sonde.suite.Trial;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The lines a run that calls a real endpoint prints before its first request, even with
 * {@code --quiet}: LIVE, where requests go and for which models, which key pays (its last four
 * characters at most, {@link ApiKey#lastFour}) or, for a cloud platform, which source its
 * credentials came from ({@link PlatformProviders#source}), how many requests the plan sends (exact without a
 * tool loop; an upper bound with one, since a conversation may end before its last turn) and the
 * suite's budget. A run entirely on the embedded emulator has none. Stateless.
 */
final class LiveBanner {
    private LiveBanner() {}

    /**
     * @param trials the trials this run sends (its shard; less what a resumed journal holds is not
     *     known yet, so a resume counts them all)
     * @return nothing when no model runs live
     */
    static List<String> lines(Suite suite, Routes routes, List<Trial> trials) {
        return lines(suite, routes, trials, PlatformProviders.none());
    }

    /** @param platforms the platform models' resolved credentials, whose sources the banner names */
    static List<String> lines(Suite suite, Routes routes, List<Trial> trials, PlatformProviders platforms) {
        if (!routes.live()) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        // one line per live endpoint and key variable, in suite order
        Map<String, List<ModelSpec>> groups = new LinkedHashMap<>();
        List<String> emulated = new ArrayList<>();
        for (ModelSpec m : suite.models()) {
            String e = routes.endpoints().get(m.id());
            if (e.equals(Routes.EMULATOR)) {
                emulated.add(m.id());
            } else {
                groups.computeIfAbsent(e + "\n" + Routes.keyVariable(m) + "\n" + platforms.source(m.id()),
                        k -> new ArrayList<>()).add(m);
            }
        }
        groups.forEach((group, models) -> {
            String endpoint = group.substring(0, group.indexOf('\n'));
            String variable = group.substring(group.indexOf('\n') + 1, group.lastIndexOf('\n'));
            ApiKey key = routes.keys().get(models.get(0).id());
            String shown = key == null ? platformCredentials(models.get(0), platforms.source(models.get(0).id()))
                    : key.lastFour().map(tail -> "key …" + tail)
                            .orElse("key (under " + ApiKey.MIN_SHOWN_LENGTH + " characters: none of it shown)");
            lines.add("LIVE → " + endpoint + ": " + models.stream().map(m -> m.id() + " (" + m.model() + ")")
                    .collect(Collectors.joining(", ")) + "; " + shown + (key == null ? "" : " from " + variable));
        });
        if (!emulated.isEmpty()) {
            lines.add("LIVE run, but " + String.join(", ", emulated) + " on the embedded emulator (no key sent there)");
        }
        lines.add("LIVE plan: " + (suite.load() != null ? load(suite.load()) : requests(suite, trials, routes))
                + "; budget: " + budget(suite.budget(), suite.load() != null));
        return lines;
    }

    /**
     * Where a platform model's credentials come from: the source its auth resolved, or, before
     * they are resolved ({@code source} null), every place it may look. Nothing of them is shown.
     */
    private static String platformCredentials(ModelSpec m, String source) {
        if (source != null) {
            return switch (m.provider()) {
                case ModelSpec.VERTEX -> "Google credentials: ";
                case ModelSpec.FOUNDRY -> "Foundry credentials: ";
                default -> "AWS credentials: ";
            } + source;
        }
        String variable = Routes.keyVariable(m);
        return switch (m.provider()) {
            case ModelSpec.VERTEX -> "Google Application Default Credentials";
            case ModelSpec.FOUNDRY -> "Foundry credentials (" + variable + ", ANTHROPIC_FOUNDRY_AUTH_TOKEN or "
                    + "SONDE_FOUNDRY_TOKEN_COMMAND)";
            default -> "AWS credentials (" + variable + ", AWS_ACCESS_KEY_ID or the AWS credential chain)";
        };
    }

    /** {@code 54 trials, 54 requests} and what may add to them: tool-loop turns, grader calls, retries. */
    private static String requests(Suite suite, List<Trial> trials, Routes routes) {
        Map<String, Integer> turns = new HashMap<>();
        Map<String, Integer> grading = new HashMap<>();
        Map<String, Integer> selectBest = new HashMap<>();
        for (CaseSpec c : suite.casesForChecks()) {
            int requests = 0;
            int groupsAsked = 0;
            for (AssertSpec a : c.asserts()) {
                requests += Checks.graderRequests(a);
                groupsAsked += a.type().equals("select-best") ? 1 : 0;
            }
            grading.put(c.id(), requests);
            selectBest.put(c.id(), groupsAsked);
        }
        for (CaseSpec c : suite.cases()) {
            if (c.toolLoop() != null && c.toolLoop().maxTurns() > 1) {
                turns.put(c.id(), c.toolLoop().maxTurns());
            }
        }
        long live = 0;
        long upTo = 0;
        long graderRequests = 0;
        Map<String, Set<String>> groups = new HashMap<>();
        for (Trial t : trials) {
            if (!routes.endpoints().get(t.model().id()).equals(Routes.EMULATOR)) {
                live++;
                int turnsOf = turns.getOrDefault(t.caseId(), 1);
                upTo += turnsOf;
                graderRequests += grading.getOrDefault(t.caseId(), 0);
            }
            if (selectBest.getOrDefault(t.caseId(), 0) > 0) {
                groups.computeIfAbsent(t.caseId(), k -> new HashSet<>()).add(t.repeat() + "/" + t.variant());
            }
        }
        long groupRequests = groups.values().stream().mapToLong(Set::size).sum();
        List<String> notes = new ArrayList<>();
        if (upTo != live) {
            notes.add("a tool loop may take up to " + turns.values().stream().mapToInt(Integer::intValue).max().orElse(1)
                    + " turns");
        }
        if (graderRequests > 0) {
            notes.add("plus up to " + Fmt.count(graderRequests) + " grader " + (graderRequests == 1 ? "request" : "requests")
                    + " for graded checks");
        }
        if (groupRequests > 0) {
            notes.add("plus " + Fmt.count(groupRequests) + " select-best grader " + (groupRequests == 1 ? "request" : "requests")
                    + " after the run");
        }
        int attempts = suite.run().retry().maxAttempts();
        if (attempts > 1) {
            notes.add("up to " + attempts + " attempts each with retries");
        }
        boolean mixed = live < trials.size();
        return Fmt.count(live) + (live == 1 ? " trial" : " trials") + (mixed ? " on live endpoints" : "") + ", "
                + (upTo == live ? "" : "up to ") + Fmt.count(upTo) + (upTo == 1 ? " request" : " requests")
                + (notes.isEmpty() ? "" : " (" + String.join("; ", notes) + ")");
    }

    /** A benchmark's requests: bounded by each step's duration and {@code max_requests}. */
    private static String load(LoadSpec load) {
        double seconds = load.duration().toMillis() / 1000.0;
        String each = String.format(Locale.ROOT, "%s s", Fmt.fixed(seconds, seconds % 1 == 0 ? 0 : 1));
        if (load.open()) {
            long expected = 0;
            for (double rate : load.ratesPerSecond()) {
                expected += Math.min(load.maxRequests(), Math.round(rate * seconds));
            }
            return "benchmark, " + load.steps() + (load.steps() == 1 ? " step" : " steps") + " of " + each
                    + " at " + load.ratesPerSecond().stream().map(r -> Fmt.fixed(r, r % 1 == 0 ? 0 : 2))
                            .collect(Collectors.joining(", ")) + " requests/s: about " + Fmt.count(expected)
                    + " requests (at most " + Fmt.count(load.maxRequests()) + " a step)";
        }
        return "benchmark, " + load.steps() + (load.steps() == 1 ? " step" : " steps") + " of " + each
                + " at concurrency " + load.concurrencies().stream().map(String::valueOf).collect(Collectors.joining(", "))
                + ": as many requests as the endpoint answers, at most " + Fmt.count((long) load.maxRequests() * load.steps());
    }

    private static String budget(BudgetSpec budget, boolean benchmark) {
        if (benchmark) {
            return "none (a benchmark is bounded by load:)";
        }
        if (!budget.limited()) {
            return "none (set budget.max_usd in the suite to cap spend)";
        }
        List<String> parts = new ArrayList<>();
        if (budget.maxUsd() != null) {
            parts.add("max_usd " + Fmt.usdExact(budget.maxUsd()));
        }
        if (budget.maxTrials() != null) {
            parts.add("max_trials " + Fmt.count(budget.maxTrials()));
        }
        if (budget.deadline() != null) {
            parts.add("deadline " + Fmt.duration(budget.deadline().toMillis()));
        }
        return String.join(", ", parts);
    }
}
