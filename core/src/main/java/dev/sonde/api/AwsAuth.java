package dev.sonde.api;

import dev.sonde.metrics.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * How a request to AWS is authenticated: an API key sent as {@code Authorization: Bearer}, or
 * SigV4 ({@link AwsV4HttpSigner}, payload signed: {@code x-amz-content-sha256} is sent) with
 * static credentials or with the AWS SDK's default chain (profiles, SSO, web identity, container,
 * IMDS), which was resolved once at set-up to fail fast and is asked again per request (the SDK
 * caches and refreshes what it resolved). The signing time is the injected {@link Clock}'s wall
 * time, so a signature is reproducible in tests.
 *
 * <p>{@link #toString()} and {@link #source()} never show a value; {@link #secrets()} lists every
 * value a {@link SecretMask} must hide, and every identity the chain hands over later (refreshed
 * by {@code credential_process}, SSO, a role) is kept too ({@link IssuedSecrets}), so a client's
 * {@code issued().maskOver(mask)} hides what it signed with even after the run's mask was made.
 * Thread-safe (the SDK's providers are).
 */
public final class AwsAuth {
    /** The static keys read from the environment map when no API key is set. */
    static final String ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
    static final String SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
    static final String SESSION_TOKEN = "AWS_SESSION_TOKEN";
    static final String PROFILE = "AWS_PROFILE";
    private static final String DEFAULT_PROFILE = "default";

    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    private final ApiKey bearer;
    private final AwsCredentialsIdentity fixed;
    private final AwsCredentialsProvider chain;
    private final String source;
    private final IssuedSecrets issued = new IssuedSecrets();

    private AwsAuth(ApiKey bearer, AwsCredentialsIdentity fixed, AwsCredentialsProvider chain, List<ApiKey> secrets,
            String source) {
        this.bearer = bearer;
        this.fixed = fixed;
        this.chain = chain;
        this.source = source;
        secrets.forEach(issued::add);
    }

    /** An API key, sent as {@code Authorization: Bearer <key>}. */
    public static AwsAuth bearer(ApiKey key) {
        return new AwsAuth(key, null, null, List.of(key), "an API key");
    }

    /**
     * SigV4 with static credentials.
     *
     * @param sessionToken null for long-term keys; else sent as {@code x-amz-security-token}
     * @throws IllegalArgumentException when a value is empty or cannot go in a header (the message
     *     never shows it)
     */
    public static AwsAuth sigV4(String accessKeyId, String secretAccessKey, String sessionToken) {
        return sigV4(accessKeyId, secretAccessKey, sessionToken, "static keys");
    }

    /** @param origin where the keys came from, for {@link #source()} */
    private static AwsAuth sigV4(String accessKeyId, String secretAccessKey, String sessionToken, String origin) {
        List<ApiKey> secrets = new ArrayList<>();
        secrets.add(ApiKey.of(accessKeyId));
        secrets.add(ApiKey.of(secretAccessKey));
        if (sessionToken != null) {
            secrets.add(ApiKey.of(sessionToken));
        }
        String tail = secrets.get(0).lastFour().map(t -> " …" + t).orElse("");
        String source = origin.equals("env") ? ACCESS_KEY_ID + tail + " (env)" : origin + tail;
        return new AwsAuth(null, identity(secrets.get(0).reveal(), secrets.get(1).reveal(),
                sessionToken == null ? null : secrets.get(2).reveal()), null, secrets, source);
    }

    /**
     * The credentials of {@code provider} for one model, from the environment: the provider's API
     * key variable ({@code bedrock}: {@code AWS_BEARER_TOKEN_BEDROCK}; {@code claude-platform-aws}:
     * {@code ANTHROPIC_AWS_API_KEY}; {@code apiKeyVar} instead when not null), else
     * {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY} (and {@code AWS_SESSION_TOKEN})
     * from {@code env}, else the AWS SDK's default chain ({@code AWS_PROFILE} from {@code env}
     * names the profile), resolved here once.
     *
     * @param modelId the suite's id of the model, named in the message
     * @throws MissingCredentials one line naming what to set; never a value, never the SDK's own
     *     account of why its chain found nothing
     */
    public static AwsAuth fromEnvironment(String provider, String modelId, Map<String, String> env, String apiKeyVar)
            throws MissingCredentials {
        return fromEnvironment(provider, modelId, env, apiKeyVar,
                () -> {
                    DefaultCredentialsProvider.Builder b = DefaultCredentialsProvider.builder();
                    String profile = env.get(PROFILE);
                    if (profile != null && !profile.isBlank()) {
                        b.profileName(profile.strip());
                    }
                    return b.build();
                }, AwsAuth::profileKind);
    }

    /**
     * What the AWS config and credentials files hold for a profile, by the names of its settings
     * (never their values): whether it is there, whether it can give credentials, whether by SSO.
     */
    enum ProfileKind {
        /** Not in the files (or they cannot be read). */
        ABSENT,
        /** There, but with no credential setting: a {@code region}-only leftover of {@code aws configure}. */
        NO_CREDENTIALS,
        /** Keys, a {@code credential_process}, a role or a web identity. */
        CREDENTIALS,
        /** An {@code sso_*} setting or an {@code sso_session}: {@code aws sso login} can renew it. */
        SSO;

        /** Settings by which a profile gives credentials (the SDK's profile provider reads these). */
        private static final Set<String> CREDENTIAL_SETTINGS = Set.of("aws_access_key_id", "aws_secret_access_key",
                "credential_process", "role_arn", "web_identity_token_file", "source_profile", "credential_source");

        /** The kind of a profile whose settings are named {@code settings}. */
        static ProfileKind of(Set<String> settings) {
            boolean credentials = false;
            for (String s : settings) {
                String name = s.toLowerCase(Locale.ROOT);
                if (name.startsWith("sso_")) {
                    return SSO;
                }
                credentials |= CREDENTIAL_SETTINGS.contains(name);
            }
            return credentials ? CREDENTIALS : NO_CREDENTIALS;
        }
    }

    /** What the AWS config and credentials files hold for {@code profile} (never its contents). */
    private static ProfileKind profileKind(String profile) {
        try {
            return ProfileFile.defaultProfileFile().profile(profile)
                    .map(p -> ProfileKind.of(p.properties().keySet())).orElse(ProfileKind.ABSENT);
        } catch (RuntimeException e) {
            return ProfileKind.ABSENT; // an unreadable file: the chain's failure says no more than "no credentials"
        }
    }

    /** {@link #fromEnvironment(String, String, Map, String)} with the default chain given and no AWS config files (tests). */
    static AwsAuth fromEnvironment(String provider, String modelId, Map<String, String> env, String apiKeyVar,
            Supplier<AwsCredentialsProvider> defaultChain) throws MissingCredentials {
        return fromEnvironment(provider, modelId, env, apiKeyVar, defaultChain, p -> ProfileKind.ABSENT);
    }

    /**
     * {@link #fromEnvironment(String, String, Map, String)} with the default chain given, and
     * what the AWS config files hold for a profile name (tests).
     */
    static AwsAuth fromEnvironment(String provider, String modelId, Map<String, String> env, String apiKeyVar,
            Supplier<AwsCredentialsProvider> defaultChain, Function<String, ProfileKind> profiles)
            throws MissingCredentials {
        String who = provider + " (model " + modelId + ")";
        String keyVar = apiKeyVar != null ? apiKeyVar : apiKeyVariable(provider);
        try {
            Optional<ApiKey> key = ApiKey.fromEnvironment(env, keyVar);
            if (key.isPresent()) {
                return new AwsAuth(key.get(), null, null, List.of(key.get()), keyVar);
            }
        } catch (IllegalArgumentException e) {
            throw new MissingCredentials(who + ": " + e.getMessage()); // names the variable, never the value
        }
        String id = blankToNull(env.get(ACCESS_KEY_ID));
        String secret = blankToNull(env.get(SECRET_ACCESS_KEY));
        if (id != null || secret != null) {
            if (id == null || secret == null) {
                throw new MissingCredentials(who + ": " + (id == null ? SECRET_ACCESS_KEY + " is set but "
                        + ACCESS_KEY_ID + " is not" : ACCESS_KEY_ID + " is set but " + SECRET_ACCESS_KEY + " is not"));
            }
            try {
                return sigV4(id, secret, blankToNull(env.get(SESSION_TOKEN)), "env");
            } catch (IllegalArgumentException e) {
                throw new MissingCredentials(who + ": " + ACCESS_KEY_ID + ", " + SECRET_ACCESS_KEY + " or "
                        + SESSION_TOKEN + " is not usable: " + e.getMessage());
            }
        }
        String named = blankToNull(env.get(PROFILE));
        String missing = missing(who, keyVar, named, profiles);
        AwsCredentialsProvider chain;
        AwsCredentials resolved;
        try {
            chain = defaultChain.get();
            resolved = chain.resolveCredentials();
        } catch (RuntimeException e) {
            // the SDK's message lists every provider it tried and may quote a profile's contents
            throw new MissingCredentials(missing);
        }
        if (resolved == null || resolved.accessKeyId() == null || resolved.secretAccessKey() == null) {
            throw new MissingCredentials(missing);
        }
        List<ApiKey> secrets = new ArrayList<>();
        try {
            secrets.add(ApiKey.of(resolved.accessKeyId()));
            secrets.add(ApiKey.of(resolved.secretAccessKey()));
            if (resolved instanceof AwsSessionCredentials s && s.sessionToken() != null) {
                secrets.add(ApiKey.of(s.sessionToken()));
            }
        } catch (IllegalArgumentException e) {
            throw new MissingCredentials(who + ": the AWS credentials the default chain found are not usable: "
                    + e.getMessage());
        }
        return new AwsAuth(null, null, chain, secrets, named != null ? "profile " + shown(named)
                : "default chain: " + resolved.providerName().map(AwsAuth::providerName)
                        .orElse(chain.getClass().getSimpleName()));
    }

    /**
     * Why the default chain found nothing, in one line: the profile's fault when one is named or a
     * {@code default} profile holds credential settings (not in the files; no credential setting;
     * could not be resolved, with {@code aws sso login} only for an SSO profile), always with the
     * variables that would do instead.
     */
    private static String missing(String who, String keyVar, String named, Function<String, ProfileKind> profiles) {
        String set = "set " + keyVar + ", or " + ACCESS_KEY_ID + " and " + SECRET_ACCESS_KEY + ", or " + PROFILE;
        String profile = named != null ? named : DEFAULT_PROFILE;
        ProfileKind kind = profiles.apply(profile);
        if (named == null && (kind == ProfileKind.ABSENT || kind == ProfileKind.NO_CREDENTIALS)) {
            return who + ": no AWS credentials: " + set;
        }
        String p = "profile " + shown(profile);
        return who + ": " + switch (kind) {
            case ABSENT -> p + " is not in the AWS config files: " + set + " to a profile that is";
            case NO_CREDENTIALS -> p + " holds no credential settings (keys, credential_process, SSO or a role): " + set
                    + " to a profile that does";
            case CREDENTIALS -> p + ": its credentials could not be resolved: check it, or " + set;
            case SSO -> p + ": its credentials could not be resolved (an expired SSO session? run aws sso login "
                    + "--profile " + shown(profile) + "), or " + set;
        };
    }

    /** The SDK's name of the provider that answered, as a plain name (letters, digits, {@code ,_-}), bounded. */
    private static String providerName(String name) {
        String plain = name.replaceAll("[^A-Za-z0-9,_-]", "");
        return plain.length() > 80 ? plain.substring(0, 80) : plain;
    }

    /** A profile's name for a message: as written when plain (at most 64 of {@code A-Za-z0-9._@+-}), else a stand-in. */
    private static String shown(String profile) {
        return profile.matches("[A-Za-z0-9._@+-]{1,64}") ? profile : "(the one " + PROFILE + " names)";
    }

    /**
     * Which credentials {@link #fromEnvironment} would take for {@code provider} from {@code env},
     * as a key with no value in it: models whose keys are equal share one auth, so a suite with
     * Bedrock and Claude Platform on AWS models resolves the default chain (a {@code
     * credential_process}, an MFA prompt, an SSO session) once, not once per provider.
     */
    public static String sourceKey(String provider, Map<String, String> env, String apiKeyVar) {
        String keyVar = apiKeyVar != null ? apiKeyVar : apiKeyVariable(provider);
        if (blankToNull(env.get(keyVar)) != null) {
            return "aws bearer " + keyVar;
        }
        if (blankToNull(env.get(ACCESS_KEY_ID)) != null || blankToNull(env.get(SECRET_ACCESS_KEY)) != null) {
            return "aws keys"; // the same three variables whichever provider reads them
        }
        String profile = blankToNull(env.get(PROFILE));
        return "aws chain " + (profile == null ? "" : profile);
    }

    /** The environment variable that holds {@code provider}'s API key. */
    static String apiKeyVariable(String provider) {
        return EndpointPolicy.defaultKeyVariable(provider);
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.strip();
    }

    private static AwsCredentialsIdentity identity(String id, String secret, String token) {
        return token == null ? AwsCredentialsIdentity.create(id, secret)
                : AwsSessionCredentialsIdentity.create(id, secret, token);
    }

    /**
     * Every value a mask must hide: the key id, the secret, the session token, or the API key; for
     * the default chain, of every identity signed with so far.
     */
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

    /**
     * Which credentials sign, for the live banner, never a secret and at most the last four
     * characters of an access key id: {@code AWS_BEARER_TOKEN_BEDROCK} (the API key's variable),
     * {@code AWS_ACCESS_KEY_ID …WXYZ (env)}, {@code profile rot}, {@code default chain: <provider>}.
     */
    public String source() {
        return source;
    }

    /** Whether requests carry an API key rather than a signature. */
    public boolean isBearer() {
        return bearer != null;
    }

    /**
     * {@code post} with its authentication: the bearer header, or the SigV4 headers
     * ({@code authorization}, {@code x-amz-date}, {@code x-amz-content-sha256},
     * {@code x-amz-security-token}) over every header of {@code post} and its body.
     *
     * @param service the signing name ({@code bedrock}, {@code bedrock-mantle}, {@code aws-external-anthropic})
     */
    HttpTransport.Post authorize(HttpTransport.Post post, String service, String region, Clock clock) {
        Map<String, String> headers = new LinkedHashMap<>(post.headers());
        if (bearer != null) {
            headers.put("authorization", "Bearer " + bearer.reveal());
            return new HttpTransport.Post(post.uri(), headers, post.body());
        }
        AwsCredentialsIdentity identity = fixed != null ? fixed : current();
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().uri(post.uri()).method(SdkHttpMethod.POST);
        headers.forEach(request::putHeader);
        java.time.Clock at = java.time.Clock.fixed(clock.now(), ZoneOffset.UTC);
        SdkHttpRequest signed = SIGNER.sign(r -> r.identity(identity)
                .request(request.build())
                .payload(ContentStreamProvider.fromByteArray(post.body()))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, true)
                .putProperty(HttpSigner.SIGNING_CLOCK, at)).request();
        Map<String, String> out = new LinkedHashMap<>();
        signed.forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("host") && !values.isEmpty()) { // the client writes the host it connects to
                out.put(name.toLowerCase(Locale.ROOT), values.get(0));
            }
        });
        return new HttpTransport.Post(post.uri(), out, post.body());
    }

    /**
     * The chain's credentials now (cached by the SDK until they near expiry), each value kept for
     * the mask before anything is signed with it.
     *
     * @throws IllegalArgumentException when a value cannot go in a header (never shown)
     */
    private AwsCredentialsIdentity current() {
        AwsCredentials c = chain.resolveCredentials();
        String token = c instanceof AwsSessionCredentials s ? s.sessionToken() : null;
        issued.add(ApiKey.of(c.accessKeyId()));
        issued.add(ApiKey.of(c.secretAccessKey()));
        if (token != null) {
            issued.add(ApiKey.of(token));
        }
        return identity(c.accessKeyId(), c.secretAccessKey(), token);
    }

    @Override
    public String toString() {
        return bearer != null ? "AwsAuth[bearer ****]"
                : fixed != null ? "AwsAuth[sigv4 static ****]" : "AwsAuth[sigv4 default chain ****]";
    }
}
