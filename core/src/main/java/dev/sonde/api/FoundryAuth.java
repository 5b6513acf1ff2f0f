package dev.sonde.api;

import dev.sonde.metrics.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * How requests to Claude in Microsoft Foundry authenticate: an API key sent as {@code x-api-key}, a
 * fixed Microsoft Entra bearer token, or a bearer token printed by a command ({@value #COMMAND_ENV},
 * from the environment only, never a suite file; see {@link TokenCommand}). A command's token is
 * fetched at set-up, fetched again once it is {@link #COMMAND_TOKEN_LIFETIME} old (Entra tokens
 * live 60–90 min), and once after the server answers 401 to it; one fetch serves every request
 * waiting for it. Every credential value, each command token included, is masked from every
 * exchange; none is ever shown in a message or {@link #toString()}. Thread-safe.
 */
public final class FoundryAuth {
    public static final String API_KEY_ENV = "ANTHROPIC_FOUNDRY_API_KEY";
    public static final String TOKEN_ENV = "ANTHROPIC_FOUNDRY_AUTH_TOKEN";
    public static final String COMMAND_ENV = "SONDE_FOUNDRY_TOKEN_COMMAND";
    /** How long the token command may run. */
    public static final Duration COMMAND_BOUND = Duration.ofSeconds(30);
    /** How long a command's token is used before the command runs again. */
    public static final Duration COMMAND_TOKEN_LIFETIME = Duration.ofMinutes(45);

    /** One credential as sent: the header's name and its whole value. */
    record Credential(String header, String value, ApiKey secret) {}

    private enum Kind { API_KEY, BEARER, COMMAND }

    private final Kind kind;
    private final String source;
    private final TokenCommand command;
    private final Clock clock;
    private final IssuedSecrets issued = new IssuedSecrets();
    private ApiKey current; // guarded by this
    private long fetchedNanos; // guarded by this
    private boolean rejected; // guarded by this

    private FoundryAuth(Kind kind, String source, ApiKey key, TokenCommand command, Clock clock) {
        this.kind = kind;
        this.source = source;
        this.command = command;
        this.clock = clock;
        if (key != null) {
            this.current = key;
            this.fetchedNanos = clock.nanoTime();
            issued.add(key);
        }
    }

    /** A Foundry API key, sent as {@code x-api-key}. */
    public static FoundryAuth apiKey(ApiKey key) {
        return new FoundryAuth(Kind.API_KEY, "an API key", key, null, Clock.system());
    }

    /** A fixed Entra bearer token, sent as {@code Authorization: Bearer}. */
    public static FoundryAuth bearer(ApiKey token) {
        return new FoundryAuth(Kind.BEARER, "an Entra token", token, null, Clock.system());
    }

    /**
     * The credentials of {@code env}: the API key in {@code apiKeyVar} (the model's {@code
     * api_key_env}) or, when that is null, {@value #API_KEY_ENV}; else the bearer token in
     * {@value #TOKEN_ENV}; else the token printed by {@value #COMMAND_ENV}, run now.
     *
     * @throws MissingCredentials one line naming what to set or why the command gave no token,
     *     never a value
     */
    public static FoundryAuth fromEnvironment(String modelId, Map<String, String> env, String apiKeyVar)
            throws MissingCredentials {
        return fromEnvironment(modelId, env, apiKeyVar, false);
    }

    /**
     * As {@link #fromEnvironment(String, Map, String)}; {@code commandInDotEnv} says that a {@code
     * .env} file set {@value #COMMAND_ENV}, which is never taken from it (it is not in {@code env}),
     * so the message that asks for it says why the file's was not used.
     */
    public static FoundryAuth fromEnvironment(String modelId, Map<String, String> env, String apiKeyVar,
            boolean commandInDotEnv) throws MissingCredentials {
        try {
            return fromEnvironment(modelId, env, apiKeyVar, Clock.system(), COMMAND_BOUND, commandInDotEnv);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MissingCredentials("foundry (model " + modelId + "): interrupted while " + COMMAND_ENV + " ran");
        }
    }

    /** As {@link #fromEnvironment(String, Map, String)} on {@code clock}, the command bounded by {@code bound} (tests). */
    static FoundryAuth fromEnvironment(String modelId, Map<String, String> env, String apiKeyVar, Clock clock,
            Duration bound) throws MissingCredentials, InterruptedException {
        return fromEnvironment(modelId, env, apiKeyVar, clock, bound, false);
    }

    private static FoundryAuth fromEnvironment(String modelId, Map<String, String> env, String apiKeyVar, Clock clock,
            Duration bound, boolean commandInDotEnv) throws MissingCredentials, InterruptedException {
        String who = "foundry (model " + modelId + "): ";
        String keyVar = apiKeyVar != null && !apiKeyVar.isBlank() ? apiKeyVar : API_KEY_ENV;
        try {
            var key = ApiKey.fromEnvironment(env, keyVar);
            if (key.isPresent()) {
                return new FoundryAuth(Kind.API_KEY, keyVar, key.get(), null, clock);
            }
            var token = ApiKey.fromEnvironment(env, TOKEN_ENV);
            if (token.isPresent()) {
                return new FoundryAuth(Kind.BEARER, "Entra token from " + TOKEN_ENV, token.get(), null, clock);
            }
        } catch (IllegalArgumentException e) {
            throw new MissingCredentials(who + e.getMessage());
        }
        String line = env.get(COMMAND_ENV);
        if (line == null || line.isBlank()) {
            throw new MissingCredentials(who + "no Foundry credentials: set " + keyVar + " (an API key), "
                    + TOKEN_ENV + " (an Entra token), or " + COMMAND_ENV + " (a command that prints one)"
                    + (commandInDotEnv ? " (" + COMMAND_ENV + " in .env is ignored: set it in the process environment)"
                            : ""));
        }
        FoundryAuth auth;
        try {
            auth = new FoundryAuth(Kind.COMMAND, COMMAND_ENV, null, TokenCommand.parse(COMMAND_ENV, line, bound), clock);
            synchronized (auth) {
                auth.fetch();
            }
        } catch (MissingCredentials e) {
            throw new MissingCredentials(who + e.getMessage());
        }
        return auth;
    }

    /**
     * The credential for one request: a command's token is fetched again first when it is {@link
     * #COMMAND_TOKEN_LIFETIME} old or was rejected.
     *
     * @throws MissingCredentials when the command gives no token any more
     */
    synchronized Credential credential() throws MissingCredentials, InterruptedException {
        if (kind == Kind.COMMAND && (rejected || clock.nanoTime() - fetchedNanos >= COMMAND_TOKEN_LIFETIME.toNanos())) {
            try {
                fetch();
            } catch (MissingCredentials e) {
                throw new MissingCredentials("foundry: " + e.getMessage());
            }
        }
        return kind == Kind.API_KEY ? new Credential("x-api-key", current.reveal(), current)
                : new Credential("authorization", "Bearer " + current.reveal(), current);
    }

    /**
     * Says the server answered 401 to {@code used}: true when another credential may be had (a
     * command's, fetched on the next {@link #credential()}, once however many requests were
     * rejected with the same token), false when it is fixed and trying again is pointless.
     */
    synchronized boolean rejected(Credential used) {
        if (kind != Kind.COMMAND) {
            return false;
        }
        if (used.secret() == current) {
            rejected = true;
        }
        return true;
    }

    private void fetch() throws MissingCredentials, InterruptedException {
        String value = command.run();
        ApiKey token;
        try {
            token = ApiKey.of(value);
        } catch (IllegalArgumentException e) {
            throw new MissingCredentials(COMMAND_ENV + " printed a line that cannot be a token: " + e.getMessage());
        }
        issued.add(token);
        current = token;
        fetchedNanos = clock.nanoTime();
        rejected = false;
    }

    /**
     * Where the credential comes from, for the live banner, with no value: the API key's variable
     * ({@value #API_KEY_ENV} or the model's {@code api_key_env}), {@code Entra token from
     * ANTHROPIC_FOUNDRY_AUTH_TOKEN} or {@value #COMMAND_ENV}.
     */
    public String source() {
        return source;
    }

    /** Every credential value this auth has sent or holds, oldest first (for the run's mask). */
    public List<ApiKey> secrets() {
        return issued.list();
    }

    /**
     * A live mask of {@code base} and every secret this auth holds or will hold: a credential it
     * has later (a refreshed token or identity) joins the mask when it is had.
     */
    public SecretMask maskOver(SecretMask base) {
        return issued.maskOver(base);
    }

    IssuedSecrets issued() {
        return issued;
    }

    @Override
    public String toString() {
        return "FoundryAuth[" + switch (kind) {
            case API_KEY -> "x-api-key";
            case BEARER -> "bearer";
            case COMMAND -> "bearer from " + COMMAND_ENV;
        } + "]";
    }
}
