package dev.sonde.junit;

import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;

/** One trial of a suite's plan (a case on a model, one repeat): a test, named as the run names it. */
final class TrialDescriptor extends AbstractTestDescriptor {
    private final String trialId;

    TrialDescriptor(UniqueId uniqueId, String displayName, TestSource source, String trialId) {
        super(uniqueId, displayName, source);
        this.trialId = trialId;
    }

    /** The plan's id of the trial ({@code case/model/repeat}), which its journaled result carries. */
    String trialId() {
        return trialId;
    }

    @Override
    public Type getType() {
        return Type.TEST;
    }
}
