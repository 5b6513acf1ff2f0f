package dev.sonde.session;

import dev.sonde.api.ApiKey;
import dev.sonde.api.EndpointPolicy;
import dev.sonde.api.PlatformHosts;
import dev.sonde.api.SecretMask;
import dev.sonde.suite.Location;
import dev.sonde.suite.ModelSpec;
import dev.sonde.suite.Suite;
import dev.sonde.suite.SuiteException;
import java.io.IOException;
import java.net.URI;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where each model of a suite is sent and with which key, resolved once before anything is sent:
 * the endpoint per model label ({@code --endpoint}, else the model's {@code base_url}, else the
 * suite's {@code endpoint:}, else the embedded emulator; {@value #LIVE} is each model's official base,
 * {@link PlatformHosts}), checked against {@link EndpointPolicy} (a refusal is a suite error at the
 * field), the key of every model that runs live (all read first, so a missing one costs nothing),
 * and the {@link SecretMask} of every key the run could meet. A cloud platform model
 * ({@link #platform}) has no key here: its credentials (SigV4 keys, a bearer key, OAuth or Entra
 * tokens) are resolved by the platform's own auth when its provider is made. Immutable.
 *
 * @param endpoints model label → {@code emulator} or the live base URL
 * @param keys model label → its key, for models that run live with an API key (not the platforms)
 */
record Routes(Map<String, String> endpoints, Map<String, ApiKey> keys, SecretMask mask) {
    static final String EMULATOR = "emulator";
    /** The endpoint that sends each model to its provider's official base ({@link PlatformHosts#officialBase}). */
    static final String LIVE = "live";

    Routes {
        endpoints = Collections.unmodifiableMap(new LinkedHashMap<>(endpoints));
        keys = Map.copyOf(keys);
    }

    /**
     * @param override {@code --endpoint}, or null for the suite's choice
     * @param allowEndpoints {@code --allow-endpoint} hosts; {@code allowKeyEnvs} likewise
     */
    static Routes resolve(Suite suite, String override, List<String> allowEndpoints, List<String> allowKeyEnvs,
            Secrets env) throws SuiteException, SuiteSession.SetupException {
        Map<String, String> endpoints = new LinkedHashMap<>();
        for (int i = 0; i < suite.models().size(); i++) {
            ModelSpec m = suite.models().get(i);
            String e = endpointOf(suite, m, override);
            endpoints.put(m.id(), e.equals(EMULATOR) ? e : e.equals(LIVE) ? official(suite, i) : liveUri(e).toString());
        }
        checkKeyRoutes(suite, override, allowEndpoints, allowKeyEnvs, env.environment(), endpoints);
        Map<String, ApiKey> keys = keys(suite, endpoints, env);
        return new Routes(endpoints, keys, mask(suite, endpoints, keys, env));
    }

    /** Where {@code m} is sent, as given: {@code --endpoint}, else its {@code base_url}, else the suite's, else the emulator. */
    static String endpointOf(Suite suite, ModelSpec m, String override) {
        return override != null ? override
                : m.baseUrl() != null ? m.baseUrl() : suite.endpoint() != null ? suite.endpoint() : EMULATOR;
    }

    /** Whether some model runs on the embedded emulator. */
    boolean needsEmulator() {
        return endpoints.containsValue(EMULATOR);
    }

    /** Whether some model runs against a real endpoint. */
    boolean live() {
        return endpoints.values().stream().anyMatch(e -> !e.equals(EMULATOR));
    }

    /** The distinct endpoints, in suite order. */
    Set<String> distinct() {
        return new LinkedHashSet<>(endpoints.values());
    }

    /** The endpoint, or every distinct one joined with commas, for the run's metadata. */
    String label() {
        Set<String> distinct = distinct();
        return distinct.size() == 1 ? distinct.iterator().next() : String.join(", ", distinct);
    }

    /**
     * Where keys may go ({@link EndpointPolicy}), checked before anything is sent: every live endpoint
     * a suite file names (an endpoint given on the command line was chosen by the person running
     * Sonde), and every {@code api_key_env}. A refusal is a suite error at the field.
     */
    private static void checkKeyRoutes(Suite suite, String override, List<String> allowEndpoints,
            List<String> allowKeyEnvs, Map<String, String> env, Map<String, String> endpoints)
            throws SuiteException, SuiteSession.SetupException {
        EndpointPolicy policy;
        try {
            policy = EndpointPolicy.of(allowEndpoints, allowKeyEnvs, env);
        } catch (IllegalArgumentException e) {
            throw new SuiteSession.SetupException(2, e.getMessage());
        }
        for (int i = 0; i < suite.models().size(); i++) {
            ModelSpec m = suite.models().get(i);
            if (m.apiKeyEnv() != null) {
                String refusal = policy.keyEnvRefusal(m.apiKeyEnv());
                if (refusal == null) {
                    refusal = policy.keyProviderRefusal(m.apiKeyEnv(), m.provider());
                }
                if (refusal != null) {
                    throw new SuiteException(m.apiKeyEnvAt(), "models[" + i + "].api_key_env", refusal);
                }
            }
            String e = endpoints.get(m.id());
            if (e.equals(EMULATOR) || override != null) {
                continue;
            }
            String refusal = policy.refusal(URI.create(e), m.provider());
            if (refusal != null) {
                boolean own = m.baseUrl() != null;
                Location at = own ? m.baseUrlAt() : suite.endpointAt();
                throw new SuiteException(at != null ? at : new Location(suite.file(), 1, 1),
                        own ? "models[" + i + "].base_url" : "endpoint", e + ": " + refusal);
            }
        }
    }

    /** The key of every model that runs live, by {@code models[].id}; all read before anything is sent. */
    private static Map<String, ApiKey> keys(Suite suite, Map<String, String> endpoints, Secrets env)
            throws SuiteSession.SetupException {
        Map<String, ApiKey> keys = new HashMap<>();
        for (ModelSpec m : suite.models()) {
            String e = endpoints.get(m.id());
            if (e.equals(EMULATOR) || platform(m)) {
                continue;
            }
            String var = keyVariable(m);
            String value;
            try {
                value = env.get(var);
            } catch (IOException dotEnv) {
                throw new SuiteSession.SetupException(2, dotEnv.getMessage());
            }
            try {
                keys.put(m.id(), ApiKey.fromEnvironment(value == null ? Map.of() : Map.of(var, value), var)
                        .orElseThrow(() -> new SuiteSession.SetupException(3, var + " is not set: a live run against " + e
                                + " needs it (or use --endpoint emulator)")));
            } catch (IllegalArgumentException invalid) {
                throw new SuiteSession.SetupException(3, invalid.getMessage() + "; nothing was sent");
            }
        }
        return keys;
    }

    /**
     * Every key this run could meet: the live models' keys, and any valid key in the process
     * environment under an emulated model's variable (the emulator never receives it, but an answer
     * must not carry it either).
     */
    private static SecretMask mask(Suite suite, Map<String, String> endpoints, Map<String, ApiKey> keys, Secrets env) {
        List<ApiKey> all = new java.util.ArrayList<>(keys.values());
        for (ModelSpec m : suite.models()) {
            String var = keyVariable(m);
            if (endpoints.get(m.id()).equals(EMULATOR) && var != null) {
                String raw = env.fromEnvironment(var);
                try {
                    if (raw != null) {
                        ApiKey.fromEnvironment(Map.of(var, raw), var).ifPresent(all::add);
                    }
                } catch (IllegalArgumentException unusable) {
                    // not a key that could be sent anywhere: nothing to mask
                }
            }
        }
        return all.isEmpty() ? SecretMask.NONE : SecretMask.of(all);
    }

    /**
     * The environment variable {@code m}'s key is read from: its {@code api_key_env}, else its
     * provider's; null for Vertex AI, which reads Application Default Credentials, not a key. On a
     * platform the key is a bearer its auth tries first, before its other credentials.
     */
    static String keyVariable(ModelSpec m) {
        return m.apiKeyEnv() != null ? m.apiKeyEnv() : EndpointPolicy.defaultKeyVariable(m.provider());
    }

    /**
     * Whether {@code m} runs on a cloud platform, whose credentials its platform auth resolves (the
     * seam where the session makes its provider), not {@link #keys}.
     */
    static boolean platform(ModelSpec m) {
        return m.platform();
    }

    /**
     * {@code models[index]}'s official base under {@value #LIVE}. A Foundry model that names its
     * resource only through its {@code base_url} has none: a suite error at that {@code base_url}
     * (the loader already refused every other field an official base is made of).
     */
    private static String official(Suite suite, int index) throws SuiteException, SuiteSession.SetupException {
        ModelSpec m = suite.models().get(index);
        if (ModelSpec.FOUNDRY.equals(m.provider()) && m.resource() == null) {
            Location at = m.baseUrlAt() != null ? m.baseUrlAt() : new Location(suite.file(), 1, 1);
            throw new SuiteException(at, "models[" + index + "].resource", "--endpoint live sends foundry model " + m.id()
                    + " to https://{resource}.services.ai.azure.com, and it names its resource only in base_url: "
                    + "add resource (for example resource: my-foundry), or run it on its base_url without --endpoint live");
        }
        try {
            return PlatformHosts.officialBase(m).toString();
        } catch (IllegalArgumentException e) {
            throw new SuiteSession.SetupException(2, "--endpoint live: " + e.getMessage());
        }
    }

    private static URI liveUri(String endpoint) throws SuiteSession.SetupException {
        try {
            URI uri = new URI(endpoint);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getUserInfo() == null && uri.getQuery() == null) {
                return uri;
            }
        } catch (java.net.URISyntaxException e) {
            // reported below
        }
        throw new SuiteSession.SetupException(2, "endpoint '" + endpoint + "' is neither 'emulator', 'live' nor an http(s) "
                + "base URL");
    }
}
