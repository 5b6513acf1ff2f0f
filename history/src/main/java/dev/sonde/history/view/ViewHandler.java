package dev.sonde.history.view;

import dev.sonde.history.HistoryException;
import dev.sonde.history.HistoryStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every request of {@code sonde view}, checked before it is served: the {@code Host} header must be
 * {@code 127.0.0.1:<port>}, {@code localhost:<port>} or {@code [::1]:<port>} (else 421: a page of
 * another site that rebinds its DNS name to 127.0.0.1 cannot read the viewer), and the method GET or
 * HEAD (else 405 with {@code Allow}). Pages go out with a Content-Security-Policy that allows no
 * script, inline styles and {@code data:} images only, forms to this origin only and no framing,
 * with {@code nosniff}, no referrer and {@code no-store}. Suites and runs are named in the query
 * ({@code /suite?name=}, {@code /runs/report?id=}), so any name routes as itself. A run's report
 * ({@code /runs/report?id=}) is the only file of a run folder served, with the report's own policy
 * sent as a header ({@link RunFiles#policy}). A bad query parameter is 400, an unknown run or suite
 * 404, a store another program is writing past the read wait 503 with {@code Retry-After}, a store
 * that cannot be read 500, each a short page. Thread-safe.
 */
final class ViewHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(ViewHandler.class);

    /** The pages' policy: no script at all; filters and pickers are plain GET forms. */
    static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none';"
            + " form-action 'self'; frame-ancestors 'none'";

    private final Site site;
    private final IntSupplier port;

    /** A response, whole, with its Content-Security-Policy. */
    record Reply(int status, String contentType, byte[] body, String csp, Map<String, String> headers) {
        static Reply page(int status, byte[] html) {
            return new Reply(status, "text/html;charset=utf-8", html, CSP, Map.of());
        }
    }

    ViewHandler(Site site, IntSupplier port) {
        this.site = site;
        this.port = port;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Reply reply;
        try {
            reply = reply(request);
        } catch (RuntimeException e) {
            LOG.warn("sonde view: {} {} failed: {}", request.getMethod(), Request.getPathInContext(request), e.toString());
            reply = error(500, "this page failed: " + e);
        }
        send(reply, request, response, callback);
        return true;
    }

    /** Writes {@code reply} with the viewer's headers: its policy, nosniff, no referrer, no-store. */
    static void send(Reply reply, Request request, Response response, Callback callback) {
        response.setStatus(reply.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("Referrer-Policy", "no-referrer");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put("Content-Security-Policy", reply.csp());
        reply.headers().forEach((k, v) -> response.getHeaders().put(k, v));
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, reply.body().length);
        boolean head = request.getMethod().equals("HEAD");
        response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(reply.body()), callback);
    }

    private Reply reply(Request request) {
        if (!hostAllowed(request.getHeaders().get(HttpHeader.HOST))) {
            return error(421, "this viewer answers only to 127.0.0.1:" + port.getAsInt() + ", localhost:"
                    + port.getAsInt() + " or [::1]:" + port.getAsInt());
        }
        String method = request.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            Reply e = error(405, "this viewer only reads: GET and HEAD, not " + method);
            return new Reply(405, e.contentType(), e.body(), e.csp(), Map.of("Allow", "GET, HEAD"));
        }
        String path = Request.getPathInContext(request); // canonical, still percent-encoded
        try {
            Fields query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
            if (path.equals("/")) {
                return Reply.page(200, Pages.render("runs", RunsPage.model(site, new Params(query, RunsPage.PARAMS))));
            }
            if (path.equals("/suite")) {
                Params params = new Params(query, TrendPage.PARAMS);
                String suite = params.text("name");
                if (suite == null) {
                    throw PageException.badRequest("give a suite: /suite?name=SUITE");
                }
                return Reply.page(200, Pages.render("suite", TrendPage.model(site, suite, params)));
            }
            if (path.equals("/diff")) {
                return Reply.page(200, Pages.render("diff", DiffPage.model(site, new Params(query, DiffPage.PARAMS))));
            }
            if (path.equals("/runs/report")) {
                return report(new Params(query, Set.of("id")).text("id"));
            }
            return error(404, "no page " + path + " here");
        } catch (PageException e) {
            return error(e.status, e.getMessage());
        } catch (HistoryException e) {
            if (e.busy()) {
                Reply busy = error(503, "the store is being written by another program; try again in a few seconds ("
                        + e.getMessage() + ")");
                return new Reply(503, busy.contentType(), busy.body(), busy.csp(), Map.of("Retry-After", "5"));
            }
            return error(500, e.getMessage());
        } catch (IllegalArgumentException e) { // a query string that does not decode
            return error(400, "the query string cannot be read: " + e.getMessage());
        }
    }

    /** {@code /runs/report?id=RUN}: that stored run's report as the run wrote it ({@link RunFiles}). */
    private Reply report(String runId) throws PageException, HistoryException {
        if (runId == null) {
            throw PageException.badRequest("give a run: /runs/report?id=RUN_ID");
        }
        HistoryStore.StoredRun run = site.run(runId)
                .orElseThrow(() -> PageException.notFound("no run '" + runId + "' in the store"));
        if (run.run().runDir() == null) {
            throw PageException.notFound("the store has no folder for run '" + runId + "'");
        }
        RunFiles.Lookup found = RunFiles.find(Path.of(run.run().runDir()), RunFiles.REPORT);
        if (found instanceof RunFiles.Refused refused) {
            throw PageException.notFound(refused.why() + " (run '" + runId + "')");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(((RunFiles.Served) found).file());
        } catch (IOException e) {
            throw PageException.notFound("cannot read the report of run '" + runId + "': " + e.getMessage());
        }
        return new Reply(200, "text/html;charset=utf-8", bytes, RunFiles.policy(bytes), Map.of());
    }

    /** Whether {@code host} names this viewer on the loopback interface, with its port. */
    boolean hostAllowed(String host) {
        if (host == null) {
            return false;
        }
        String h = host.toLowerCase(Locale.ROOT);
        String p = ":" + port.getAsInt();
        return h.equals("127.0.0.1" + p) || h.equals("localhost" + p) || h.equals("[::1]" + p);
    }

    static Reply error(int status, String message) {
        Map<String, Object> m = new HashMap<>();
        m.put("status", status);
        m.put("message", message);
        return Reply.page(status, Pages.render("error", m));
    }
}
