package dev.sonde.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.metrics.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.util.Fields;

/**
 * Message Batches (API-SPEC §10) under {@code /v1/messages/batches}: create, retrieve, list
 * (newest first; {@code limit}, {@code after_id}, {@code before_id}; an empty page after the
 * last), cancel, delete (ended batches only) and results (JSONL). A batch is {@code in_progress}
 * for the configured processing time on the clock, then {@code ended}; all its requests are
 * answered at that moment, in order, by the shared pipeline without faults, pacing or rate limits
 * (prompt cache best-effort), and priced at the batch tier ({@code usage.service_tier: batch}).
 * Params are validated then, not at create: an invalid one is an {@code errored} result, as in
 * the API. Cancel moves an unfinished batch to {@code canceling} and it ends at once with every
 * request {@code canceled}. Counts other than {@code processing} stay 0 until the end.
 * {@code results_url} is absolute on this emulator. Batches are visible only to the key that
 * made them; ids derive from the config seed and a counter. Thread-safe.
 */
final class Batches {
    private static final long DAY_SECONDS = 86_400;
    private static final String ID_PATTERN = "[a-zA-Z0-9_-]{1,64}";

    /** A JSON body, or a JSONL body when {@code jsonl} is non-null. */
    record Reply(ObjectNode json, String jsonl) {}

    private record Item(String customId, JsonNode params) {}

    /** One batch; mutable state guarded by itself. */
    private static final class Batch {
        final String id;
        final String apiKey;
        final Instant createdAt;
        final long endNanos;
        final List<Item> items;
        Instant cancelInitiatedAt;
        Instant endedAt;
        List<String> results;
        int succeeded;
        int errored;
        int canceled;

        Batch(String id, String apiKey, Instant createdAt, long endNanos, List<Item> items) {
            this.id = id;
            this.apiKey = apiKey;
            this.createdAt = createdAt;
            this.endNanos = endNanos;
            this.items = items;
        }
    }

    private final MessagesEndpoint messages;
    private final Clock clock;
    private final long processingNanos;
    private final long configSeed;
    private final AtomicLong counter = new AtomicLong();
    private final List<Batch> batches = new ArrayList<>();

    Batches(EmulatorConfig config, MessagesEndpoint messages) {
        this.messages = messages;
        this.clock = config.clock();
        this.processingNanos = config.batchProcessingMillis() * 1_000_000L;
        this.configSeed = config.seed();
    }

    Reply handle(String method, String path, Fields query, JsonNode body, String apiKey, String baseUri) {
        if (path.equals(EmulatorHandler.BATCHES)) {
            return method.equals("POST") ? new Reply(create(body, apiKey, baseUri), null) : new Reply(list(query, apiKey, baseUri), null);
        }
        String rest = path.substring(EmulatorHandler.BATCHES.length() + 1);
        String id = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
        Batch batch = find(id, apiKey);
        if (rest.endsWith("/results")) {
            synchronized (batch) {
                advance(batch);
                if (batch.results == null) {
                    throw ApiError.invalid("Batch " + id + " has not finished processing: results are not available yet");
                }
                return new Reply(null, String.join("\n", batch.results) + "\n");
            }
        }
        if (rest.endsWith("/cancel")) {
            synchronized (batch) {
                advance(batch);
                if (batch.endedAt == null) {
                    batch.cancelInitiatedAt = clock.now();
                    ObjectNode canceling = render(batch, baseUri).put("processing_status", "canceling");
                    end(batch, true);
                    return new Reply(canceling, null);
                }
                return new Reply(render(batch, baseUri), null);
            }
        }
        if (method.equals("DELETE")) {
            synchronized (batch) {
                advance(batch);
                if (batch.endedAt == null) {
                    throw ApiError.invalid("Batch " + id + " cannot be deleted while it is processing; cancel it first");
                }
            }
            synchronized (batches) {
                batches.remove(batch);
            }
            return new Reply(Json.object().put("id", id).put("type", "message_batch_deleted"), null);
        }
        synchronized (batch) {
            advance(batch);
            return new Reply(render(batch, baseUri), null);
        }
    }

    private ObjectNode create(JsonNode body, String apiKey, String baseUri) {
        JsonNode requests = body.get("requests");
        if (requests == null || requests.isNull()) {
            throw ApiError.invalid("requests: Field required");
        }
        if (!requests.isArray() || requests.isEmpty()) {
            throw ApiError.invalid("requests: List should have at least 1 item");
        }
        List<Item> items = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < requests.size(); i++) {
            JsonNode r = requests.get(i);
            String customId = r.path("custom_id").asText("");
            if (!customId.matches(ID_PATTERN)) {
                throw ApiError.invalid("requests." + i + ".custom_id: String should match pattern '^" + ID_PATTERN + "$'");
            }
            if (!ids.add(customId)) {
                throw ApiError.invalid("requests: custom_id values must be unique within a batch; '" + customId
                        + "' is repeated");
            }
            if (!r.path("params").isObject()) {
                throw ApiError.invalid("requests." + i + ".params: Field required");
            }
            items.add(new Item(customId, r.get("params")));
        }
        long n = counter.incrementAndGet();
        Batch batch = new Batch(Seeds.id("msgbatch", Seeds.mix(configSeed, n)), apiKey, clock.now(),
                clock.nanoTime() + processingNanos, List.copyOf(items));
        synchronized (batches) {
            batches.add(batch);
        }
        synchronized (batch) {
            advance(batch);
            return render(batch, baseUri);
        }
    }

    private ObjectNode list(Fields query, String apiKey, String baseUri) {
        int limit = Models.limit(query.getValue("limit"));
        List<Batch> mine = new ArrayList<>();
        synchronized (batches) {
            for (int i = batches.size() - 1; i >= 0; i--) {
                if (batches.get(i).apiKey.equals(apiKey)) {
                    mine.add(batches.get(i));
                }
            }
        }
        int from = 0;
        int to = mine.size();
        String after = query.getValue("after_id");
        String before = query.getValue("before_id");
        if (after != null) {
            from = indexOf(mine, after) + 1;
            if (from == 0) {
                from = mine.size();
            }
        } else if (before != null) {
            to = Math.max(0, indexOf(mine, before));
            from = Math.max(0, to - limit);
        }
        List<Batch> slice = mine.subList(from, Math.min(to, from + limit));
        ObjectNode page = Json.object();
        var data = page.putArray("data");
        for (Batch b : slice) {
            synchronized (b) {
                advance(b);
                data.add(render(b, baseUri));
            }
        }
        page.put("has_more", from + slice.size() < to || (before != null && from > 0));
        page.put("first_id", slice.isEmpty() ? null : slice.getFirst().id);
        page.put("last_id", slice.isEmpty() ? null : slice.getLast().id);
        return page;
    }

    private static int indexOf(List<Batch> list, String id) {
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i).id.equals(id)) {
                return i;
            }
        }
        return -1;
    }

    private Batch find(String id, String apiKey) {
        synchronized (batches) {
            for (Batch b : batches) {
                if (b.id.equals(id) && b.apiKey.equals(apiKey)) {
                    return b;
                }
            }
        }
        throw new ApiError(404, "not_found_error", "Message batch not found: " + id);
    }

    /** Ends the batch if its processing time has passed. Caller holds the batch's lock. */
    private void advance(Batch batch) {
        if (batch.endedAt == null && clock.nanoTime() >= batch.endNanos) {
            end(batch, false);
        }
    }

    /** Answers (or cancels) every request. Caller holds the batch's lock. */
    private void end(Batch batch, boolean cancel) {
        List<String> lines = new ArrayList<>();
        for (Item item : batch.items) {
            ObjectNode line = Json.object().put("custom_id", item.customId());
            ObjectNode result = line.putObject("result");
            if (cancel) {
                result.put("type", "canceled");
                batch.canceled++;
            } else {
                try {
                    MessagesRequest parsed = RequestValidator.parse(item.params(), false);
                    if (parsed.stream()) {
                        throw ApiError.invalid("stream: streaming is not supported in batches");
                    }
                    result.put("type", "succeeded").set("message", Wire.message(messages.forBatch(batch.apiKey, parsed), "batch"));
                    batch.succeeded++;
                } catch (ApiError e) {
                    ObjectNode error = result.put("type", "errored").putObject("error").put("type", "error");
                    error.putObject("error").put("type", e.type).put("message", e.getMessage());
                    error.putNull("request_id");
                    batch.errored++;
                }
            }
            lines.add(line.toString());
        }
        batch.results = List.copyOf(lines);
        batch.endedAt = cancel ? batch.cancelInitiatedAt : batch.createdAt.plusNanos(processingNanos);
    }

    private static ObjectNode render(Batch b, String baseUri) {
        boolean ended = b.endedAt != null;
        ObjectNode out = Json.object().put("id", b.id).put("type", "message_batch")
                .put("processing_status", ended ? "ended" : b.cancelInitiatedAt != null ? "canceling" : "in_progress");
        out.putObject("request_counts").put("processing", ended ? 0 : b.items.size()).put("succeeded", b.succeeded)
                .put("errored", b.errored).put("canceled", b.canceled).put("expired", 0);
        out.put("ended_at", ended ? b.endedAt.toString() : null);
        out.put("created_at", b.createdAt.toString());
        out.put("expires_at", b.createdAt.plusSeconds(DAY_SECONDS).toString());
        out.putNull("archived_at");
        out.put("cancel_initiated_at", b.cancelInitiatedAt == null ? null : b.cancelInitiatedAt.toString());
        out.put("results_url", ended ? baseUri + EmulatorHandler.BATCHES + "/" + b.id + "/results" : null);
        return out;
    }
}
