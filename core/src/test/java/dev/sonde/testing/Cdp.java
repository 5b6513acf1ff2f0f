package dev.sonde.testing;

import dev.sonde.journal.Journal;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real headless Chromium driven over the Chrome DevTools Protocol with the JDK's own HTTP and
 * WebSocket clients (no Selenium, no driver binary): load a page, evaluate JavaScript, click an
 * element with real mouse events, watch for JavaScript dialogs and console/CSP messages, and take
 * a full-page PNG. The browser runs with a throwaway profile and networking features off; every
 * JavaScript dialog is recorded and dismissed so a page can never hang the test. A missing
 * browser fails with an install hint — never a skip. Close it (try-with-resources).
 */
public final class Cdp implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** The Chromium binary: {@code -Dsonde.chromium}, else {@code chromium} on the PATH. */
    public static final String BINARY = System.getProperty("sonde.chromium", "chromium");
    /** How to get the browser, in the failure a missing one gives. */
    public static final String HINT = "headless Chromium is required for the browser tests (reports, sonde view): "
            + "install the Debian package `chromium` (apt-get update && apt-get install -y chromium), "
            + "or point -Dsonde.chromium at a Chromium binary";

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final List<JsonNode> events = new CopyOnWriteArrayList<>();
    /** Messages of every JavaScript dialog that opened (alert, confirm, prompt, beforeunload). */
    public final List<String> dialogs = new CopyOnWriteArrayList<>();
    /** Console and browser log lines (CSP violations land here). */
    public final List<String> log = new CopyOnWriteArrayList<>();

    private Cdp(Process process, WebSocket socket) {
        this.process = process;
        this.socket = socket;
    }

    /** Starts Chromium at {@code width}×{@code height} and attaches to its first page. */
    public static Cdp start(Path profile, int width, int height) throws Exception {
        Files.createDirectories(profile);
        List<String> cmd = new ArrayList<>(List.of(BINARY, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--no-default-browser-check", "--hide-scrollbars", "--remote-debugging-port=0",
                "--window-size=" + width + "," + height, "--user-data-dir=" + profile.toAbsolutePath(), "about:blank"));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(profile.resolveSibling(profile.getFileName() + ".log").toFile()).start();
        } catch (IOException e) {
            return fail(HINT + " (could not start `" + BINARY + "`: " + e.getMessage() + ")");
        }
        try {
            Path portFile = profile.resolve("DevToolsActivePort");
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!Files.isRegularFile(portFile) || Files.readAllLines(portFile).size() < 2) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    p.destroyForcibly();
                    return fail("Chromium did not open its DevTools port; " + HINT);
                }
                Thread.sleep(50);
            }
            int port = Integer.parseInt(Files.readAllLines(portFile).get(0).strip());
            HttpClient http = HttpClient.newHttpClient();
            String pageWs = null;
            while (pageWs == null) {
                String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                        .timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString()).body();
                for (JsonNode target : Journal.JSON.readTree(list)) {
                    if ("page".equals(target.path("type").asText())) {
                        pageWs = target.path("webSocketDebuggerUrl").asText();
                    }
                }
                if (pageWs == null) {
                    Thread.sleep(50);
                }
            }
            Cdp[] self = new Cdp[1];
            Listener listener = new Listener(self);
            WebSocket ws = http.newWebSocketBuilder().connectTimeout(TIMEOUT).buildAsync(URI.create(pageWs), listener)
                    .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            Cdp cdp = new Cdp(p, ws);
            self[0] = cdp;
            cdp.send("Page.enable", null);
            cdp.send("Runtime.enable", null);
            cdp.send("Log.enable", null);
            return cdp;
        } catch (Exception e) {
            p.destroyForcibly();
            throw e;
        }
    }

    /** Navigates to {@code uri} and waits for its load event. */
    public void open(URI uri) throws Exception {
        int seen = events.size();
        ObjectNode params = Journal.JSON.createObjectNode().put("url", uri.toString());
        send("Page.navigate", params);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!eventSince(seen, "Page.loadEventFired")) {
            if (System.nanoTime() > deadline) {
                fail("page did not load: " + uri);
            }
            Thread.sleep(20);
        }
    }

    /**
     * Whether an event named {@code method} arrived at index {@code from} or later. Reads by index:
     * a {@code subList} view of the copy-on-write list throws when the socket thread appends while
     * it is iterated.
     */
    private boolean eventSince(int from, String method) {
        for (int i = from; i < events.size(); i++) {
            if (method.equals(events.get(i).path("method").asText())) {
                return true;
            }
        }
        return false;
    }

    /** The value of a JavaScript expression (JSON-serialisable), failing the test on an exception. */
    public JsonNode eval(String expression) throws Exception {
        ObjectNode params = Journal.JSON.createObjectNode().put("expression", expression).put("returnByValue", true)
                .put("awaitPromise", true);
        JsonNode r = send("Runtime.evaluate", params);
        if (r.has("exceptionDetails")) {
            fail("JavaScript failed: " + expression + "\n" + r.get("exceptionDetails"));
        }
        return r.path("result").path("value");
    }

    /** Clicks the centre of the first element matching {@code selector} with real mouse events. */
    public void click(String selector) throws Exception {
        JsonNode box = eval("(() => { const e = document.querySelector(" + Journal.JSON.writeValueAsString(selector)
                + "); if (!e) return null; e.scrollIntoView({block: 'center'}); const r = e.getBoundingClientRect();"
                + " return {x: r.x + r.width / 2, y: r.y + r.height / 2}; })()");
        if (box.isNull() || box.isMissingNode()) {
            fail("nothing to click: " + selector);
        }
        for (String type : List.of("mouseMoved", "mousePressed", "mouseReleased")) {
            ObjectNode m = Journal.JSON.createObjectNode().put("type", type).put("x", box.get("x").asDouble())
                    .put("y", box.get("y").asDouble()).put("button", type.equals("mouseMoved") ? "none" : "left")
                    .put("clickCount", type.equals("mouseMoved") ? 0 : 1);
            send("Input.dispatchMouseEvent", m);
        }
    }

    /** A PNG of the whole page (not just the viewport) at {@code width} CSS pixels. */
    public void screenshot(Path png, int width) throws Exception {
        JsonNode metrics = send("Page.getLayoutMetrics", null);
        int height = (int) Math.ceil(metrics.path("cssContentSize").path("height").asDouble(1000));
        send("Emulation.setDeviceMetricsOverride", Journal.JSON.createObjectNode().put("width", width)
                .put("height", Math.min(height, 16_000)).put("deviceScaleFactor", 1).put("mobile", false));
        JsonNode shot = send("Page.captureScreenshot", Journal.JSON.createObjectNode().put("format", "png")
                .put("captureBeyondViewport", true));
        Files.write(png, Base64.getDecoder().decode(shot.path("data").asText()));
    }

    /** {@code s} as a JavaScript string literal. */
    public static String json(String s) throws IOException {
        return Journal.JSON.writeValueAsString(s);
    }

    /** A PNG of the element matching {@code selector} (after a full-page {@link #screenshot} sized the page). */
    public void screenshotOf(String selector, Path png) throws Exception {
        JsonNode r = eval("(() => { const e = document.querySelector(" + json(selector) + "); if (!e) return null;"
                + " const b = e.getBoundingClientRect(); return {x: b.x + scrollX, y: b.y + scrollY, w: b.width,"
                + " h: b.height}; })()");
        if (r.isNull() || r.isMissingNode()) {
            fail("nothing to capture: " + selector);
        }
        ObjectNode params = Journal.JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", true);
        params.putObject("clip").put("x", r.get("x").asDouble()).put("y", r.get("y").asDouble())
                .put("width", r.get("w").asDouble()).put("height", r.get("h").asDouble()).put("scale", 1);
        JsonNode shot = send("Page.captureScreenshot", params);
        Files.write(png, Base64.getDecoder().decode(shot.path("data").asText()));
    }

    /** Sends one CDP command and returns its result, failing the test on a CDP error. */
    public JsonNode send(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode msg = Journal.JSON.createObjectNode().put("id", id).put("method", method);
        if (params != null) {
            msg.set("params", params);
        }
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        synchronized (socket) {
            socket.sendText(Journal.JSON.writeValueAsString(msg), true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }
        JsonNode r = reply.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (r.has("error")) {
            fail(method + " failed: " + r.get("error"));
        }
        return r.path("result");
    }

    private void onMessage(String text) throws IOException {
        JsonNode msg = Journal.JSON.readTree(text);
        if (msg.has("id")) {
            CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asInt());
            if (f != null) {
                f.complete(msg);
            }
            return;
        }
        events.add(msg);
        String method = msg.path("method").asText();
        JsonNode params = msg.path("params");
        switch (method) {
            case "Page.javascriptDialogOpening" -> {
                dialogs.add(params.path("type").asText() + ": " + params.path("message").asText());
                ObjectNode accept = Journal.JSON.createObjectNode().put("id", ids.incrementAndGet())
                        .put("method", "Page.handleJavaScriptDialog");
                accept.putObject("params").put("accept", false);
                socket.sendText(Journal.JSON.writeValueAsString(accept), true);
            }
            case "Log.entryAdded" -> log.add(params.path("entry").path("level").asText() + ": "
                    + params.path("entry").path("text").asText());
            case "Runtime.consoleAPICalled" -> log.add("console." + params.path("type").asText() + ": "
                    + params.path("args").toString());
            case "Runtime.exceptionThrown" -> log.add("exception: " + params.path("exceptionDetails").toString());
            default -> { }
        }
    }

    @Override
    public void close() throws Exception {
        try {
            socket.sendText("{\"id\":" + ids.incrementAndGet() + ",\"method\":\"Browser.close\"}", true);
        } catch (RuntimeException ignored) {
            // the browser is killed below anyway
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Reassembles fragmented text frames and hands whole messages to the session. */
    private static final class Listener implements WebSocket.Listener {
        private final Cdp[] session;
        private final StringBuilder buffer = new StringBuilder();

        Listener(Cdp[] session) {
            this.session = session;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            buffer.append(data);
            if (last) {
                String text = buffer.toString();
                buffer.setLength(0);
                try {
                    while (session[0] == null) {
                        Thread.onSpinWait();
                    }
                    session[0].onMessage(text);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            ws.request(1);
            return null;
        }
    }
}
