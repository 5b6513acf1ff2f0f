package dev.sonde.junit;

import dev.sonde.session.SuiteSession;
import java.util.List;
import java.util.Optional;
import org.junit.platform.engine.EngineDiscoveryRequest;
import org.junit.platform.engine.EngineExecutionListener;
import org.junit.platform.engine.ExecutionRequest;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestEngine;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.EngineDescriptor;

/**
 * The JUnit Platform engine {@code sonde}: runs Sonde suites as tests, one per trial (case × model ×
 * repeat) and one per baseline gate, so Surefire, Failsafe, Gradle, IDEs and the console launcher run
 * and report them as they do any test.
 *
 * <p><b>Opt-in.</b> Adding the engine runs nothing. It lists suites only for: a {@link SondeSuite}
 * class (selected by name, as Surefire and IDEs do, or found by a package or classpath-root scan, which
 * finds nothing else); a unique id under {@code [engine:sonde]}; a file, directory or classpath-resource
 * selector of {@code .yaml} suites (explicit choices: the console's {@code --select-file},
 * {@code --select-directory}, {@code --select-resource}; no scan produces them); and the configuration
 * parameter {@code sonde.junit.suites}. Every suite and test has a class source (the marker, else a class
 * name made from the suite's path), so Surefire and Failsafe count and fail them.
 *
 * <p><b>Tree and ids.</b> {@code [engine:sonde]/[suite:PATH]/[case:ID]/[trial:MODEL#REPEAT]}, PATH the
 * suite file relative to the base directory and REPEAT the trial id's last part (from 0); the gates are
 * registered under {@code [suite:PATH]/[gates:baseline]} as {@code [gate:NAME]} once judged, a benchmark's
 * load steps under the suite as {@code [step:N]}. A marker with no value whose suite is not found is
 * {@code [class:NAME]}: failed with why, or, with no suite requested, holding one skipped test saying so.
 * Selecting a suite's id runs it whole, a case's id its trials on every model, a trial's id that trial
 * (with the rest of its cache variant's sequence, which runs unreported); a post-discovery filter
 * (tags, {@code -Dit.test=Class#case*}) cuts it further. When only part of the plan runs, every gate is
 * skipped ("only part of the plan ran"); when none of it is left, nothing is sent. A benchmark runs
 * whole only.
 *
 * <p><b>Configuration parameters</b> (each also read as a system property of the same name):
 * <ul>
 *   <li>{@code sonde.baseDir}: what suite paths are relative to and where runs are written (default:
 *       the system property {@code sonde.projectDir}, else {@code user.dir});
 *   <li>{@code sonde.junit.suites}: comma-separated suite files or directories to run (a path that is not
 *       there fails its suite);
 *   <li>{@code sonde.suite} (with {@code sonde.requestedProfiles}): the suite a marker with no value runs;
 *   <li>{@code sonde.endpoint}: {@code emulator}, {@code live} or a base URL instead of the suite's;
 *   <li>{@code sonde.concurrency}, {@code sonde.repeat}: instead of the suite's {@code run:} values;
 *   <li>{@code sonde.updateBaseline}: {@code true} writes the run as the suite's baseline (whole plans only);
 *   <li>{@code sonde.outDir}: the folder each run's folder is made in (default {@code <base>/reports/runs}).
 * </ul>
 * API keys come from the environment only (and a {@code .env} in the base directory), never from
 * parameters. A bad suite, setup or stopped run fails its suite's container with one line.
 */
public final class SondeTestEngine implements TestEngine {
    /** The engine's id, the root of every unique id it makes. */
    public static final String ENGINE_ID = "sonde";

    private final SuiteRun.Session session;

    /** The engine as the Platform's {@code ServiceLoader} makes it. */
    public SondeTestEngine() {
        this(SuiteSession::run);
    }

    SondeTestEngine(SuiteRun.Session session) {
        this.session = session;
    }

    @Override
    public String getId() {
        return ENGINE_ID;
    }

    @Override
    public Optional<String> getGroupId() {
        return Optional.of("dev.sonde");
    }

    @Override
    public Optional<String> getArtifactId() {
        return Optional.of("sonde-junit");
    }

    @Override
    public TestDescriptor discover(EngineDiscoveryRequest request, UniqueId uniqueId) {
        EngineDescriptor engine = new EngineDescriptor(uniqueId, "Sonde");
        new Discovery(Settings.read(request.getConfigurationParameters()), uniqueId).resolve(request, engine);
        return engine;
    }

    @Override
    public void execute(ExecutionRequest request) {
        TestDescriptor engine = request.getRootTestDescriptor();
        EngineExecutionListener listener = request.getEngineExecutionListener();
        listener.executionStarted(engine);
        for (TestDescriptor suite : List.copyOf(engine.getChildren())) {
            SuiteRun.execute((SuiteDescriptor) suite, listener, session);
        }
        listener.executionFinished(engine, TestExecutionResult.successful());
    }
}
