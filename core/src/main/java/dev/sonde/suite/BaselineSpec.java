package dev.sonde.suite;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;

/**
 * The suite's {@code baseline:} section: the baseline file (resolved against the suite's folder;
 * default {@code ../reports/baselines/<suite>.json}) and the raw {@code gates} mapping, which the
 * baseline room interprets. {@code location} is where the section stands, for error messages.
 */
public record BaselineSpec(Path file, ObjectNode gates, Location location) {}
