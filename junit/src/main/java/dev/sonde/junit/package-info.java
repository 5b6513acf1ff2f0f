/**
 * The JUnit Platform engine {@code sonde} ({@link dev.sonde.junit.SondeTestEngine}): Sonde suites run
 * and reported as tests by any JUnit Platform launcher, opted into with {@link dev.sonde.junit.SondeSuite}.
 * A room above {@code session}, beside {@code cli}: it runs suites through {@code SuiteSession} and
 * imports neither {@code cli} nor anything above it. Exports the engine and the marker annotation.
 */
package dev.sonde.junit;
