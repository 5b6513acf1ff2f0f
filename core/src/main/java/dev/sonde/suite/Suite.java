package dev.sonde.suite;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;

/**
 * A validated suite: immutable, every path resolved, every variable substituted. Made by
 * {@link SuiteLoader}; expanded into trials by {@link Plan}. The rows of a {@code cases_from:}
 * entry may be held as rows and bound when {@link #cases} is read ({@link DatasetCases}): the
 * list may give a new, equal case each time; {@link #caseId} answers without binding.
 *
 * @param endpoint {@code "emulator"}, a base URL, or null (then the emulator)
 * @param pricing a pricing file extending the built-in table, or null
 * @param defaultParams body fields for every request; a model's params override them, a case's
 *     params override both
 * @param baseline the baseline to compare with, or null when the suite has no {@code baseline:}
 * @param budget hard limits on spend, trials and time
 * @param rateLimits client-side limits for the whole endpoint
 * @param load the latency benchmark's load model, or null for a plain run
 * @param grader who judges {@code llm-rubric} assertions that name no grader
 * @param compare the model-migration comparison ({@code compare:}), or null
 * @param variants cache placement variants, each run as a request sequence; empty for a plain run
 * @param endpointAt where {@code endpoint:} is written, or null when it is not
 * @param history the run history store the run adds itself to ({@code history:}), or null for none
 */
public record Suite(String name, Path file, String endpoint, Path pricing, List<ModelSpec> models,
        ObjectNode defaultParams, List<CaseSpec> cases, RunSpec run, EmulatorSpec emulator, BaselineSpec baseline,
        BudgetSpec budget, RateLimitSpec rateLimits, LoadSpec load, GraderSpec grader, CompareSpec compare,
        List<CacheVariant> variants, Location endpointAt, HistorySpec history) {

    /** The id of case {@code index} (of {@link #cases}), without binding a case held as a dataset row. */
    public String caseId(int index) {
        return cases instanceof CaseList l ? l.id(index) : cases.get(index).id();
    }

    /** Whether case {@code index} runs on {@code model}, without binding a case held as a dataset row. */
    public boolean caseRunsOn(int index, ModelSpec model) {
        List<String> only = cases instanceof CaseList l ? l.models(index) : cases.get(index).models();
        return only.isEmpty() || only.contains(model.id());
    }

    /**
     * The cases whose checks stand for every case's: all of them, except that a dataset whose rows
     * all hold one assertion list gives its first row only (the others are not bound for this).
     */
    public List<CaseSpec> casesForChecks() {
        return cases instanceof CaseList l ? l.forChecks() : cases;
    }

    /** Whether a field named {@code field} may be in some case's messages, system or params. */
    public boolean casesMayHold(String field) {
        return cases instanceof CaseList l ? l.mayHold(field) : cases.stream().anyMatch(c -> CaseList.holds(c, field));
    }

    public ModelSpec model(String id) {
        return models.stream().filter(m -> m.id().equals(id)).findFirst().orElseThrow();
    }
}
