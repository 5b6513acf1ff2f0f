package dev.sonde.junit;

import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;

/** A container inside a suite: a case (its trials), or the suite's baseline gates. */
final class GroupDescriptor extends AbstractTestDescriptor {
    private final boolean dynamic;

    /** @param dynamic its tests are registered as they run (the gates), so it is kept while empty */
    GroupDescriptor(UniqueId uniqueId, String displayName, TestSource source, boolean dynamic) {
        super(uniqueId, displayName, source);
        this.dynamic = dynamic;
    }

    @Override
    public boolean mayRegisterTests() {
        return dynamic;
    }

    @Override
    public Type getType() {
        return Type.CONTAINER;
    }
}
