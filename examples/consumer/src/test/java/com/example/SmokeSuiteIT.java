package com.example;

import dev.sonde.junit.SondeSuite;

/**
 * Runs src/test/sonde/smoke.yaml through the JUnit Platform engine: one test per case × model, one
 * per baseline gate. Failsafe runs it in {@code mvn verify}; an IDE runs it, or one case of it, as
 * any test class.
 */
@SondeSuite("src/test/sonde/smoke.yaml")
class SmokeSuiteIT {}
