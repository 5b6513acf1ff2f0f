package dev.sonde.junit;

import dev.sonde.session.SuiteSession;
import java.nio.file.Path;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.FileSource;
import org.junit.platform.engine.support.descriptor.MethodSource;

/**
 * One suite: the container its cases (or a benchmark's load steps) and its baseline gates sit in.
 * Its source is always a class, so Surefire and Failsafe count and fail its tests (they drop tests
 * without a class source, and with them a failing suite): the marker class it was found through, else a
 * class name made from the suite's path ({@link #className}), which is never loaded.
 */
final class SuiteDescriptor extends AbstractTestDescriptor {
    /** What the suite's execution does. */
    sealed interface State permits Ready, Broken, Skipped {}

    /** A planned suite to run; which of its trials run is read from the tree at execution (filters apply after discovery). */
    record Ready(Path file, SuiteSession.Planned planned) implements State {}

    /** A suite that cannot run: the container fails with this one line. */
    record Broken(String message) implements State {}

    /** Nothing to run, and why (a marker with no suite requested). */
    record Skipped(String reason) implements State {}

    private final Settings settings;
    private final String className;
    private final Path file;
    private State state;

    /** @param displayName the suite's key (its path relative to the base directory), or the marker's simple name */
    SuiteDescriptor(UniqueId uniqueId, String displayName, Settings settings, Class<?> marker, Path file, State state) {
        this(uniqueId, displayName, settings, marker != null ? marker.getName() : className(displayName), file, state);
    }

    private SuiteDescriptor(UniqueId uniqueId, String displayName, Settings settings, String className, Path file,
            State state) {
        super(uniqueId, displayName, ClassSource.from(className));
        this.settings = settings;
        this.className = className;
        this.file = file;
        this.state = state;
    }

    /**
     * The class name a suite reached without a marker class is reported under: its path without the
     * extension, {@code /} as {@code .}, other characters a Java name cannot hold as {@code _}
     * ({@code src/test/sonde/smoke.yaml} → {@code src.test.sonde.smoke}). Surefire names its report file
     * and {@code classname} after it.
     */
    static String className(String key) {
        String path = key.replaceFirst("\\.ya?ml$", "");
        StringBuilder name = new StringBuilder();
        for (String part : path.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            if (!name.isEmpty()) {
                name.append('.');
            }
            if (!Character.isJavaIdentifierStart(part.charAt(0))) {
                name.append('_');
            }
            part.chars().forEach(c -> name.append(Character.isJavaIdentifierPart(c) ? (char) c : '_'));
        }
        return name.isEmpty() ? "sonde" : name.toString();
    }

    Settings settings() {
        return settings;
    }

    State state() {
        return state;
    }

    void state(State state) {
        this.state = state;
    }

    /**
     * The source of a test in this suite: a method of the suite's class named as the test is, so
     * Surefire writes {@code <testcase name="case [model]">} (with only a class source it writes an
     * empty name) and its {@code -Dtest=Class#case*} filter matches the test's name.
     */
    TestSource testSource(String displayName) {
        return MethodSource.from(className, displayName);
    }

    /** The suite file, for a case's container; null for a marker whose suite was not found. */
    TestSource fileSource() {
        return file != null ? FileSource.from(file.toFile()) : null;
    }

    /**
     * Always: its gates and a benchmark's steps are registered as they run, and a suite that cannot run
     * must stay in the tree (the launcher prunes containers without tests) so its failure is reported.
     */
    @Override
    public boolean mayRegisterTests() {
        return true;
    }

    @Override
    public Type getType() {
        return Type.CONTAINER;
    }
}
