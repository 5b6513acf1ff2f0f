package dev.sonde.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.testing.Suites;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run lets go of its HTTP clients when it ends: a client left open keeps its selector thread in
 * a native wait, and the JVM's exit then waits 300 ms for that thread before giving up — on every
 * command (measured: 330 ms from System.exit to the process's end, 30 ms once closed).
 */
class ProvidersClosedTest {
    @TempDir
    Path dir;

    private static long selectorThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("HttpClient-") && t.getName().endsWith("SelectorManager"))
                .count();
    }

    @Test
    void a_finished_run_leaves_no_http_client_thread_behind() throws Exception {
        Path suite = Suites.write(dir.resolve("suites"), "closed.yaml", """
                name: closed
                emulator: {config: fast.yaml}
                models: [{id: a, model: claude-haiku-4-5}, {id: b, model: claude-sonnet-4-6, stream: false}]
                cases: [{id: one, prompt: "Tell me about harbours"}]
                """);
        long before = selectorThreads();

        SecretEchoTest.Run run = SecretEchoTest.run(Map.of(), "run", suite.toString(), "-q", "--out", dir.resolve("out").toString());

        assertThat(run.exit()).as(run.err()).isEqualTo(Main.PASSED);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (selectorThreads() > before && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(selectorThreads()).as("HTTP client selector threads still alive").isLessThanOrEqualTo(before);
    }
}
