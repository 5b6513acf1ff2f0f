package dev.sonde.api;

/**
 * A cloud platform's credentials are not to be had: one line naming the provider and what to set,
 * never a credential's value. The session turns it into exit code 3 before anything is sent.
 */
public final class MissingCredentials extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message one line: the provider, what was looked for and what to set */
    public MissingCredentials(String message) {
        super(message, null, false, false);
    }
}
