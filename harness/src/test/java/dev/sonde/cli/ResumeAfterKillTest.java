package dev.sonde.cli;

import dev.sonde.testing.StubServer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.journal.Journal;
import dev.sonde.journal.TrialResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed with SIGKILL mid-way loses nothing and re-pays nothing: after {@code --resume},
 * every trial has exactly one result, and no trial the journal already held was sent again.
 */
class ResumeAfterKillTest {
    private static final int CASES = 40;
    @TempDir
    Path dir;

    @Test
    void a_sigkilled_run_resumes_without_resending_journaled_trials() throws Exception {
        StringBuilder yaml = new StringBuilder("name: killme\nmodels: [{id: s, model: claude-sonnet-4-6}]\ncases:\n");
        for (int i = 0; i < CASES; i++) {
            yaml.append("  - {id: c").append(i).append(", prompt: \"question ").append(i)
                    .append("\", assert: [{type: contains, value: Paris}]}\n");
        }
        yaml.append("run: {concurrency: 4}\n");
        Path suite = dir.resolve("suite.yaml");
        Files.writeString(suite, yaml.toString());
        Path out = dir.resolve("run");
        Path journal = out.resolve("trials.jsonl");

        try (StubServer server = StubServer.start(StubServer.messagesStream(150))) {
            String java = ProcessHandle.current().info().command().orElse("java");
            ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "run", suite.toString(), "--endpoint", server.baseUri().toString(), "--out", out.toString(), "-q")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile());
            pb.environment().put("ANTHROPIC_API_KEY", "sk-resume-test");
            Process child = pb.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (lines(journal) < 10 && System.nanoTime() < deadline && child.isAlive()) {
                Thread.sleep(20);
            }
            assertThat(child.isAlive()).as("the run must still be going when it is killed").isTrue();
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no flush beyond what was already flushed
            child.waitFor();
            int sentBeforeKill = server.lastUserTexts().size();
            Set<String> journaledBeforeKill = trials(journal).stream().map(t -> promptOf(t.caseId()))
                    .collect(Collectors.toSet());
            assertThat(journaledBeforeKill).hasSizeBetween(10, CASES - 1);

            StringWriter err = new StringWriter();
            int exit = Main.execute(Map.of("ANTHROPIC_API_KEY", "sk-resume-test"), new PrintWriter(new StringWriter()),
                    new PrintWriter(err), "run", suite.toString(), "--endpoint", server.baseUri().toString(), "--resume",
                    out.toString(), "-q");

            assertThat(exit).as(err.toString()).isEqualTo(0);
            List<String> sentAfterKill = server.lastUserTexts().subList(sentBeforeKill, server.lastUserTexts().size());
            assertThat(sentAfterKill).doesNotContainAnyElementsOf(journaledBeforeKill);
            assertThat(new HashSet<>(sentAfterKill)).hasSameSizeAs(sentAfterKill);
            List<TrialResult> all = trials(journal);
            Map<String, Long> perTrial = all.stream().collect(Collectors.groupingBy(TrialResult::trialId, Collectors.counting()));
            assertThat(perTrial).hasSize(CASES).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1L));
            assertThat(all).allSatisfy(t -> assertThat(t.pass()).isTrue());
            Set<String> everSent = new HashSet<>(server.lastUserTexts());
            assertThat(everSent).hasSize(CASES);
        }
    }

    private static String promptOf(String caseId) {
        return "question " + caseId.substring(1);
    }

    private static long lines(Path journal) throws Exception {
        if (!Files.exists(journal)) {
            return 0;
        }
        try (Stream<String> s = Files.lines(journal)) {
            return s.count();
        }
    }

    private static List<TrialResult> trials(Path journal) throws Exception {
        try (Stream<TrialResult> s = Journal.read(journal)) {
            return s.toList();
        }
    }

}
