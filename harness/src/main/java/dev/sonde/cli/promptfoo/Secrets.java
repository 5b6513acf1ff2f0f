package dev.sonde.cli.promptfoo;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What in a config's text may be a credential, so the import never writes or prints it. {@link
 * #mask} is applied where each line is rendered ({@link Unmapped#toString}, {@link Ledger#note}),
 * so the suite's comment lines and the console say the same masked text. Stateless, thread-safe.
 */
public final class Secrets {
    /**
     * Known key prefixes (Anthropic and OpenAI {@code sk-}, Stripe {@code sk_live_}, GitHub, Google,
     * Slack, AWS, GitLab) at any length past a few characters, and any other run of 24 or more key
     * characters that mixes letters and digits and holds 16 letters or digits in a row (a base64 or
     * hex token; a model id such as {@code claude-sonnet-4-5-20250929} has shorter words), unless it
     * continues a path or a dotted name.
     */
    private static final Pattern KEYLIKE = Pattern.compile(
            "(?:sk|rk|pk)[-_][A-Za-z0-9_-]{6,}|(?:ghp|gho|ghu|ghs|ghr|github_pat)_[A-Za-z0-9_]{6,}|AIza[A-Za-z0-9_-]{8,}"
                    + "|xox[abprs]-[A-Za-z0-9-]{6,}|AKIA[A-Z0-9]{8,}|glpat-[A-Za-z0-9_-]{6,}"
                    + "|(?<![A-Za-z0-9_/.-])(?=[A-Za-z0-9_-]*[0-9])(?=[A-Za-z0-9_-]*[A-Za-z])(?=[A-Za-z0-9_-]*[A-Za-z0-9]{16})"
                    + "[A-Za-z0-9_-]{24,}");
    /** Parts of a header name that say its value is a credential. */
    private static final Pattern SECRET_NAME = Pattern.compile(
            "auth|key|token|secret|pass|pwd|credential|cookie|session|signature|csrf|xsrf|bearer|private|cert|sig$");

    private Secrets() {}

    /** {@code text} with every key-like token replaced by {@code [redacted]}. */
    public static String mask(String text) {
        return KEYLIKE.matcher(text).replaceAll("[redacted]");
    }

    /** Whether a header (or any setting) so named may carry a credential. */
    static boolean secretName(String name) {
        return SECRET_NAME.matcher(name.toLowerCase(Locale.ROOT)).find();
    }

    /** A URL without its {@code user:password@} part (anything else as it is). */
    static String withoutUserinfo(String url) {
        return url.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#@]*@", "$1");
    }

    /** Whether a value looks like a credential: a key-like token, or an HTTP auth scheme and its token. */
    static boolean secretValue(String value) {
        return !mask(value).equals(value) || value.strip().matches("(?i)(bearer|basic|token|digest)\\s+\\S+.*");
    }
}
