package dev.sonde.session;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.api.Provider;
import dev.sonde.api.Timeouts;
import dev.sonde.check.Grader;
import dev.sonde.check.Graders;
import dev.sonde.metrics.Clock;
import dev.sonde.metrics.PricingTable;
import dev.sonde.run.ProviderGrader;
import dev.sonde.suite.GraderSpec;
import dev.sonde.suite.ModelSpec;
import dev.sonde.suite.Suite;
import dev.sonde.suite.SuiteException;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A run's graders, over the trials' own providers. A grader named by a {@code models[].id} uses that
 * model's provider (its endpoint, protocol, key — emulator included) and headers, with its API
 * model id. Any other name must be a priced API model id; it is sent over the Messages API through
 * the provider of the suite's first Anthropic-protocol model, with that model's headers (so a live run
 * grades live, an emulator run on the emulator, a gateway gets its headers). Anything else is a suite error, found when checks are built.
 * Grading params are the suite grader's {@code params} with an assertion's own over them; the graded
 * model's {@code params} (tools, thinking…) are not used. Under {@code budget.max_usd} an unpriced
 * grader is a suite error at the assertion (its spend could not be bounded). Thread-safe.
 */
final class SessionGraders implements Graders {
    private final Suite suite;
    private final Map<String, Provider> providers;
    private final PricingTable pricing;
    private final Clock clock;

    /**
     * @param providers the trials' providers by {@code models[].id}
     * @throws SuiteException when the suite's {@code grader.model} cannot be resolved
     */
    SessionGraders(Suite suite, Map<String, Provider> providers, PricingTable pricing, Clock clock)
            throws SuiteException {
        this.suite = suite;
        this.providers = Map.copyOf(providers);
        this.pricing = pricing;
        this.clock = clock;
        GraderSpec g = suite.grader();
        String problem = problem(g.model());
        if (problem != null) {
            throw new SuiteException(g.location(), g.field(), problem);
        }
    }

    /**
     * A new grader for {@code model} (null: the suite's), its {@code params} over the suite grader's.
     *
     * @throws IllegalArgumentException when {@code model} is neither a {@code models[].id} nor a priced model
     *     id, needs an Anthropic model the suite lacks, or is unpriced while {@code budget.max_usd} is set
     */
    @Override
    public Grader resolve(String model, ObjectNode params) {
        String ref = model != null ? model : suite.grader().model();
        String problem = problem(ref);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        ObjectNode merged = suite.grader().params().deepCopy();
        if (params != null) {
            merged.setAll(params.deepCopy());
        }
        Timeouts timeouts = Timeouts.of(suite.run());
        Optional<ModelSpec> named = byId(ref);
        if (named.isPresent()) {
            ModelSpec m = named.get();
            if (suite.budget().maxUsd() != null && pricing.priceOf(m.priceKey()).isEmpty()) {
                throw new IllegalArgumentException("grader model '" + m.id() + "' (" + m.model() + ") is unpriced, so "
                        + "budget.max_usd cannot bound what grading spends: price it (pricing:) or grade with a priced model");
            }
            return new ProviderGrader(m.id(), m.model(), m.priceKey(), m.openAiChat(), m.headers(), merged, providers.get(m.id()),
                    pricing, timeouts, suite.run().retry(), clock);
        }
        ModelSpec via = firstAnthropic().orElseThrow();
        return new ProviderGrader(ref, ref, false, via.headers(), merged, providers.get(via.id()), pricing, timeouts,
                suite.run().retry(), clock);
    }

    /** Why {@code ref} cannot grade, or null when it can. */
    private String problem(String ref) {
        if (byId(ref).isPresent()) {
            return null;
        }
        if (pricing.priceOf(ref).isEmpty()) {
            return "grader model '" + ref + "' is neither a models[].id (" + suite.models().stream().map(ModelSpec::id)
                    .collect(Collectors.joining(", ")) + ") nor a model in the pricing table: name one of the suite's "
                    + "models, or price it (pricing:)";
        }
        if (firstAnthropic().isEmpty()) {
            return "grader model '" + ref + "' would be sent through the suite's first Anthropic model, and this suite "
                    + "has none: name one of its models as grader";
        }
        return null;
    }

    private Optional<ModelSpec> byId(String id) {
        return suite.models().stream().filter(m -> m.id().equals(id)).findFirst();
    }

    private Optional<ModelSpec> firstAnthropic() {
        return suite.models().stream().filter(m -> !m.openAiChat()).findFirst();
    }
}
