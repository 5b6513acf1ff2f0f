/**
 * The Sonde Maven plugin: {@code sonde:run} (integration-test), {@code sonde:verify} (verify) and
 * {@code sonde:baseline}. Compiled for Java 17 because it runs in Maven's JVM; it never loads a Sonde
 * class there, but forks {@code dev.sonde.cli.Main run} on a JDK 21+ with the plugin's own
 * artifacts as class path, so the CLI's exit codes and lines are the plugin's contract. The mojos
 * are thin; what they decide lives in package-private classes tested on their own.
 */
package dev.sonde.maven;
