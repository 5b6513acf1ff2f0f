package dev.sonde.junit;

import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;

/**
 * A test known only once the suite has run, registered then: a baseline gate (its decision) or a
 * benchmark's load step.
 */
final class VerdictDescriptor extends AbstractTestDescriptor {
    VerdictDescriptor(UniqueId uniqueId, String displayName, TestSource source) {
        super(uniqueId, displayName, source);
    }

    @Override
    public Type getType() {
        return Type.TEST;
    }
}
