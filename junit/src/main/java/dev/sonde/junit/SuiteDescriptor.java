package dev.sonde.junit;

import dev.sonde.session.SuiteSession;
import java.nio.file.Path;
import java.util.Set;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.FileSource;
import org.junit.platform.engine.support.descriptor.MethodSource;

/**
 * One suite: the container its cases (or a benchmark's load steps) and its baseline gates sit in.
 * Its source is the marker class it was found through, so Surefire and Failsafe report its tests
 * under that class; otherwise the suite file.
 */
final class SuiteDescriptor extends AbstractTestDescriptor {
    /** What the suite's execution does. */
    sealed interface State permits Ready, Broken, Skipped {}

    /**
     * A planned suite to run.
     *
     * @param only the trial ids selected, or null for the whole plan
     */
    record Ready(Path file, SuiteSession.Planned planned, Set<String> only) implements State {}

    /** A suite that cannot run: the container fails with this one line. */
    record Broken(String message) implements State {}

    /** Nothing to run, and why (a marker with no suite requested). */
    record Skipped(String reason) implements State {}

    private final Settings settings;
    private final Class<?> marker;
    private final Path file;
    private State state;

    SuiteDescriptor(UniqueId uniqueId, String displayName, Settings settings, Class<?> marker, Path file, State state) {
        super(uniqueId, displayName, marker != null ? ClassSource.from(marker)
                : file != null ? FileSource.from(file.toFile()) : null);
        this.settings = settings;
        this.marker = marker;
        this.file = file;
        this.state = state;
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
     * The source of a test in this suite: a method of the marker class named as the test is, so
     * Surefire writes {@code <testcase name="case [model]">} (with only a class source it writes an
     * empty name); the suite file when there is no class.
     */
    TestSource testSource(String displayName) {
        if (marker != null) {
            return MethodSource.from(marker.getName(), displayName);
        }
        return file != null ? FileSource.from(file.toFile()) : null;
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
