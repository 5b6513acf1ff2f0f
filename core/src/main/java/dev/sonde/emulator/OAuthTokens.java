package dev.sonde.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.metrics.Clock;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The emulator's Google OAuth token endpoint ({@code POST /oauth2/token}, form-encoded) and the
 * check of the Vertex route's bearer tokens. Two grants, as google-auth sends them: {@code
 * refresh_token} with the configured client id, secret and refresh token (an {@code
 * authorized_user} ADC file), and {@code urn:ietf:params:oauth:grant-type:jwt-bearer} whose
 * assertion is an RS256 JWT signed by the configured service account (its {@code iss}), verified
 * against its public key; {@code aud} is not checked (google-auth keeps Google's own token URL
 * there even when the ADC file's {@code token_uri} points here). Each grant issues a fresh token
 * living {@link EmulatorCredentials#tokenLifetimeSeconds()} on the emulator's credential clock
 * ({@link EmulatorConfig#credentialClock()}: the clients' wall clock); an unknown
 * or expired token is a 401 in Google's error shape. At most {@value #MAX_TOKENS} live tokens are
 * kept (the expired are swept first, then any others). Thread-safe.
 */
final class OAuthTokens {
    static final String PATH = "/oauth2/token";
    static final int MAX_TOKENS = 10_000;
    static final int MAX_FORM_BYTES = 64 << 10;
    private static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    private final EmulatorCredentials credentials;
    private final PublicKey serviceAccountKey;
    private final Clock clock;
    private final Map<String, Long> expiryNanos = new ConcurrentHashMap<>();
    private final AtomicLong issued = new AtomicLong();

    OAuthTokens(EmulatorCredentials credentials, Clock clock) {
        this.credentials = credentials;
        this.clock = clock;
        this.serviceAccountKey = credentials.serviceAccountPublicKeyPem() == null ? null
                : publicKey(credentials.serviceAccountPublicKeyPem());
    }

    /** Answers a token request's form body: the token JSON, or an {@link ApiError} (OAuth's 400/401). */
    ObjectNode grant(byte[] form) {
        Map<String, String> fields = form(new String(form, StandardCharsets.UTF_8));
        String grantType = fields.getOrDefault("grant_type", "");
        if (grantType.equals("refresh_token")) {
            if (!credentials.vertexClientId().equals(fields.get("client_id"))
                    || !credentials.vertexClientSecret().equals(fields.get("client_secret"))) {
                throw oauth(401, "invalid_client", "The OAuth client was not found.");
            }
            if (!credentials.vertexRefreshToken().equals(fields.get("refresh_token"))) {
                throw oauth(400, "invalid_grant", "Bad Request");
            }
        } else if (grantType.equals(JWT_BEARER)) {
            verifyAssertion(fields.getOrDefault("assertion", ""));
        } else {
            throw oauth(400, "unsupported_grant_type", "Invalid grant_type: " + grantType);
        }
        String token = "ya29.sonde-emulator-" + issued.incrementAndGet() + "-" + Long.toHexString(clock.nanoTime());
        sweep();
        expiryNanos.put(token, clock.nanoTime() + credentials.tokenLifetimeSeconds() * 1_000_000_000L);
        return Json.object().put("access_token", token).put("expires_in", credentials.tokenLifetimeSeconds())
                .put("token_type", "Bearer");
    }

    /** Whether {@code token} was issued here and has not expired, or is the configured static one. */
    boolean accepts(String token) {
        if (token.equals(credentials.vertexAccessToken())) {
            return true;
        }
        Long expiry = expiryNanos.get(token);
        return expiry != null && clock.nanoTime() < expiry;
    }

    private void verifyAssertion(String jwt) {
        String[] parts = jwt.split("\\.", -1);
        if (parts.length != 3 || jwt.length() > 16_384) {
            throw oauth(400, "invalid_grant", "Invalid JWT: not a signed JWT");
        }
        JsonNode claims;
        try {
            JsonNode header = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[0]));
            claims = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
            if (!header.path("alg").asText().equals("RS256")) {
                throw oauth(400, "invalid_grant", "Invalid JWT: alg must be RS256");
            }
        } catch (IOException | IllegalArgumentException e) {
            throw oauth(400, "invalid_grant", "Invalid JWT: unreadable");
        }
        if (serviceAccountKey == null || !claims.path("iss").asText().equals(credentials.serviceAccountEmail())) {
            throw oauth(401, "invalid_client", "Invalid JWT: unknown service account");
        }
        try {
            Signature rsa = Signature.getInstance("SHA256withRSA");
            rsa.initVerify(serviceAccountKey);
            rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!rsa.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                throw oauth(400, "invalid_grant", "Invalid JWT Signature.");
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw oauth(400, "invalid_grant", "Invalid JWT Signature.");
        }
    }

    /** An RSA public key from {@code -----BEGIN PUBLIC KEY-----} PEM; malformed → IllegalArgumentException. */
    static PublicKey publicKey(String pem) {
        String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("service_account_public_key: not an RSA public key in PEM");
        }
    }

    private void sweep() {
        long now = clock.nanoTime();
        expiryNanos.values().removeIf(expiry -> expiry <= now);
        Iterator<String> oldest = expiryNanos.keySet().iterator();
        while (expiryNanos.size() >= MAX_TOKENS && oldest.hasNext()) {
            oldest.next();
            oldest.remove();
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> fields = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                try {
                    fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    throw oauth(400, "invalid_request", "The form body is not URL-encoded");
                }
            }
        }
        return fields;
    }

    /** An OAuth error; the handler writes it as {@code {"error":type,"error_description":message}}. */
    private static ApiError oauth(int status, String error, String description) {
        return new ApiError(status, error, description);
    }
}
