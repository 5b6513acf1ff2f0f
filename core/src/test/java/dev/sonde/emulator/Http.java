package dev.sonde.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test helper: plain JDK HTTP calls to an emulator and a minimal SSE reader. */
final class Http {
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final String[] AUTH = {"x-api-key", "sk-test", "anthropic-version", "2023-06-01"};

    record Event(String name, JsonNode data) {}

    private Http() {}

    static Path examples() {
        return Path.of(System.getProperty("sonde.projectDir", "..")).resolve("fixtures/emulator/examples.yaml");
    }

    static HttpResponse<String> post(URI base, String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("content-type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    static HttpResponse<String> get(URI base, String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a complete SSE body; fails on anything but {@code event:} + {@code data:} + blank line. */
    static List<Event> events(String body) {
        List<Event> events = new ArrayList<>();
        String[] frames = body.split("\n\n", -1);
        for (int i = 0; i < frames.length - 1; i++) {
            String[] lines = frames[i].split("\n");
            if (lines.length != 2 || !lines[0].startsWith("event: ") || !lines[1].startsWith("data: ")) {
                throw new IllegalStateException("malformed SSE frame: " + frames[i]);
            }
            try {
                events.add(new Event(lines[0].substring(7), Json.MAPPER.readTree(lines[1].substring(6))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (!frames[frames.length - 1].isEmpty()) {
            throw new IllegalStateException("trailing partial frame: " + frames[frames.length - 1]);
        }
        return events;
    }

    static String body(String model, int maxTokens, String userText, String extra) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":" + maxTokens + extra + ",\"messages\":[{\"role\":\"user\","
                + "\"content\":" + Json.MAPPER.getNodeFactory().textNode(userText) + "}]}";
    }
}
