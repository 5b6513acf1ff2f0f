package dev.sonde.emulator;

import dev.sonde.metrics.Clock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpFields;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

/**
 * Verifies an AWS SigV4 {@code Authorization} header by re-signing the received request with the
 * AWS library's own signer (docs/platforms-survey.md §3): the same method, path and query, exactly
 * the headers listed in {@code SignedHeaders} as received ({@code host} too), the body, the
 * credential scope's region and service, at the request's {@code x-amz-date}, with the
 * emulator's secret key; equal signatures mean the client holds that key. The date must be
 * within {@value #MAX_SKEW_MINUTES} minutes of the credential clock ({@link EmulatorConfig#credentialClock()}), and a sent {@code
 * x-amz-content-sha256} must be the body's hash. Every failure is an {@link ApiError} in the AWS
 * shape (403, as AWS answers). Stateless.
 */
final class SigV4 {
    static final int MAX_SKEW_MINUTES = 15;
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "AWS4-HMAC-SHA256\\s+Credential=([^/,\\s]+)/(\\d{8})/([^/,\\s]+)/([^/,\\s]+)/aws4_request,\\s*"
                    + "SignedHeaders=([a-z0-9;_.-]+),\\s*Signature=([0-9a-f]{64})");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");

    /** A verified signature's credential scope. */
    record Scope(String accessKeyId, String region, String service) {}

    private SigV4() {}

    static boolean isSigV4(String authorization) {
        return authorization != null && authorization.startsWith("AWS4-HMAC-SHA256");
    }

    /** The scope of a well-formed SigV4 header, unverified (to pick the route before verifying). */
    static String service(String authorization) {
        Matcher m = AUTHORIZATION.matcher(authorization);
        return m.matches() ? m.group(4) : null;
    }

    /**
     * Verifies the request; returns its scope.
     *
     * @param uri the request's URI with the host and port as received
     */
    static Scope verify(String method, URI uri, HttpFields headers, byte[] body, EmulatorCredentials credentials,
                        Clock clock) {
        Matcher m = AUTHORIZATION.matcher(headers.get("authorization"));
        if (!m.matches()) {
            throw forbidden("IncompleteSignatureException", "Authorization header requires 'Credential', "
                    + "'SignedHeaders' and 'Signature' parameters in the AWS4-HMAC-SHA256 form.");
        }
        if (!m.group(1).equals(credentials.awsAccessKeyId())) {
            throw forbidden("UnrecognizedClientException", "The security token included in the request is invalid.");
        }
        String amzDate = headers.get("x-amz-date");
        Instant signedAt;
        try {
            signedAt = LocalDateTime.parse(amzDate == null ? "" : amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw forbidden("IncompleteSignatureException", "x-amz-date: missing or not yyyyMMdd'T'HHmmss'Z'.");
        }
        if (Duration.between(signedAt, clock.now()).abs().compareTo(Duration.ofMinutes(MAX_SKEW_MINUTES)) > 0) {
            throw forbidden("InvalidSignatureException", "Signature expired: " + amzDate + " is now earlier or "
                    + "later than " + MAX_SKEW_MINUTES + " min from the emulator's time.");
        }
        String sentHash = headers.get("x-amz-content-sha256");
        if (sentHash != null && !sentHash.equals("UNSIGNED-PAYLOAD") && !sentHash.equals(sha256(body))) {
            throw forbidden("InvalidSignatureException",
                    "The provided 'x-amz-content-sha256' header does not match what was computed.");
        }
        SdkHttpRequest.Builder received = SdkHttpRequest.builder().uri(uri).method(SdkHttpMethod.fromValue(method));
        for (String name : m.group(5).split(";")) {
            String value = name.equals("host") ? uri.getRawAuthority() : headers.get(name);
            if (value == null) {
                throw forbidden("InvalidSignatureException", "SignedHeaders names '" + name + "', which was not sent.");
            }
            received.putHeader(name, value);
        }
        String token = headers.get("x-amz-security-token");
        AwsCredentialsIdentity identity = token == null
                ? AwsCredentialsIdentity.create(credentials.awsAccessKeyId(), credentials.awsSecretAccessKey())
                : AwsSessionCredentialsIdentity.create(credentials.awsAccessKeyId(), credentials.awsSecretAccessKey(),
                        token);
        SdkHttpRequest resigned = AwsV4HttpSigner.create().sign(r -> r.identity(identity).request(received.build())
                .payload(ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, m.group(4))
                .putProperty(AwsV4HttpSigner.REGION_NAME, m.group(3))
                .putProperty(HttpSigner.SIGNING_CLOCK, java.time.Clock.fixed(signedAt, ZoneOffset.UTC))).request();
        Matcher expected = Pattern.compile("Signature=([0-9a-f]{64})")
                .matcher(resigned.firstMatchingHeader("Authorization").orElse(""));
        if (!expected.find() || !MessageDigest.isEqual(expected.group(1).getBytes(StandardCharsets.US_ASCII),
                m.group(6).getBytes(StandardCharsets.US_ASCII))) {
            throw forbidden("InvalidSignatureException", "The request signature we calculated does not match the "
                    + "signature you provided. Check your AWS Secret Access Key and signing method.");
        }
        return new Scope(m.group(1), m.group(3), m.group(4));
    }

    static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ApiError forbidden(String type, String message) {
        return new ApiError(403, type, message);
    }
}
