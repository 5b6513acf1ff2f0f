package dev.sonde.check;

import dev.sonde.api.ContentBlock;
import dev.sonde.api.Exchange;
import java.util.List;

/**
 * {@code tool-sequence}: the exchange's {@code tool_use} calls include the named tools in this
 * order (other calls may come between them), or, with {@code exact: true}, are exactly this list.
 * It judges one exchange's calls; a conversation's calls across turns are a later extension.
 * Immutable.
 */
final class ToolSequenceCheck implements Check {
    private final List<String> expected;
    private final boolean exact;

    ToolSequenceCheck(List<String> expected, boolean exact) {
        this.expected = List.copyOf(expected);
        this.exact = exact;
    }

    @Override
    public String type() {
        return "tool-sequence";
    }

    @Override
    public CheckResult evaluate(Exchange exchange, Double costUsd) {
        List<String> calls = exchange.toolUses().stream().map(ContentBlock.ToolUse::name).toList();
        boolean holds;
        if (exact) {
            holds = calls.equals(expected);
        } else {
            int next = 0;
            for (String c : calls) {
                if (next < expected.size() && expected.get(next).equals(c)) {
                    next++;
                }
            }
            holds = next == expected.size();
        }
        String want = (exact ? "exactly " : "in order ") + expected;
        return holds
                ? CheckResult.pass(type(), "calls " + calls + " are " + want)
                : CheckResult.fail(type(), "expected tool calls " + want + ", got " + calls);
    }
}
