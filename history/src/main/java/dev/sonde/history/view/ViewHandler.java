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
import org.eclipse.jetty.util.URIUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every request of {@code sonde view}, checked before it is served: the {@code Host} header must be
 * {@code 127.0.0.1:<port>}, {@code localhost:<port>} or {@code [::1]:<port>} (else 421: a page of
 * another site that rebinds its DNS name to 127.0.0.1 cannot read the viewer), and the method GET or
 * HEAD (else 405 with {@code Allow}). Pages go out with a Content-Security-Policy that allows no
 * script, inline styles and {@code data:} images only, forms to this origin only and no framing,
 * with {@code nosniff} and no referrer. A run's own files ({@code /runs/<id>/…}) keep the report's
 * own policy (its {@code <meta>} tag allows its one script by hash); any of them but HTML is served
 * sandboxed. A bad query parameter is 400, an unknown run or suite 404, a store that cannot be read
 * 500, each a short page. Thread-safe.
 */
final class ViewHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(ViewHandler.class);

    /** The pages' policy: no script at all; filters and pickers are plain GET forms. */
    static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none';"
            + " form-action 'self'; frame-ancestors 'none'";
    /** A run's files other than HTML: nothing runs, even when a browser renders them. */
    static final String FILE_CSP = "default-src 'none'; sandbox";

    private final Site site;
    private final IntSupplier port;

    /** A response, whole; {@code csp} null for a run's HTML file (it carries its own policy). */
    private record Reply(int status, String contentType, byte[] body, String csp, Map<String, String> headers) {
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
        response.setStatus(reply.status());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("Referrer-Policy", "no-referrer");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        if (reply.csp() != null) {
            response.getHeaders().put("Content-Security-Policy", reply.csp());
        }
        reply.headers().forEach((k, v) -> response.getHeaders().put(k, v));
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, reply.body().length);
        boolean head = request.getMethod().equals("HEAD");
        response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(reply.body()), callback);
        return true;
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
            if (path.startsWith("/suite/") && path.length() > "/suite/".length()) {
                String suite = URIUtil.decodePath(path.substring("/suite/".length()));
                return Reply.page(200, Pages.render("suite", TrendPage.model(site, suite,
                        new Params(query, TrendPage.PARAMS))));
            }
            if (path.equals("/diff")) {
                return Reply.page(200, Pages.render("diff", DiffPage.model(site, new Params(query, DiffPage.PARAMS))));
            }
            if (path.startsWith("/runs/")) {
                new Params(query, Set.of());
                return runFile(URIUtil.decodePath(path.substring("/runs/".length())));
            }
            return error(404, "no page " + path + " here");
        } catch (PageException e) {
            return error(e.status, e.getMessage());
        } catch (HistoryException e) {
            return error(500, e.getMessage());
        } catch (IllegalArgumentException e) { // a query string that does not decode
            return error(400, "the query string cannot be read: " + e.getMessage());
        }
    }

    /** {@code <run id>/<file>}: a file of that stored run's folder ({@link RunFiles}). */
    private Reply runFile(String rest) throws PageException, HistoryException {
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            throw PageException.notFound("give a file of the run: /runs/RUN_ID/report.html");
        }
        String runId = rest.substring(0, slash);
        HistoryStore.StoredRun run = site.run(runId)
                .orElseThrow(() -> PageException.notFound("no run '" + runId + "' in the store"));
        if (run.run().runDir() == null) {
            throw PageException.notFound("the store has no folder for run '" + runId + "'");
        }
        RunFiles.Lookup found = RunFiles.find(Path.of(run.run().runDir()), rest.substring(slash + 1));
        if (found instanceof RunFiles.Refused refused) {
            throw PageException.notFound(refused.why() + ": " + rest.substring(slash + 1));
        }
        RunFiles.Served file = (RunFiles.Served) found;
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file.file());
        } catch (IOException e) {
            throw PageException.notFound("cannot read " + rest.substring(slash + 1) + ": " + e.getMessage());
        }
        boolean html = file.contentType().startsWith("text/html");
        return new Reply(200, file.contentType(), bytes, html ? null : FILE_CSP, Map.of());
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

    private static Reply error(int status, String message) {
        Map<String, Object> m = new HashMap<>();
        m.put("status", status);
        m.put("message", message);
        return Reply.page(status, Pages.render("error", m));
    }
}
