package dev.sonde.check;

import dev.sonde.api.ContentBlock;
import dev.sonde.api.Exchange;
import java.util.List;

/**
 * {@code no-tool-call}: the response made no {@code tool_use} call at all (the opposite of
 * {@code tool-called} without a name, so it has no {@code not-} form). Immutable.
 */
final class NoToolCallCheck implements Check {

    @Override
    public String type() {
        return "no-tool-call";
    }

    @Override
    public CheckResult evaluate(Exchange exchange, Double costUsd) {
        List<String> names = exchange.toolUses().stream().map(ContentBlock.ToolUse::name).toList();
        return names.isEmpty()
                ? CheckResult.pass(type(), "no tool was called (stop_reason " + exchange.stopReason() + ")")
                : CheckResult.fail(type(), "expected no tool call, but the calls were " + names);
    }
}
