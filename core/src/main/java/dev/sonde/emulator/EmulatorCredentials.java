package dev.sonde.emulator;

import java.util.Objects;

/**
 * The test credentials the emulator's cloud-platform routes accept (issue 22): an AWS access key
 * pair for SigV4 (Bedrock, Bedrock Mantle, Claude Platform on AWS), a Bedrock API key, a Foundry
 * key, and a Google OAuth client whose refresh token {@code POST /oauth2/token} exchanges for
 * Vertex access tokens (an {@code authorized_user} ADC file). The constants are public so Sonde's
 * own runs on the embedded emulator and tests sign with them; an emulator config overrides any of
 * them under {@code credentials:}. None of them is a secret: they open only a loopback emulator.
 * A service account for the JWT-bearer grant ({@link #serviceAccountEmail()} with its RSA public
 * key in PEM) is unset unless configured. Immutable.
 */
public final class EmulatorCredentials {
    public static final String AWS_ACCESS_KEY_ID = "AKIASONDEEMULATOR000";
    public static final String AWS_SECRET_ACCESS_KEY = "sonde-emulator-test-secret";
    public static final String BEDROCK_API_KEY = "ABSKc29uZGUtZW11bGF0b3I=";
    public static final String FOUNDRY_API_KEY = "sonde-emulator-foundry-key";
    public static final String VERTEX_CLIENT_ID = "sonde-emulator";
    public static final String VERTEX_CLIENT_SECRET = "sonde-emulator-secret";
    public static final String VERTEX_REFRESH_TOKEN = "sonde-emulator-refresh";
    /** How long an access token from {@code /oauth2/token} lives unless configured. */
    public static final long DEFAULT_TOKEN_LIFETIME_SECONDS = 3_600;

    /** The constants above, no service account. */
    public static final EmulatorCredentials DEFAULTS = builder().build();

    private final String awsAccessKeyId;
    private final String awsSecretAccessKey;
    private final String bedrockApiKey;
    private final String foundryApiKey;
    private final String vertexClientId;
    private final String vertexClientSecret;
    private final String vertexRefreshToken;
    private final String vertexAccessToken;
    private final String serviceAccountEmail;
    private final String serviceAccountPublicKeyPem;
    private final long tokenLifetimeSeconds;

    private EmulatorCredentials(Builder b) {
        awsAccessKeyId = b.awsAccessKeyId;
        awsSecretAccessKey = b.awsSecretAccessKey;
        bedrockApiKey = b.bedrockApiKey;
        foundryApiKey = b.foundryApiKey;
        vertexClientId = b.vertexClientId;
        vertexClientSecret = b.vertexClientSecret;
        vertexRefreshToken = b.vertexRefreshToken;
        vertexAccessToken = b.vertexAccessToken;
        serviceAccountEmail = b.serviceAccountEmail;
        serviceAccountPublicKeyPem = b.serviceAccountPublicKeyPem;
        tokenLifetimeSeconds = b.tokenLifetimeSeconds;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.awsAccessKeyId = awsAccessKeyId;
        b.awsSecretAccessKey = awsSecretAccessKey;
        b.bedrockApiKey = bedrockApiKey;
        b.foundryApiKey = foundryApiKey;
        b.vertexClientId = vertexClientId;
        b.vertexClientSecret = vertexClientSecret;
        b.vertexRefreshToken = vertexRefreshToken;
        b.vertexAccessToken = vertexAccessToken;
        b.serviceAccountEmail = serviceAccountEmail;
        b.serviceAccountPublicKeyPem = serviceAccountPublicKeyPem;
        b.tokenLifetimeSeconds = tokenLifetimeSeconds;
        return b;
    }

    public String awsAccessKeyId() {
        return awsAccessKeyId;
    }

    public String awsSecretAccessKey() {
        return awsSecretAccessKey;
    }

    public String bedrockApiKey() {
        return bedrockApiKey;
    }

    public String foundryApiKey() {
        return foundryApiKey;
    }

    public String vertexClientId() {
        return vertexClientId;
    }

    public String vertexClientSecret() {
        return vertexClientSecret;
    }

    public String vertexRefreshToken() {
        return vertexRefreshToken;
    }

    /** A static Vertex bearer token accepted besides the issued ones, or null for none. */
    public String vertexAccessToken() {
        return vertexAccessToken;
    }

    /** The {@code client_email} whose JWT-bearer grants are accepted, or null for none. */
    public String serviceAccountEmail() {
        return serviceAccountEmail;
    }

    /** That service account's RSA public key ({@code -----BEGIN PUBLIC KEY-----} PEM), or null. */
    public String serviceAccountPublicKeyPem() {
        return serviceAccountPublicKeyPem;
    }

    /** The {@code expires_in} of every token {@code /oauth2/token} issues. */
    public long tokenLifetimeSeconds() {
        return tokenLifetimeSeconds;
    }

    /** Not thread-safe; {@link #build()} gives an immutable value. */
    public static final class Builder {
        private String awsAccessKeyId = AWS_ACCESS_KEY_ID;
        private String awsSecretAccessKey = AWS_SECRET_ACCESS_KEY;
        private String bedrockApiKey = BEDROCK_API_KEY;
        private String foundryApiKey = FOUNDRY_API_KEY;
        private String vertexClientId = VERTEX_CLIENT_ID;
        private String vertexClientSecret = VERTEX_CLIENT_SECRET;
        private String vertexRefreshToken = VERTEX_REFRESH_TOKEN;
        private String vertexAccessToken;
        private String serviceAccountEmail;
        private String serviceAccountPublicKeyPem;
        private long tokenLifetimeSeconds = DEFAULT_TOKEN_LIFETIME_SECONDS;

        private Builder() {}

        public Builder awsAccessKeyId(String value) {
            awsAccessKeyId = text("aws_access_key_id", value);
            return this;
        }

        public Builder awsSecretAccessKey(String value) {
            awsSecretAccessKey = text("aws_secret_access_key", value);
            return this;
        }

        public Builder bedrockApiKey(String value) {
            bedrockApiKey = text("bedrock_api_key", value);
            return this;
        }

        public Builder foundryApiKey(String value) {
            foundryApiKey = text("foundry_api_key", value);
            return this;
        }

        public Builder vertexClientId(String value) {
            vertexClientId = text("vertex_client_id", value);
            return this;
        }

        public Builder vertexClientSecret(String value) {
            vertexClientSecret = text("vertex_client_secret", value);
            return this;
        }

        public Builder vertexRefreshToken(String value) {
            vertexRefreshToken = text("vertex_refresh_token", value);
            return this;
        }

        public Builder vertexAccessToken(String value) {
            vertexAccessToken = value == null ? null : text("vertex_access_token", value);
            return this;
        }

        /** Accepts JWT-bearer grants signed (RS256) by the key whose public half is {@code publicKeyPem}. */
        public Builder serviceAccount(String email, String publicKeyPem) {
            serviceAccountEmail = text("service_account_email", email);
            serviceAccountPublicKeyPem = text("service_account_public_key", publicKeyPem);
            OAuthTokens.publicKey(publicKeyPem); // refuses a malformed key now, not at the first grant
            return this;
        }

        public Builder tokenLifetimeSeconds(long seconds) {
            if (seconds < 1 || seconds > 86_400) {
                throw new IllegalArgumentException("token_lifetime_s: must be 1 to 86400, was " + seconds);
            }
            tokenLifetimeSeconds = seconds;
            return this;
        }

        public EmulatorCredentials build() {
            return new EmulatorCredentials(this);
        }

        private static String text(String field, String value) {
            Objects.requireNonNull(value, field);
            if (value.isBlank() || value.length() > 4_096) {
                throw new IllegalArgumentException(field + ": must be 1 to 4096 characters, not blank");
            }
            return value;
        }
    }
}
