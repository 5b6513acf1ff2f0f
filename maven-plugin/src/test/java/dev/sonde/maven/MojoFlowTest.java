package dev.sonde.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.artifact.DefaultArtifact;
import org.apache.maven.artifact.handler.DefaultArtifactHandler;
import org.apache.maven.execution.DefaultMavenExecutionRequest;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.model.Plugin;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sonde:run then sonde:verify as Maven calls them, in this JVM, each suite forked for real on the
 * emulator: run never fails on checks, records each suite as it ends, fails at once on a bad suite
 * unless failOnError is false, and verify turns the record into the build's verdict.
 */
class MojoFlowTest {
    private static final long BUILD_START = 1_780_000_000_000L;

    @TempDir
    Path project;

    /** What the mojos logged, each line as {@code level: text}. */
    private final List<String> log = java.util.Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void suites() throws Exception {
        CapitalSuites.rules(project);
        suite("a-pass", "{type: contains, value: Paris}");
        suite("b-fail", "{type: contains, value: Berlin}");
        Files.writeString(project.resolve("bad/c-bad.yaml"), "name: bad\nmodels: []\ncases: []\n");
    }

    @Test
    void failed_checks_pass_run_and_fail_verify_with_the_reason() throws Exception {
        RunMojo run = configure(new RunMojo(), "suites/a-pass.yaml", "suites/b-fail.yaml");
        assertThatCode(run::execute).doesNotThrowAnyException();
        List<SuiteRun> recorded = LastRun.read(lastRun());
        assertThat(log).contains("info: report: " + recorded.get(0).runFolder().resolve("report.html"),
                "warn: Sonde: suite b-fail failed 1 check or gate; sonde:verify fails the build");
        assertThat(log).anyMatch(l -> l.startsWith("warn: FAILED  capital [haiku]: "));
        assertThat(log).anyMatch(l -> l.startsWith("info: sonde: emulator on http://127.0.0.1:"))
                .noneMatch(l -> l.startsWith("warn: sonde: emulator on"));
        assertThat(recorded).extracting(SuiteRun::name, SuiteRun::exit).containsExactly(
                org.assertj.core.groups.Tuple.tuple("a-pass", 0), org.assertj.core.groups.Tuple.tuple("b-fail", 1));
        assertThatThrownBy(configure(new VerifyMojo())::execute)
                .isInstanceOf(MojoFailureException.class)
                .hasMessageContaining("suite b-fail: FAIL  b-fail: 0/1 passed")
                .hasMessageContaining("FAILED  capital [haiku]: ")
                .hasMessageContaining("Berlin")
                .hasMessageContaining("report: " + recorded.get(1).runFolder().resolve("report.html"));
    }

    @Test
    void a_bad_suite_fails_run_at_once_and_the_suites_before_it_are_recorded() throws Exception {
        RunMojo run = configure(new RunMojo(), "suites/a-pass.yaml", "bad", "suites/b-fail.yaml");
        assertThatThrownBy(run::execute)
                .isInstanceOf(MojoExecutionException.class)
                .hasMessageStartingWith("Sonde: suite c-bad (" + project.resolve("bad/c-bad.yaml") + ") was refused (exit 2");
        assertThat(LastRun.read(lastRun())).extracting(SuiteRun::name).containsExactly("a-pass", "c-bad");
    }

    @Test
    void with_fail_on_error_off_every_suite_runs_and_verify_reports_the_error() throws Exception {
        RunMojo run = configure(new RunMojo(), "bad", "suites/a-pass.yaml");
        run.failOnError = false;
        assertThatCode(run::execute).doesNotThrowAnyException();
        assertThat(LastRun.read(lastRun())).extracting(SuiteRun::exit).containsExactly(2, 0);
        assertThatThrownBy(configure(new VerifyMojo())::execute)
                .isInstanceOf(MojoExecutionException.class).hasMessageContaining("suite c-bad");
    }

    @Test
    void two_executions_keep_each_others_results_and_verify_judges_both() throws Exception {
        RunMojo smoke = configure(new RunMojo(), "suites/b-fail.yaml");
        smoke.mojoExecution = execution("smoke");
        smoke.execute();
        RunMojo regression = configure(new RunMojo(), "suites/a-pass.yaml");
        regression.mojoExecution = execution("regression");
        regression.execute();
        assertThatThrownBy(configure(new VerifyMojo())::execute)
                .isInstanceOf(MojoFailureException.class)
                .hasMessageStartingWith("Sonde: 1 of 2 suites failed")
                .hasMessageContaining("suite b-fail: FAIL  b-fail: 0/1 passed");
        assertThat(project.resolve("target/sonde/last-run-smoke.properties")).isRegularFile();
        assertThat(project.resolve("target/sonde/last-run-regression.properties")).isRegularFile();
    }

    @Test
    void verify_never_judges_an_earlier_builds_record() throws Exception {
        RunMojo run = configure(new RunMojo(), "suites/b-fail.yaml");
        run.execute();
        VerifyMojo nextBuild = configure(new VerifyMojo());
        nextBuild.session = session(BUILD_START + 60_000);
        assertThatThrownBy(nextBuild::execute)
                .isInstanceOf(MojoExecutionException.class)
                .hasMessageStartingWith("Sonde: nothing to verify: sonde:run did not run in this build");
    }

    @Test
    void skip_runs_nothing() throws Exception {
        RunMojo run = configure(new RunMojo(), "suites/a-pass.yaml");
        run.skip = true;
        run.execute();
        assertThat(project.resolve("target")).doesNotExist();
        assertThat(log).containsExactly("info: Sonde: skipped (sonde.skip)");
    }

    @Test
    void skip_its_skips_run_and_verify_as_failsafe_does() throws Exception {
        RunMojo run = configure(new RunMojo(), "suites/b-fail.yaml");
        run.skipITs = true;
        run.execute();
        VerifyMojo verify = configure(new VerifyMojo());
        verify.skipITs = true;
        assertThatCode(verify::execute).doesNotThrowAnyException();
        assertThat(project.resolve("target")).doesNotExist();
        assertThat(log).containsExactly("info: Sonde: skipped (skipITs)", "info: Sonde: skipped (skipITs)");
    }

    @Test
    void skip_tests_skips_run_and_verify_as_failsafe_does() throws Exception {
        RunMojo run = configure(new RunMojo(), "suites/b-fail.yaml");
        run.skipTests = true;
        run.execute();
        VerifyMojo verify = configure(new VerifyMojo());
        verify.skipTests = true;
        assertThatCode(verify::execute).doesNotThrowAnyException();
        assertThat(project.resolve("target")).doesNotExist();
        assertThat(log).containsExactly("info: Sonde: skipped (skipTests)", "info: Sonde: skipped (skipTests)");
    }

    @Test
    void maven_test_skip_and_its_old_exec_form_skip_run_and_verify_as_failsafe_does() throws Exception {
        RunMojo run = configure(new RunMojo(), "suites/b-fail.yaml");
        run.mavenTestSkip = true;
        run.execute();
        VerifyMojo verify = configure(new VerifyMojo());
        verify.mavenTestSkipExec = true;
        assertThatCode(verify::execute).doesNotThrowAnyException();
        assertThat(project.resolve("target")).doesNotExist();
        assertThat(log).containsExactly("info: Sonde: skipped (maven.test.skip)", "info: Sonde: skipped (maven.test.skip.exec)");
    }

    private Path lastRun() {
        return project.resolve("target/sonde/last-run-default.properties");
    }

    private void suite(String name, String assertion) throws Exception {
        Files.createDirectories(project.resolve("bad"));
        CapitalSuites.write(project.resolve("suites/" + name + ".yaml"), name, assertion, "../rules.yaml", "");
    }

    /** The fields Maven would inject: this JVM's JDK (21+) and class path as the plugin's artifacts. */
    private <M extends SondeMojo> M configure(M mojo, String... suites) throws Exception {
        mojo.setLog(new SystemStreamLog() {
            @Override
            public void info(CharSequence line) {
                log.add("info: " + line);
            }

            @Override
            public void warn(CharSequence line) {
                log.add("warn: " + line);
            }

            @Override
            public void error(CharSequence line) {
                log.add("error: " + line);
            }
        });
        mojo.basedir = project.toFile();
        mojo.reportDirectory = project.resolve("target/sonde").toFile();
        mojo.suites = List.of(suites);
        mojo.javaHome = new File(System.getProperty("java.home"));
        mojo.plugin = new PluginDescriptor();
        mojo.plugin.setArtifacts(classPathArtifacts());
        mojo.session = session(BUILD_START);
        if (mojo instanceof RunMojo run) {
            run.failOnError = true; // the parameter's default-value
            run.mojoExecution = execution("default");
        }
        return mojo;
    }

    private static MavenSession session(long startMillis) {
        return new MavenSession(null, null, new DefaultMavenExecutionRequest().setStartTime(new Date(startMillis)), null);
    }

    private static MojoExecution execution(String id) {
        return new MojoExecution(new Plugin(), "run", id);
    }

    /** Each class path entry as an artifact; the one holding dev.sonde.cli.Main is dev.sonde:sonde-cli. */
    private static List<Artifact> classPathArtifacts() throws Exception {
        URL main = ClassLoader.getSystemResource("dev/sonde/cli/Main.class");
        String where = main.toString();
        Path cli = where.startsWith("jar:")
                ? Path.of(new java.net.URI(where.substring(4, where.indexOf("!/"))))
                : Path.of(main.toURI()).getParent().getParent().getParent().getParent();
        List<Artifact> artifacts = new ArrayList<>();
        int i = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path path = Path.of(entry);
            boolean isCli = path.toAbsolutePath().normalize().equals(cli.toAbsolutePath().normalize());
            DefaultArtifact a = new DefaultArtifact(isCli ? "dev.sonde" : "test", isCli ? "sonde-cli" : "entry-" + i++,
                    "1", "runtime", "jar", null, new DefaultArtifactHandler("jar"));
            a.setFile(path.toFile());
            artifacts.add(a);
        }
        return artifacts;
    }
}
