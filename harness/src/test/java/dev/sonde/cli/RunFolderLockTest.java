package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.journal.Journal;
import dev.sonde.journal.TrialResult;
import dev.sonde.testing.HeldRequests;
import dev.sonde.testing.StubServer;
import dev.sonde.testing.Suites;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One run per folder: while a {@code sonde run} process is sending into a folder, a second
 * {@code --resume} of it, a new run into it, a re-render of its reports and a merge of it are each
 * refused in one line naming that process, and change nothing; once that process is killed (no
 * chance to clean up), the folder resumes as usual.
 */
@Tag("hostile")
class RunFolderLockTest {
    private static final String KEY = "sk-lock-test";
    @TempDir
    Path dir;

    private record Run(int exit, String err) {}

    private static Run sonde(String... args) {
        StringWriter err = new StringWriter();
        int exit = Main.execute(Map.of("ANTHROPIC_API_KEY", KEY), new PrintWriter(new StringWriter()), new PrintWriter(err),
                args);
        return new Run(exit, err.toString());
    }

    @Test
    void a_second_process_is_refused_every_write_into_a_folder_a_run_is_using() throws Exception {
        Path suite = Suites.numbered(dir, "locked", 12, 2);
        Path out = dir.resolve("run");
        HeldRequests held = new HeldRequests(3, 2, StubServer.messagesStream(0));
        try (StubServer server = StubServer.start(held); HeldRequests opened = held) {
            String url = server.baseUri().toString();
            String java = ProcessHandle.current().info().command().orElse("java");
            ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "run", suite.toString(), "--endpoint", url, "--out", out.toString(), "-q")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("first.log").toFile());
            pb.environment().put("ANTHROPIC_API_KEY", KEY);
            Process first = pb.start();
            try {
                assertThat(held.awaitHeld(60)).as("the first run is sending").isTrue();
                long journaled = Files.size(out.resolve("trials.jsonl"));
                int sent = held.calls();
                String busy = ": another sonde process (pid " + first.pid() + ") is using this folder; wait for it to "
                        + "end, or stop it";

                Run resume = sonde("run", suite.toString(), "--endpoint", url, "--resume", out.toString(), "-q");
                assertThat(resume.exit()).isEqualTo(Main.BAD_INPUT);
                assertThat(resume.err().strip()).isEqualTo("sonde: --resume " + out + busy);

                Run again = sonde("run", suite.toString(), "--endpoint", url, "--out", out.toString(), "-q");
                assertThat(again.exit()).isEqualTo(Main.BAD_INPUT);
                assertThat(again.err().strip()).isEqualTo("sonde: --out " + out + busy);

                Run report = sonde("report", out.toString());
                assertThat(report.exit()).isEqualTo(Main.BAD_INPUT);
                assertThat(report.err().strip()).isEqualTo("sonde: " + out + busy);

                Run merge = sonde("merge", out.toString(), "--out", dir.resolve("merged").toString());
                assertThat(merge.exit()).isEqualTo(Main.BAD_INPUT);
                assertThat(merge.err().strip()).isEqualTo("sonde: merge: " + out.toAbsolutePath().normalize() + busy);

                assertThat(held.calls()).as("no refused command sent anything").isEqualTo(sent);
                assertThat(Files.size(out.resolve("trials.jsonl"))).as("nor wrote to the journal").isEqualTo(journaled);
                assertThat(out.resolve("report.html")).doesNotExist();
            } finally {
                first.destroyForcibly(); // SIGKILL: it never gets to let the folder go itself
                assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }

            held.open();
            Run resumed = sonde("run", suite.toString(), "--endpoint", url, "--resume", out.toString(), "-q");
            assertThat(resumed.exit()).as(resumed.err()).isEqualTo(Main.PASSED);
            Map<String, Long> results = journal(out).stream().filter(t -> t.skipped() == null)
                    .collect(Collectors.groupingBy(TrialResult::trialId, Collectors.counting()));
            assertThat(results).hasSize(12).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1L));
        }
        assertThat(List.of(Files.readString(out.resolve("run.lock")).strip()))
                .as("the lock file stays, naming the last holder").containsExactly(Long.toString(ProcessHandle.current().pid()));
    }

    private static List<TrialResult> journal(Path out) throws Exception {
        try (Stream<TrialResult> s = Journal.read(out.resolve("trials.jsonl"))) {
            return s.toList();
        }
    }
}
