package dev.sonde.cli;

import dev.sonde.junit.SondeSuite;

/**
 * The Maven gate: {@code mvn verify -Psuite=NAME} runs {@code suites/NAME.yaml} (or
 * {@code -Dsuite=PATH} any suite file) against the embedded emulator, or the suite's endpoint, through
 * the JUnit Platform engine {@code sonde}: one test per trial (case × model × repeat) so CI lists
 * them, and one per baseline gate. A failing trial fails the build; a trial that was not evaluated
 * (none of its checks applied) is reported as skipped, with why; the HTML report's path is printed
 * either way. Skipped when no suite is requested, so the plain test build is unaffected. An unknown
 * {@code -Psuite=NAME} (Maven 3 only warns about it) fails here with the list of suites. Failsafe
 * passes {@code sonde.suite}, {@code sonde.requestedProfiles} and {@code sonde.projectDir}.
 */
@SondeSuite
class SuiteGateIT {}
