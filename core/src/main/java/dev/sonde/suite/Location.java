package dev.sonde.suite;

import java.nio.file.Path;

/** A place in a suite file, 1-based; printed as {@code file:line:column}. */
public record Location(Path file, int line, int column) {

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
