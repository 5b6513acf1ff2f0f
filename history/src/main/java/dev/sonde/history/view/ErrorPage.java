package dev.sonde.history.view;

import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The page of a request Jetty refuses before {@link ViewHandler} sees it (an ambiguous path such as
 * {@code %2e%2e}, a bad {@code Host}): the viewer's short error page with its headers (policy,
 * {@code nosniff}, {@code no-store}), never Jetty's own page. Thread-safe: stateless.
 */
final class ErrorPage implements Request.Handler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus() >= 400 ? response.getStatus() : 500;
        Object message = request.getAttribute(ErrorHandler.ERROR_MESSAGE);
        String line = message == null ? "this request cannot be served" : "this request cannot be served: " + message;
        ViewHandler.send(ViewHandler.error(status, line), request, response, callback);
        return true;
    }
}
