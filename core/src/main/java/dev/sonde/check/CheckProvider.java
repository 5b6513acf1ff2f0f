package dev.sonde.check;

import dev.sonde.suite.AssertSpec;
import dev.sonde.suite.SuiteException;
import java.util.Set;

/**
 * A team's own assertion type, found with {@link java.util.ServiceLoader}: put a jar holding the
 * implementation and a {@code META-INF/services/dev.sonde.check.CheckProvider} file naming it on
 * the class path, and suites may use its {@link #type()}. The registry ({@link Checks}) treats it
 * like a built-in type: {@code not-<type>} negates it, {@code weight} weighs it, and an optional
 * {@code threshold} (0..1) makes it pass exactly when its {@link CheckResult#score()} reaches the
 * threshold. A key outside {@link #parameters()} (and {@code type}, {@code weight},
 * {@code threshold}) is a suite error with a "did you mean" hint. A type that collides with a
 * built-in one, or with another provider's, is a suite error: built-in names cannot be overridden.
 *
 * <p>Implementations need a public no-argument constructor; the checks they make must be pure
 * functions of the exchange and thread-safe ({@link Check}).
 */
public interface CheckProvider {

    /** The YAML {@code type}: lower-case letters, digits and dashes, not starting with {@code not-}. */
    String type();

    /** The parameters this type reads from the assertion mapping; any other key is a suite error. */
    Set<String> parameters();

    /**
     * Makes the check for one assertion, read from {@link AssertSpec#config()}. A bad parameter is
     * reported by throwing a {@link SuiteException} (at {@code spec.location()}, field
     * {@code spec.field() + "." + param}) or an {@link IllegalArgumentException}, whose message the
     * registry reports at the assertion.
     */
    Check create(AssertSpec spec) throws SuiteException;
}
