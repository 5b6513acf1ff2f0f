package dev.sonde.history.view;

/**
 * A page that cannot be shown as asked: a bad query parameter (400) or an unknown run or suite
 * (404). Its message is one line for the error page.
 */
final class PageException extends Exception {
    final int status;

    PageException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    static PageException badRequest(String message) {
        return new PageException(400, message);
    }

    static PageException notFound(String message) {
        return new PageException(404, message);
    }
}
