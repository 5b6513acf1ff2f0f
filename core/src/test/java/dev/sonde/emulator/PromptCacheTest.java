package dev.sonde.emulator;

import static dev.sonde.emulator.Http.events;
import static dev.sonde.emulator.Http.json;
import static dev.sonde.emulator.Http.post;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.metrics.Clock;
import dev.sonde.metrics.ManualClock;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Prompt caching over HTTP: the acceptance cases of issue 3 and the §7 algorithm's edges. */
class PromptCacheTest {
    static final String[] KEY_A = {"x-api-key", "sk-a", "anthropic-version", "2023-06-01"};
    static final String[] KEY_B = {"x-api-key", "sk-b", "anthropic-version", "2023-06-01"};
    /** 1,500 emulator tokens: one per word. */
    static final String SYSTEM_1500 = String.join(" ", Collections.nCopies(1500, "cache"));

    static Emulator start(Clock clock, LatencyProfile latency) throws Exception {
        return Emulator.start(EmulatorConfig.builder().clock(clock).latency(List.of(latency)).build());
    }

    static String cachedSystem(String model, String question, String ttl, boolean stream) {
        String control = ttl == null ? "{\"type\":\"ephemeral\"}" : "{\"type\":\"ephemeral\",\"ttl\":\"" + ttl + "\"}";
        return "{\"model\":\"" + model + "\",\"max_tokens\":50" + (stream ? ",\"stream\":true" : "")
                + ",\"system\":[{\"type\":\"text\",\"text\":\"" + SYSTEM_1500 + "\",\"cache_control\":" + control + "}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"" + question + "\"}]}";
    }

    static JsonNode node(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static JsonNode usage(URI base, String body, String... auth) {
        HttpResponse<String> response = post(base, "/v1/messages", body, auth);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json(response).path("usage");
    }

    static void assertUsage(JsonNode usage, int write5m, int write1h, int read) {
        assertThat(usage.path("cache_creation").path("ephemeral_5m_input_tokens").asInt()).isEqualTo(write5m);
        assertThat(usage.path("cache_creation").path("ephemeral_1h_input_tokens").asInt()).isEqualTo(write1h);
        assertThat(usage.path("cache_creation_input_tokens").asInt()).isEqualTo(write5m + write1h);
        assertThat(usage.path("cache_read_input_tokens").asInt()).isEqualTo(read);
    }

    @Test
    void system_block_is_written_once_then_read_with_the_same_count() throws Exception {
        assertThat(Tokens.count(SYSTEM_1500)).isEqualTo(1500);
        try (Emulator emu = start(new ManualClock(), LatencyProfile.instant("*"))) {
            String body = cachedSystem("claude-sonnet-4-6", "First question?", null, false);
            JsonNode first = usage(emu.baseUri(), body, KEY_A);
            assertUsage(first, 1500, 0, 0);
            JsonNode second = usage(emu.baseUri(), body, KEY_A);
            assertUsage(second, 0, 0, 1500);
            assertThat(second.path("input_tokens").asInt()).isEqualTo(first.path("input_tokens").asInt()).isPositive();
            int total = InputTokens.count(node(body));
            assertThat(first.path("input_tokens").asInt() + 1500).isEqualTo(total);
        }
    }

    @Test
    void twenty_parallel_cold_requests_all_write_then_the_next_reads() throws Exception {
        GatedClock clock = new GatedClock();
        try (Emulator emu = start(clock, new LatencyProfile("*", 1000, 0, 0, 0))) {
            String body = cachedSystem("claude-sonnet-4-6", "Storm?", null, false);
            List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                inFlight.add(Http.CLIENT.sendAsync(HttpRequest.newBuilder(emu.baseUri().resolve("/v1/messages"))
                        .header(KEY_A[0], KEY_A[1]).header(KEY_A[2], KEY_A[3])
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            clock.awaitSleepers(20);
            clock.open();
            for (CompletableFuture<HttpResponse<String>> f : inFlight) {
                assertUsage(json(f.get()).path("usage"), 1500, 0, 0);
            }
            assertUsage(usage(emu.baseUri(), body, KEY_A), 0, 0, 1500);
        }
    }

    @Test
    void entry_expires_after_five_minutes_and_each_hit_refreshes_it() throws Exception {
        ManualClock clock = new ManualClock();
        try (Emulator emu = start(clock, LatencyProfile.instant("*"))) {
            String body = cachedSystem("claude-sonnet-4-6", "Ttl?", null, false);
            assertUsage(usage(emu.baseUri(), body, KEY_A), 1500, 0, 0);
            clock.advanceMillis(4 * 60_000);
            assertUsage(usage(emu.baseUri(), body, KEY_A), 0, 0, 1500);
            clock.advanceMillis(4 * 60_000);
            assertUsage(usage(emu.baseUri(), body, KEY_A), 0, 0, 1500);
            clock.advanceMillis(5 * 60_000 + 1_000);
            assertUsage(usage(emu.baseUri(), body, KEY_A), 1500, 0, 0);
        }
    }

    @Test
    void one_hour_entries_outlive_five_minutes_and_bill_as_1h_writes() throws Exception {
        ManualClock clock = new ManualClock();
        try (Emulator emu = start(clock, LatencyProfile.instant("*"))) {
            String body = cachedSystem("claude-sonnet-4-6", "Hour?", "1h", false);
            assertUsage(usage(emu.baseUri(), body, KEY_A), 0, 1500, 0);
            clock.advanceMillis(59 * 60_000);
            assertUsage(usage(emu.baseUri(), body, KEY_A), 0, 0, 1500);
        }
    }

    @Test
    void below_the_model_minimum_nothing_is_cached_and_nothing_fails() throws Exception {
        try (Emulator emu = start(new ManualClock(), LatencyProfile.instant("*"))) {
            String body = cachedSystem("claude-opus-4-7", "Too short?", null, false);
            JsonNode first = usage(emu.baseUri(), body, KEY_A);
            assertUsage(first, 0, 0, 0);
            assertThat(first.path("input_tokens").asInt()).isEqualTo(InputTokens.count(node(body)));
            assertUsage(usage(emu.baseUri(), body, KEY_A), 0, 0, 0);
        }
    }

    @Test
    void caches_are_per_api_key() throws Exception {
        try (Emulator emu = start(new ManualClock(), LatencyProfile.instant("*"))) {
            String body = cachedSystem("claude-sonnet-4-6", "Whose?", null, false);
            assertUsage(usage(emu.baseUri(), body, KEY_A), 1500, 0, 0);
            assertUsage(usage(emu.baseUri(), body, KEY_B), 1500, 0, 0);
            assertUsage(usage(emu.baseUri(), body, KEY_A), 0, 0, 1500);
        }
    }

    @Test
    void lookback_finds_an_earlier_prefix_and_mixed_ttls_split_the_write() throws Exception {
        try (Emulator emu = start(new ManualClock(), LatencyProfile.instant("*"))) {
            String turn1 = cachedSystem("claude-sonnet-4-6", "Turn one", "1h", false);
            assertUsage(usage(emu.baseUri(), turn1, KEY_A), 0, 1500, 0);
            String more = String.join(" ", Collections.nCopies(300, "more"));
            String turn2 = turn1.replace("\"content\":\"Turn one\"}]", "\"content\":\"Turn one\"},"
                    + "{\"role\":\"assistant\",\"content\":\"Answer one\"},{\"role\":\"user\",\"content\":[{\"type\":\"text\","
                    + "\"text\":\"" + more + "\",\"cache_control\":{\"type\":\"ephemeral\"}}]}]");
            JsonNode usage = usage(emu.baseUri(), turn2, KEY_A);
            int turnOne = 3 + Tokens.count("Turn one");
            int answerOne = 3 + Tokens.count("Answer one");
            assertUsage(usage, turnOne + answerOne + 3 + 300, 0, 1500);
            assertThat(usage.path("input_tokens").asInt()).isEqualTo(InputTokens.REQUEST_OVERHEAD);
        }
    }

    @Test
    void a_hit_shortens_time_to_first_token_by_the_cached_prefill() throws Exception {
        ManualClock clock = new ManualClock();
        try (Emulator emu = start(clock, new LatencyProfile("*", 100, 1000, 0, 0))) {
            String body = cachedSystem("claude-sonnet-4-6", "Fast?", null, true);
            long t0 = clock.nanoTime();
            List<Http.Event> cold = events(post(emu.baseUri(), "/v1/messages", body, KEY_A).body());
            long coldNanos = clock.nanoTime() - t0;
            long t1 = clock.nanoTime();
            List<Http.Event> warm = events(post(emu.baseUri(), "/v1/messages", body, KEY_A).body());
            long warmNanos = clock.nanoTime() - t1;
            assertThat(cold.getFirst().data().path("message").path("usage").path("cache_creation_input_tokens").asInt())
                    .isEqualTo(1500);
            assertThat(warm.getFirst().data().path("message").path("usage").path("cache_read_input_tokens").asInt())
                    .isEqualTo(1500);
            JsonNode finalUsage = warm.get(warm.size() - 2).data().path("usage");
            assertThat(finalUsage.path("cache_read_input_tokens").asInt()).isEqualTo(1500);
            assertThat(coldNanos - warmNanos).isEqualTo(1500 * 1_000_000L);
        }
    }

    @Test
    void more_than_four_breakpoints_or_1h_after_5m_is_a_400() throws Exception {
        try (Emulator emu = start(new ManualClock(), LatencyProfile.instant("*"))) {
            StringBuilder blocks = new StringBuilder();
            for (int i = 0; i < 5; i++) {
                blocks.append(i == 0 ? "" : ",").append("{\"type\":\"text\",\"text\":\"part ").append(i)
                        .append("\",\"cache_control\":{\"type\":\"ephemeral\"}}");
            }
            String five = "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":["
                    + blocks + "]}]}";
            HttpResponse<String> tooMany = post(emu.baseUri(), "/v1/messages", five, KEY_A);
            assertThat(tooMany.statusCode()).isEqualTo(400);
            assertThat(json(tooMany).path("error").path("message").asText())
                    .isEqualTo("A maximum of 4 blocks with cache_control may be provided. Found 5.");
            assertThat(post(emu.baseUri(), "/v1/messages/count_tokens", five, KEY_A).statusCode()).isEqualTo(400);
            String order = "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":5,\"system\":[{\"type\":\"text\",\"text\":\"s\","
                    + "\"cache_control\":{\"type\":\"ephemeral\"}}],\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":"
                    + "\"text\",\"text\":\"u\",\"cache_control\":{\"type\":\"ephemeral\",\"ttl\":\"1h\"}}]}]}";
            HttpResponse<String> misordered = post(emu.baseUri(), "/v1/messages", order, KEY_A);
            assertThat(misordered.statusCode()).isEqualTo(400);
            assertThat(json(misordered).path("error").path("message").asText())
                    .startsWith("messages.0.content.0.cache_control.ttl: a ttl='1h' cache_control block must not come after");
        }
    }

    @Test
    void top_level_cache_control_caches_the_last_block() throws Exception {
        try (Emulator emu = start(new ManualClock(), LatencyProfile.instant("*"))) {
            String body = "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":20,\"cache_control\":{\"type\":\"ephemeral\"},"
                    + "\"system\":\"" + SYSTEM_1500 + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Auto?\"}]}";
            int prefix = 1500 + 3 + Tokens.count("Auto?");
            assertUsage(usage(emu.baseUri(), body, KEY_A), prefix, 0, 0);
            JsonNode hit = usage(emu.baseUri(), body, KEY_A);
            assertUsage(hit, 0, 0, prefix);
            assertThat(hit.path("input_tokens").asInt()).isEqualTo(InputTokens.REQUEST_OVERHEAD);
        }
    }
}
