package dev.sonde.session;

import com.google.auth.oauth2.UserCredentials;
import dev.sonde.api.ApiKey;
import dev.sonde.api.AwsAuth;
import dev.sonde.api.BedrockClient;
import dev.sonde.api.ClaudePlatformAwsClient;
import dev.sonde.api.FoundryAuth;
import dev.sonde.api.FoundryClient;
import dev.sonde.api.MissingCredentials;
import dev.sonde.api.Provider;
import dev.sonde.api.SecretMask;
import dev.sonde.api.VertexAuth;
import dev.sonde.api.VertexClient;
import dev.sonde.emulator.EmulatorCredentials;
import dev.sonde.metrics.Clock;
import dev.sonde.suite.ModelSpec;
import dev.sonde.suite.Suite;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The cloud-platform models of one run: their credentials, resolved from the environment (and a
 * {@code .env} file) before anything is sent — a missing one is one line and exit 3 — and the
 * providers made from them. A model on the embedded emulator signs and authenticates with the
 * emulator's own test credentials, so an offline run goes through the same SigV4, event-stream,
 * OAuth and key paths as a live one. Every credential value found is added to the run's mask.
 * Credentials are resolved once per source, not per model: models reading the same source share
 * one auth (a Foundry token command runs once at set-up; an AWS chain is resolved once for Bedrock
 * and Claude Platform on AWS alike; one Vertex token, fetched at set-up, serves all). Not thread-safe: one per run.
 */
final class PlatformProviders {
    /** One platform model's authentication: exactly one of the three is set. */
    private record Auth(AwsAuth aws, VertexAuth vertex, FoundryAuth foundry) {
        SecretMask maskOver(SecretMask base) {
            return aws != null ? aws.maskOver(base) : vertex != null ? vertex.maskOver(base) : foundry.maskOver(base);
        }

        String source() {
            return aws != null ? aws.source() : vertex != null ? vertex.source() : foundry.source();
        }
    }

    private final Map<String, Auth> auths;

    private PlatformProviders(Map<String, Auth> auths) {
        this.auths = auths;
    }

    /**
     * The variables a platform's credentials are read from: the process environment over a {@code
     * .env} file's, and which of them came from the file (the process does not set them; a
     * {@value FoundryAuth#COMMAND_ENV} the file set is named there but has no value).
     */
    record Environment(Map<String, String> values, Set<String> fromDotEnv) {
        Environment {
            values = Map.copyOf(values);
            fromDotEnv = Set.copyOf(fromDotEnv);
        }

        /** Variables all from the process environment. */
        static Environment ofProcess(Map<String, String> processEnv) {
            return new Environment(processEnv, Set.of());
        }
    }

    /**
     * Resolves the credentials of every platform model that runs against a real endpoint, all
     * before anything is sent (a model on the emulator needs none from the environment). A Vertex
     * model's token is fetched here, so a refused Google login stops the run before any model is
     * sent and billed.
     *
     * @param endpoints model label → {@code emulator} or its base URL (Routes)
     * @throws SuiteSession.SetupException exit 3 naming the provider, the model and what to set
     */
    static PlatformProviders resolve(Suite suite, Map<String, String> endpoints, Environment environment)
            throws SuiteSession.SetupException {
        Map<String, String> env = environment.values();
        Map<String, Auth> auths = new LinkedHashMap<>();
        Map<String, Auth> bySource = new HashMap<>();
        for (ModelSpec m : suite.models()) {
            if (!m.platform() || Routes.EMULATOR.equals(endpoints.get(m.id()))) {
                continue;
            }
            String source = sourceKey(m, env);
            Auth shared = bySource.get(source);
            if (shared != null) {
                auths.put(m.id(), shared);
                continue;
            }
            try {
                Auth auth = switch (m.provider()) {
                    case ModelSpec.BEDROCK, ModelSpec.CLAUDE_PLATFORM_AWS ->
                            new Auth(AwsAuth.fromEnvironment(m.provider(), m.id(), env, m.apiKeyEnv()), null, null);
                    case ModelSpec.VERTEX -> {
                        VertexAuth vertex = VertexAuth.fromEnvironment(m.id(), env,
                                environment.fromDotEnv().contains(VertexAuth.ENV));
                        vertex.check(m.id(), SecretMask.NONE);
                        yield new Auth(null, vertex, null);
                    }
                    case ModelSpec.FOUNDRY -> new Auth(null, null, FoundryAuth.fromEnvironment(m.id(), env, m.apiKeyEnv(),
                            environment.fromDotEnv().contains(FoundryAuth.COMMAND_ENV)));
                    default -> throw new IllegalStateException("not a platform: " + m.provider());
                };
                auths.put(m.id(), auth);
                bySource.put(source, auth);
            } catch (MissingCredentials missing) {
                throw new SuiteSession.SetupException(3, missing.getMessage() + " (or use --endpoint emulator); "
                        + "nothing was sent");
            }
        }
        return new PlatformProviders(auths);
    }

    /**
     * Which credentials {@code m} would be given, with no value in it: models with equal keys share
     * one auth. AWS models key on the source itself (the same API key variable, the same static
     * keys, the same default chain and profile), so Bedrock and Claude Platform on AWS models
     * resolve a {@code credential_process}, an MFA prompt or an SSO session once; Vertex models
     * share the one ADC; Foundry models key on their key variable.
     */
    private static String sourceKey(ModelSpec m, Map<String, String> env) {
        return switch (m.provider()) {
            case ModelSpec.BEDROCK, ModelSpec.CLAUDE_PLATFORM_AWS -> AwsAuth.sourceKey(m.provider(), env, m.apiKeyEnv());
            case ModelSpec.VERTEX -> ModelSpec.VERTEX;
            default -> m.provider() + "\n" + (m.apiKeyEnv() == null ? "" : m.apiKeyEnv());
        };
    }

    /**
     * The environment a platform's credentials are read from: the process's, over a {@code .env}
     * file's. {@value FoundryAuth#COMMAND_ENV} is never taken from the file (a command line in a
     * repository's {@code .env} would run on checkout, as {@code SONDE_ALLOWED_ENDPOINTS} is never
     * taken from it either), and a {@value VertexAuth#ENV} from the file is marked so that only a
     * service-account or authorized-user file is read through it.
     */
    static Environment environment(Map<String, String> processEnv, java.nio.file.Path workDir) {
        Map<String, String> file = new HashMap<>(Secrets.quietly(workDir));
        Set<String> fromFile = new HashSet<>(file.keySet());
        fromFile.removeAll(processEnv.keySet());
        file.remove(FoundryAuth.COMMAND_ENV); // named in fromDotEnv, so the message says why it was not used
        Map<String, String> merged = new HashMap<>(file);
        merged.putAll(processEnv);
        return new Environment(merged, fromFile);
    }

    /** No platform credentials: for a run whose banner is drawn before they are resolved. */
    static PlatformProviders none() {
        return new PlatformProviders(Map.of());
    }

    /**
     * Where live platform model {@code modelId}'s credentials come from, with no secret
     * ({@code AWS_ACCESS_KEY_ID …WXYZ (env)}, {@code gcloud ADC (authorized user)}, …), or null
     * when none were resolved for it (not a platform model, or on the emulator).
     */
    String source(String modelId) {
        Auth auth = auths.get(modelId);
        return auth == null ? null : auth.source();
    }

    /**
     * {@code mask} and every credential value these models hold or will hold (keys, secret keys,
     * session tokens, refresh tokens, and the tokens and identities had later in the run): a live
     * mask, so a Vertex token refreshed mid-run is masked in every model's exchanges, not only in
     * its own.
     */
    SecretMask mask(SecretMask mask) {
        SecretMask all = mask;
        for (Auth auth : new LinkedHashSet<>(auths.values())) {
            all = auth.maskOver(all);
        }
        return all;
    }

    /**
     * The provider of platform model {@code m}.
     *
     * @param base its base URL: the platform's root, or the emulator's
     * @param emulator the embedded emulator's credentials when {@code m} runs on it, else null
     */
    Provider open(ModelSpec m, URI base, EmulatorCredentials emulator, SecretMask mask, Clock clock, Duration connect) {
        Auth auth = emulator != null ? onEmulator(m, base, emulator) : auths.get(m.id());
        return switch (m.provider()) {
            case ModelSpec.BEDROCK -> new BedrockClient(base, m.region(),
                    BedrockClient.route(m.platformEndpoint(), m.bedrockApi(), m.model()), auth.aws(), mask, clock, connect);
            case ModelSpec.CLAUDE_PLATFORM_AWS -> new ClaudePlatformAwsClient(base, m.region(), m.workspaceId(), auth.aws(),
                    mask, clock, connect);
            case ModelSpec.VERTEX -> new VertexClient(base, m.project(), m.region(), auth.vertex(), mask, clock, connect);
            case ModelSpec.FOUNDRY -> new FoundryClient(base, auth.foundry(), mask, clock, connect);
            default -> throw new IllegalStateException("not a platform: " + m.provider());
        };
    }

    /** The emulator's test credentials for {@code m}'s platform (Vertex: a refresh at the emulator's own token endpoint). */
    private static Auth onEmulator(ModelSpec m, URI base, EmulatorCredentials c) {
        return switch (m.provider()) {
            case ModelSpec.BEDROCK, ModelSpec.CLAUDE_PLATFORM_AWS ->
                    new Auth(AwsAuth.sigV4(c.awsAccessKeyId(), c.awsSecretAccessKey(), null), null, null);
            case ModelSpec.VERTEX -> new Auth(null, VertexAuth.of(UserCredentials.newBuilder()
                    .setClientId(c.vertexClientId()).setClientSecret(c.vertexClientSecret())
                    .setRefreshToken(c.vertexRefreshToken())
                    .setTokenServerUri(URI.create(withoutSlash(base) + "/oauth2/token")).build()), null);
            case ModelSpec.FOUNDRY -> new Auth(null, null, FoundryAuth.apiKey(ApiKey.of(c.foundryApiKey())));
            default -> throw new IllegalStateException("not a platform: " + m.provider());
        };
    }

    private static String withoutSlash(URI base) {
        String s = base.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
