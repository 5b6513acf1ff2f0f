package dev.sonde.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.metrics.Clock;
import dev.sonde.suite.PlatformFields;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the AWS providers share: which request headers a suite may set, and sending a request
 * with its authentication. A suite never sets {@code authorization}, {@code x-api-key},
 * {@code host}, any {@code content-*} or {@code x-amz-*} header, nor {@code anthropic-workspace-id}
 * (the client's own); every header it may set is signed with the rest.
 */
final class AwsRequests {

    private AwsRequests() {}

    /** Whether the client sets {@code name} itself ({@link PlatformFields#awsClientHeader}, which the suite refuses at load). */
    static boolean reserved(String name) {
        return PlatformFields.awsClientHeader(name);
    }

    /** The request's own headers a suite may set, in order, names as written. */
    static Map<String, String> suiteHeaders(MessageRequest request) {
        Map<String, String> out = new LinkedHashMap<>();
        request.headers().forEach((name, value) -> {
            if (!reserved(name)) {
                out.put(name, value);
            }
        });
        return out;
    }

    /** Whether {@code headers} has {@code name}, in any case. */
    static boolean has(Map<String, String> headers, String name) {
        return headers.keySet().stream().anyMatch(k -> k.equalsIgnoreCase(name));
    }

    /** @throws IllegalArgumentException naming the field when {@code region} is not an AWS region */
    static String region(String region) {
        if (region == null || !PlatformFields.AWS_REGION.matcher(region).matches()) {
            throw new IllegalArgumentException("region '" + region + "' is not an AWS region (e.g. us-east-1)");
        }
        return region;
    }

    static byte[] json(ObjectMapper json, JsonNode body) {
        try {
            return json.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("request body is not serialisable: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Authenticates {@code post} and sends it. Credentials the default chain can no longer
     * refresh (an expired SSO session) fail the exchange as {@code auth} in one line, with no value
     * and without the SDK's account.
     */
    static Exchange send(HttpTransport transport, AwsAuth auth, HttpTransport.Post post, String service, String region,
            Clock clock, MessageRequest request, WireProtocol protocol) throws InterruptedException {
        HttpTransport.Post signed;
        try {
            signed = auth.authorize(post, service, region, clock);
        } catch (RuntimeException e) {
            return HttpTransport.failed(request, ErrorClass.AUTH, "the AWS credentials could not be resolved to sign "
                    + "the request (an expired session or profile?): not sent");
        }
        return transport.exchange(signed, request, protocol);
    }
}
