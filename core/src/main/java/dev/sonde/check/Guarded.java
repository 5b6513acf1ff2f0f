package dev.sonde.check;

import dev.sonde.api.Exchange;
import java.util.regex.Pattern;

/**
 * Runs one check so that nothing it throws escapes: a {@link RuntimeException} (a custom check's
 * bug, an embedder failure…) becomes an undecided {@link CheckResult} naming the check's class
 * and the exception — one line, no stack trace — so the trial that was already paid for is still
 * scored and journaled. Text that looks like an API key or a bearer token is masked in the message,
 * since a check's exception text is not under Sonde's control. Errors ({@link Error}) still propagate.
 * Stateless.
 */
final class Guarded {
    private static final int MAX_MESSAGE = 200;
    private static final Pattern KEY_LIKE = Pattern.compile(
            "(?i)(sk-[a-z0-9_\\-]{6,}|bearer\\s+\\S+|(?:api[_-]?key|x-api-key|token|secret|password)\\s*[=:]\\s*"
                    + "[\"']?[a-z0-9._~+/=\\-]{8,})");

    private Guarded() {}

    /** {@code check.evaluate(exchange, costUsd)}, or an undecided fail when it throws. */
    static CheckResult evaluate(Check check, Exchange exchange, Double costUsd) {
        try {
            CheckResult r = check.evaluate(exchange, costUsd);
            if (r == null) {
                return CheckResult.undecided(type(check), "check " + check.getClass().getName()
                        + " returned no result", null, null);
            }
            return r;
        } catch (RuntimeException e) {
            return CheckResult.undecided(type(check), "check " + check.getClass().getName() + " failed: "
                    + describe(e), null, null);
        }
    }

    /** One line: the exception's simple class name and its (masked, shortened) message. */
    static String describe(Throwable e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        String flat = KEY_LIKE.matcher(message.replace("\r", "").replace("\n", " ")).replaceAll("[masked]").strip();
        if (flat.length() > MAX_MESSAGE) {
            flat = flat.substring(0, MAX_MESSAGE - 1) + "…";
        }
        return e.getClass().getSimpleName() + (flat.isEmpty() ? "" : ": " + flat);
    }

    private static String type(Check check) {
        try {
            String t = check.type();
            return t == null ? check.getClass().getSimpleName() : t;
        } catch (RuntimeException e) {
            return check.getClass().getSimpleName();
        }
    }
}
