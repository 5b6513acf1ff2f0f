import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The reference client of bench/scale.sh: a raw JDK HttpClient (HTTP/1.1) loop posting N distinct
 * Messages requests at concurrency C from virtual threads, reading each body whole — what a
 * hand-written script does, and nothing else (no parsing, checks, timing or journal).
 *
 * <pre>java bench/RawLoop.java BASE_URL N C</pre>
 *
 * Prints one line: {@code raw N C SECONDS}, the time from the first send to the last body read.
 */
public final class RawLoop {
    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0] + "/v1/messages");
        int n = Integer.parseInt(args[1]);
        int concurrency = Integer.parseInt(args[2]);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> workers = new ArrayList<>();
        long t0 = System.nanoTime();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < concurrency; w++) {
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                        String body = "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":20,\"messages\":[{\"role\":\"user\","
                                + "\"content\":\"Tell me about harbour " + i + "\"}]}";
                        HttpRequest r = HttpRequest.newBuilder(uri).header("x-api-key", "sk-ant-bench")
                                .header("anthropic-version", "2023-06-01").header("content-type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                        HttpResponse<String> response = client.send(r, HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 200) {
                            throw new IllegalStateException("HTTP " + response.statusCode() + ": " + response.body());
                        }
                    }
                    return null;
                }));
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        for (Future<?> w : workers) {
            w.get(); // a failed request fails the loop
        }
        System.out.printf("raw %d %d %.3f%n", n, concurrency, seconds);
    }
}
