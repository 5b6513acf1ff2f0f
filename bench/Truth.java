import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;

/**
 * The timing-truth check of bench/truth.sh: how far each client's TTFT, E2E and inter-token
 * gaps are from what the emulator's trace ({@code sonde emulator --trace}) says it did, matched by
 * {@code request-id}. Clients: a raw-socket HTTP/1.1 reader (the floor: one platform thread and one
 * keep-alive socket per worker, a delta stamped when the read that completes its event returns), a
 * plain JDK {@link HttpClient} loop (virtual threads, lines as they arrive), Jetty's {@code
 * HttpClient} (Sonde's client: virtual threads, a per-content listener; timed from the call, its
 * commit event and its success event), and Sonde, from the journal of its benchmark run against the
 * same emulator process. Runs on the bench jar's classpath (Jetty), as truth.sh does.
 *
 * <pre>java bench/Truth.java BASE_URL TRACE SONDE_JOURNAL CONCURRENCIES REQUESTS</pre>
 *
 * {@code CONCURRENCIES} and {@code REQUESTS} are comma lists of the same length (the requests the
 * raw, JDK and Jetty clients send at each concurrency); the journal's steps are taken in the order of
 * {@code CONCURRENCIES}, after its step 0 (a warm-up at concurrency 8 that truth.sh adds). Prints
 * figures; asserts nothing. Errors of one request (ms):
 * <ul>
 * <li>TTFT error = client TTFT − (trace first_delta_ns − headers_ns): needs no common clock;
 * <li>E2E error = client E2E − (trace last_byte_ns − headers_ns);
 * <li>ITL error = each client gap between deltas − the trace's gap between the same deltas;
 * <li>out leg = server headers − client start, back leg = client first delta − server first-delta
 * flush, each on the common clock (wall time via each process's anchor: {@code epoch + (nanoTime −
 * mono)}); out + back = TTFT error. Sonde's journal holds no absolute times, so not for Sonde.
 * </ul>
 */
public final class Truth {
    private static final Pattern NUM = Pattern.compile("\"(\\w+)\":(-?[0-9.Ee+-]+)");
    private static final Pattern STR = Pattern.compile("\"(\\w+)\":\"([^\"]*)\"");
    private static final Pattern ARR = Pattern.compile("\"(\\w+)\":\\[([^\\]]*)\\]");

    /**
     * The clients measured beside Sonde: the raw-socket floor, the JDK client timed from the call, and
     * Jetty's client timed from the call ({@code jetty-call}), from its request-commit event (the
     * headers and a small body written: {@code jetty-commit}) and from its request-success event (the
     * whole request written: {@code jetty-sent}) — one Jetty run, three starts.
     */
    private static final List<String> CLIENTS = List.of("raw", "jdk", "jetty");

    /** What a client saw of one request, on this JVM's {@code System.nanoTime()}. */
    record Seen(String requestId, long startNanos, long firstDeltaNanos, long lastNanos, long[] deltaNanos,
                long commitNanos, long sentNanos) {
        Seen(String requestId, long startNanos, long firstDeltaNanos, long lastNanos, long[] deltaNanos) {
            this(requestId, startNanos, firstDeltaNanos, lastNanos, deltaNanos, 0, 0);
        }

        /** The same, timed from another start. */
        Seen from(long start) {
            return new Seen(requestId, start, firstDeltaNanos, lastNanos, deltaNanos, commitNanos, sentNanos);
        }
    }

    /** A Sonde journal line: its figures in ms, from the step's concurrency. */
    record Journaled(String requestId, int step, double ttftMs, double e2eMs, double[] itlMs) {}

    /** One trace line. */
    record Traced(long headers, long firstDelta, long last, long[] deltas) {}

    public static void main(String[] args) throws Exception {
        String base = args[0];
        Path trace = Path.of(args[1]);
        Path journal = Path.of(args[2]);
        int[] concurrencies = Arrays.stream(args[3].split(",")).mapToInt(Integer::parseInt).toArray();
        int[] requests = Arrays.stream(args[4].split(",")).mapToInt(Integer::parseInt).toArray();
        long anchorMono = 0;
        long anchorEpoch = 0;
        long tightest = Long.MAX_VALUE;
        for (int i = 0; i < 20; i++) { // the tightest pair of reads, as the emulator's anchor
            long before = System.nanoTime();
            Instant wall = Instant.now();
            long after = System.nanoTime();
            if (after - before < tightest) {
                tightest = after - before;
                anchorMono = before + (after - before) / 2;
                anchorEpoch = wall.getEpochSecond() * 1_000_000_000L + wall.getNano();
            }
        }

        for (String client : CLIENTS) {
            run(client, base, 100, 8); // warm-up: JIT, connections (not reported)
        }
        Map<String, List<Seen>> seen = new HashMap<>();
        for (int i = 0; i < concurrencies.length; i++) {
            for (String client : CLIENTS) {
                seen.put(client + " " + concurrencies[i], run(client, base, requests[i], concurrencies[i]));
            }
        }
        Thread.sleep(1_000); // the trace's writer flushes when its queue is empty

        List<String> lines = Files.readAllLines(trace);
        Map<String, Long> anchor = numbers(lines.get(0));
        long serverMono = anchor.get("anchor_mono_ns");
        long serverEpoch = anchor.get("anchor_epoch_ns");
        Map<String, Traced> traced = new HashMap<>();
        for (String line : lines.subList(1, lines.size())) {
            Map<String, String> s = strings(line);
            Map<String, Long> n = numbers(line);
            if (s.containsKey("request_id") && n.containsKey("first_delta_ns")) {
                traced.put(s.get("request_id"), new Traced(n.get("headers_ns"), n.get("first_delta_ns"),
                        n.get("last_byte_ns"), longs(arrays(line).get("delta_ns"))));
            }
        }
        // client monotonic → server monotonic, through both wall-clock anchors
        long toServer = (anchorEpoch - anchorMono) - (serverEpoch - serverMono);

        System.out.printf("%-12s %5s %6s  %-23s %-23s %-23s %-11s %-11s%n", "client", "conc", "n",
                "TTFT err p50/p90/p99", "E2E err p50/p90/p99", "ITL err p50/p90/p99", "out p50", "back p50");
        List<Journaled> sonde = journal(journal);
        for (int i = 0; i < concurrencies.length; i++) {
            for (String client : CLIENTS) {
              for (String variant : client.equals("jetty") ? List.of("jetty-call", "jetty-commit", "jetty-sent") : List.of(client)) {
                List<Double> ttft = new ArrayList<>(), e2e = new ArrayList<>(), itl = new ArrayList<>(),
                        out = new ArrayList<>(), back = new ArrayList<>();
                for (Seen seenAt : seen.get(client + " " + concurrencies[i])) {
                    Seen r = switch (variant) {
                        case "jetty-commit" -> seenAt.from(seenAt.commitNanos());
                        case "jetty-sent" -> seenAt.from(seenAt.sentNanos());
                        default -> seenAt;
                    };
                    Traced t = traced.get(r.requestId());
                    if (t == null) {
                        continue;
                    }
                    ttft.add(ms((r.firstDeltaNanos() - r.startNanos()) - (t.firstDelta() - t.headers())));
                    e2e.add(ms((r.lastNanos() - r.startNanos()) - (t.last() - t.headers())));
                    gaps(r.deltaNanos(), t.deltas(), itl);
                    out.add(ms(t.headers() - (r.startNanos() + toServer)));
                    back.add(ms(r.firstDeltaNanos() + toServer - t.firstDelta()));
                }
                row(variant, concurrencies[i], ttft, e2e, itl, out, back);
              }
            }
            List<Double> ttft = new ArrayList<>(), e2e = new ArrayList<>(), itl = new ArrayList<>();
            for (Journaled j : sonde) {
                Traced t = traced.get(j.requestId());
                if (j.step() != i + 1 || t == null) { // step 0 warmed Sonde up (truth.sh)
                    continue;
                }
                ttft.add(j.ttftMs() - ms(t.firstDelta() - t.headers()));
                e2e.add(j.e2eMs() - ms(t.last() - t.headers()));
                if (j.itlMs().length == t.deltas().length - 1) {
                    for (int k = 0; k < j.itlMs().length; k++) {
                        itl.add(j.itlMs()[k] - ms(t.deltas()[k + 1] - t.deltas()[k]));
                    }
                }
            }
            row("sonde", concurrencies[i], ttft, e2e, itl, List.of(), List.of());
        }
        System.out.printf("(ms; clock offset client→server monotonic via the anchors: %.3f ms; server anchor uncertainty %d ns)%n",
                ms(toServer), anchor.get("anchor_uncertainty_ns"));
    }

    private static void gaps(long[] client, long[] server, List<Double> into) {
        if (client.length != server.length) {
            return;
        }
        for (int k = 1; k < client.length; k++) {
            into.add(ms((client[k] - client[k - 1]) - (server[k] - server[k - 1])));
        }
    }

    private static void row(String client, int concurrency, List<Double> ttft, List<Double> e2e, List<Double> itl,
                            List<Double> out, List<Double> back) {
        System.out.printf("%-12s %5d %6d  %-23s %-23s %-23s %-11s %-11s%n", client, concurrency, ttft.size(),
                triple(ttft), triple(e2e), triple(itl), out.isEmpty() ? "-" : String.format("%.2f", pct(out, 50)),
                back.isEmpty() ? "-" : String.format("%.2f", pct(back, 50)));
    }

    private static String triple(List<Double> v) {
        return v.isEmpty() ? "-" : String.format("%.2f / %.2f / %.2f", pct(v, 50), pct(v, 90), pct(v, 99));
    }

    /** Nearest-rank percentile. */
    private static double pct(List<Double> values, double p) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int rank = (int) Math.ceil(p / 100 * v.length);
        return v[Math.max(0, Math.min(v.length - 1, rank - 1))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static List<Seen> run(String client, String base, int n, int concurrency) throws Exception {
        URI uri = URI.create(base);
        ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
        AtomicInteger next = new AtomicInteger();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        org.eclipse.jetty.client.HttpClient jetty = new org.eclipse.jetty.client.HttpClient();
        if (client.equals("jetty")) {
            jetty.setMaxConnectionsPerDestination(Math.max(64, concurrency));
            jetty.setFollowRedirects(false);
            jetty.start();
        }
        List<Future<?>> workers = new ArrayList<>();
        try (ExecutorService pool = client.equals("raw") ? Executors.newThreadPerTaskExecutor(Thread.ofPlatform().factory())
                : Executors.newVirtualThreadPerTaskExecutor()) {
            for (int w = 0; w < concurrency; w++) {
                workers.add(pool.submit(() -> {
                    if (client.equals("raw")) {
                        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
                            socket.setTcpNoDelay(true);
                            for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                                seen.add(raw(socket, uri, body(i)));
                            }
                        }
                    } else if (client.equals("jetty")) {
                        for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                            seen.add(jetty(jetty, uri, body(i)));
                        }
                    } else {
                        for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                            seen.add(jdk(http, uri, body(i)));
                        }
                    }
                    return null;
                }));
            }
        }
        for (Future<?> w : workers) {
            w.get();
        }
        if (client.equals("jetty")) {
            jetty.stop();
        }
        return new ArrayList<>(seen);
    }

    private static String body(int i) {
        return "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":20,\"stream\":true,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"Tell me about harbour " + i + "\"}]}";
    }

    private static Seen jdk(HttpClient http, URI base, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/messages")).header("x-api-key", "sk-ant-truth")
                .header("anthropic-version", "2023-06-01").header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        long start = System.nanoTime();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + response.statusCode());
        }
        List<Long> deltas = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            boolean delta = false;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("event:")) {
                    delta = line.contains("content_block_delta");
                } else if (line.startsWith("data:") && delta) {
                    deltas.add(System.nanoTime());
                }
            }
        }
        long last = System.nanoTime();
        return seen(response.headers().firstValue("request-id").orElseThrow(), start, deltas, last);
    }

    /**
     * One request on Jetty's client: the call, its commit and success events, and each
     * {@code content_block_delta} stamped in the content listener that completes its event.
     */
    private static Seen jetty(org.eclipse.jetty.client.HttpClient jetty, URI base, String body) throws Exception {
        long[] at = new long[2];
        List<Long> deltas = new ArrayList<>();
        StringBuilder events = new StringBuilder();
        java.util.concurrent.CompletableFuture<Result> done = new java.util.concurrent.CompletableFuture<>();
        String[] requestId = new String[1];
        Request request = jetty.newRequest(base.resolve("/v1/messages")).method("POST")
                .headers(h -> h.put("x-api-key", "sk-ant-truth").put("anthropic-version", "2023-06-01"))
                .body(new BytesRequestContent("application/json", body.getBytes(StandardCharsets.UTF_8)))
                .onRequestCommit(r -> at[0] = System.nanoTime())
                .onRequestSuccess(r -> at[1] = System.nanoTime())
                .onResponseHeaders(r -> requestId[0] = r.getHeaders().get("request-id"))
                .onResponseContent((r, chunk) -> {
                    long now = System.nanoTime();
                    byte[] bytes = new byte[chunk.remaining()];
                    chunk.get(bytes);
                    events.append(new String(bytes, StandardCharsets.ISO_8859_1));
                    for (int end = events.indexOf("\n\n"); end >= 0; end = events.indexOf("\n\n")) {
                        if (events.substring(0, end).startsWith("event: content_block_delta")) {
                            deltas.add(now);
                        }
                        events.delete(0, end + 2);
                    }
                });
        long[] end = new long[1];
        long start = System.nanoTime();
        request.send(r -> {
            end[0] = System.nanoTime();
            done.complete(r);
        });
        Result result = done.get();
        long last = end[0];
        if (result.isFailed() || result.getResponse().getStatus() != 200) {
            throw new IllegalStateException("jetty: " + result);
        }
        long[] d = deltas.stream().mapToLong(Long::longValue).toArray();
        return new Seen(requestId[0], start, d.length > 0 ? d[0] : last, last, d, at[0], at[1]);
    }

    private static Seen seen(String requestId, long start, List<Long> deltas, long last) {
        long[] d = deltas.stream().mapToLong(Long::longValue).toArray();
        return new Seen(requestId, start, d.length > 0 ? d[0] : last, last, d);
    }

    /**
     * One request on a kept-alive socket: writes it, then reads the chunked SSE body, stamping each
     * {@code content_block_delta} event when the read that completes it returns.
     */
    private static Seen raw(Socket socket, URI base, String body) throws IOException {
        byte[] payload = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST /v1/messages HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                + "\r\nx-api-key: sk-ant-truth\r\nanthropic-version: 2023-06-01\r\ncontent-type: application/json\r\n"
                + "content-length: " + payload.length + "\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
        byte[] request = Arrays.copyOf(headBytes, headBytes.length + payload.length);
        System.arraycopy(payload, 0, request, headBytes.length, payload.length);
        Reader in = new Reader(socket.getInputStream());
        OutputStream out = socket.getOutputStream();
        long start = System.nanoTime();
        out.write(request);
        out.flush();
        String status = in.line();
        if (!status.startsWith("HTTP/1.1 200")) {
            throw new IllegalStateException(status);
        }
        String requestId = null;
        for (String h = in.line(); !h.isEmpty(); h = in.line()) {
            if (h.regionMatches(true, 0, "request-id:", 0, 11)) {
                requestId = h.substring(11).trim();
            }
        }
        List<Long> deltas = new ArrayList<>();
        StringBuilder events = new StringBuilder();
        while (true) {
            int size = Integer.parseInt(in.line().split(";")[0].trim(), 16);
            if (size == 0) {
                in.line();
                break;
            }
            events.append(new String(in.bytes(size), StandardCharsets.ISO_8859_1));
            for (int end = events.indexOf("\n\n"); end >= 0; end = events.indexOf("\n\n")) {
                if (events.substring(0, end).startsWith("event: content_block_delta")) {
                    deltas.add(in.lastReadNanos);
                }
                events.delete(0, end + 2);
            }
            in.line(); // the chunk's CRLF: Jetty sends it with the next chunk, so only after the events are stamped
        }
        return seen(requestId, start, deltas, in.lastReadNanos);
    }

    /** A buffered socket reader that remembers when its last read returned. */
    private static final class Reader {
        private final InputStream in;
        private final byte[] buf = new byte[65_536];
        private int pos;
        private int lim;
        long lastReadNanos;

        Reader(InputStream in) {
            this.in = in;
        }

        private void fill() throws IOException {
            pos = 0;
            lim = in.read(buf);
            lastReadNanos = System.nanoTime();
            if (lim < 0) {
                throw new IOException("connection closed");
            }
        }

        String line() throws IOException {
            StringBuilder s = new StringBuilder();
            while (true) {
                if (pos == lim) {
                    fill();
                }
                byte b = buf[pos++];
                if (b == '\n') {
                    int len = s.length();
                    return len > 0 && s.charAt(len - 1) == '\r' ? s.substring(0, len - 1) : s.toString();
                }
                s.append((char) b);
            }
        }

        byte[] bytes(int n) throws IOException {
            byte[] out = new byte[n];
            for (int got = 0; got < n; ) {
                if (pos == lim) {
                    fill();
                }
                int take = Math.min(n - got, lim - pos);
                System.arraycopy(buf, pos, out, got, take);
                pos += take;
                got += take;
            }
            return out;
        }
    }

    private static List<Journaled> journal(Path file) throws IOException {
        List<Journaled> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            Map<String, String> s = strings(line);
            Matcher step = Pattern.compile("\"step\":(\\d+)").matcher(line);
            Matcher ttft = Pattern.compile("\"ttft_ms\":([0-9.]+)").matcher(line);
            Matcher e2e = Pattern.compile("\"e2e_ms\":([0-9.]+)").matcher(line);
            if (!s.containsKey("request_id") || !line.contains("\"measured\":true") || !step.find() || !ttft.find()
                    || !e2e.find()) {
                continue;
            }
            String itl = arrays(line).getOrDefault("itl_ms", "");
            double[] gaps = itl.isBlank() ? new double[0] : Arrays.stream(itl.split(",")).mapToDouble(Double::parseDouble).toArray();
            out.add(new Journaled(s.get("request_id"), Integer.parseInt(step.group(1)), Double.parseDouble(ttft.group(1)),
                    Double.parseDouble(e2e.group(1)), gaps));
        }
        return out;
    }

    private static Map<String, Long> numbers(String line) {
        Map<String, Long> out = new HashMap<>();
        for (Matcher m = NUM.matcher(line); m.find(); ) {
            if (!m.group(2).contains(".")) {
                out.putIfAbsent(m.group(1), Long.parseLong(m.group(2)));
            }
        }
        return out;
    }

    private static Map<String, String> strings(String line) {
        Map<String, String> out = new HashMap<>();
        for (Matcher m = STR.matcher(line); m.find(); ) {
            out.putIfAbsent(m.group(1), m.group(2));
        }
        return out;
    }

    private static Map<String, String> arrays(String line) {
        Map<String, String> out = new HashMap<>();
        for (Matcher m = ARR.matcher(line); m.find(); ) {
            out.putIfAbsent(m.group(1), m.group(2));
        }
        return out;
    }

    private static long[] longs(String csv) {
        return csv == null || csv.isBlank() ? new long[0] : Arrays.stream(csv.split(",")).mapToLong(Long::parseLong).toArray();
    }
}
