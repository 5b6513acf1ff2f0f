/**
 * The library's front door: {@link dev.sonde.lib.Sonde} runs a suite from Java code (a test, a
 * build step, an application) as {@code sonde run} does, and returns the session's outcome. A room
 * above {@code session}, beside {@code cli} and {@code junit}: it only gathers options for
 * {@link dev.sonde.session.SuiteSession}.
 */
package dev.sonde.lib;
