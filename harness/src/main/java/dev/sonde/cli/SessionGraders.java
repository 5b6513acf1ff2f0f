package dev.sonde.cli;

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
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * A run's graders: a grader named by a {@code models[].id} uses that model's provider (the same
 * endpoint, protocol, key and headers as its trials, emulator included) with its API model id; any
 * other name must be a priced API model id and goes over the Messages API to the suite's own
 * endpoint ({@code --endpoint}, else {@code endpoint:}, else the emulator). A name that is neither
 * is a suite error. Grading params are the suite grader's {@code params} with an assertion's own
 * over them; the graded model's {@code params} (tools, thinking…) are not used.
 */
final class SessionGraders implements Graders {
    private final Suite suite;
    private final Map<String, Provider> providers;
    private final Supplier<Provider> suiteEndpoint;
    private final PricingTable pricing;
    private final Clock clock;

    /**
     * @param providers the trials' providers by {@code models[].id}
     * @param suiteEndpoint the Messages API provider of the suite's endpoint, made on first use; it
     *     throws {@link IllegalArgumentException} when it cannot be made (e.g. no key)
     * @throws SuiteException when the suite's {@code grader.model} is neither a model id nor priced
     */
    SessionGraders(Suite suite, Map<String, Provider> providers, Supplier<Provider> suiteEndpoint,
            PricingTable pricing, Clock clock) throws SuiteException {
        this.suite = suite;
        this.providers = Map.copyOf(providers);
        this.suiteEndpoint = memoize(suiteEndpoint);
        this.pricing = pricing;
        this.clock = clock;
        GraderSpec g = suite.grader();
        if (!known(g.model())) {
            throw new SuiteException(g.location(), g.field(), unknown(g.model()));
        }
    }

    /** Whether a grader named {@code model} goes to the suite's endpoint rather than to a model's provider. */
    static boolean usesSuiteEndpoint(Suite suite, String model) {
        return suite.models().stream().noneMatch(m -> m.id().equals(model));
    }

    @Override
    public Grader resolve(String model, ObjectNode params) {
        String ref = model != null ? model : suite.grader().model();
        if (!known(ref)) {
            throw new IllegalArgumentException(unknown(ref));
        }
        ObjectNode merged = suite.grader().params().deepCopy();
        if (params != null) {
            merged.setAll(params.deepCopy());
        }
        Timeouts timeouts = new Timeouts(suite.run().timeout(), suite.run().firstTokenTimeout(),
                suite.run().idleTimeout());
        for (ModelSpec m : suite.models()) {
            if (m.id().equals(ref)) {
                return new ProviderGrader(m.id(), m.model(), m.openAiChat(), m.headers(), merged, providers.get(m.id()),
                        pricing, timeouts, suite.run().retry(), clock);
            }
        }
        return new ProviderGrader(ref, ref, false, Map.of(), merged, suiteEndpoint.get(), pricing, timeouts,
                suite.run().retry(), clock);
    }

    private boolean known(String ref) {
        return !usesSuiteEndpoint(suite, ref) || pricing.priceOf(ref).isPresent();
    }

    private String unknown(String ref) {
        return "grader model '" + ref + "' is neither a models[].id (" + suite.models().stream().map(ModelSpec::id)
                .collect(Collectors.joining(", ")) + ") nor a model in the pricing table: name one of the suite's "
                + "models, or price it (pricing:)";
    }

    private static Supplier<Provider> memoize(Supplier<Provider> s) {
        Provider[] made = {null};
        return () -> {
            synchronized (made) {
                if (made[0] == null) {
                    made[0] = s.get();
                }
                return made[0];
            }
        };
    }
}
