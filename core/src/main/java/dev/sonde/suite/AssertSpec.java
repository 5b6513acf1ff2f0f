package dev.sonde.suite;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One assertion as written in the suite: its {@code type}, the whole mapping (the check reads
 * its own parameters from it) and where it stands, so a bad parameter can be reported at
 * {@code file:line:col}.
 *
 * @param field the path of this assertion in the suite, e.g. {@code cases[3].assert[1]}
 */
public record AssertSpec(String type, ObjectNode config, Location location, String field) {}
