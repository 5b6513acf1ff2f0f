package dev.sonde.check;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.metrics.Usage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A fake grader answering from a script, one reply per call in order, and keeping every request it
 * got: each call costs {@link #INPUT} input and {@link #OUTPUT} output tokens and {@link #COST_USD}.
 * A script entry {@code "!fail: why"} fails the call, {@code "!filler: text"} is emulator filler,
 * {@code "!interrupt"} throws {@link InterruptedException}, {@code "!unpriced: text"} has no price.
 */
final class ScriptedGrader implements Grader {
    static final long INPUT = 100;
    static final long OUTPUT = 10;
    static final double COST_USD = 0.0002;

    /** One request as the grader got it. */
    record Request(String system, String prompt, ObjectNode schema) {}

    private final Deque<String> script;
    final List<Request> requests = new ArrayList<>();

    ScriptedGrader(String... replies) {
        this.script = new ArrayDeque<>(List.of(replies));
    }

    /** Graders resolving every model to this one. */
    Graders graders() {
        return (model, params) -> this;
    }

    @Override
    public String model() {
        return "judge";
    }

    @Override
    public synchronized Reply ask(String system, String prompt, ObjectNode verdictSchema) throws InterruptedException {
        requests.add(new Request(system, prompt, verdictSchema));
        String next = script.isEmpty() ? "!fail: the script ran out" : script.poll();
        Usage used = Usage.fromJson(Fixtures.yaml("{input_tokens: " + INPUT + ", output_tokens: " + OUTPUT + "}"));
        if (next.equals("!interrupt")) {
            throw new InterruptedException("stop");
        }
        if (next.startsWith("!fail: ")) {
            return new Reply("", used, COST_USD, next.substring(7));
        }
        if (next.startsWith("!filler: ")) {
            return new Reply(next.substring(9), used, COST_USD, null, true);
        }
        if (next.startsWith("!unpriced: ")) {
            return new Reply(next.substring(11), used, null, null);
        }
        return new Reply(next, used, COST_USD, null);
    }

    /** The usage of {@code n} priced calls. */
    static GraderUsage calls(int n) {
        return new GraderUsage(n, n * INPUT, n * OUTPUT, 0, 0, 0);
    }
}
