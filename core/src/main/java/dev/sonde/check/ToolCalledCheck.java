package dev.sonde.check;

import dev.sonde.api.ContentBlock;
import dev.sonde.api.Exchange;
import java.util.List;

/**
 * {@code tool-called}: the response made at least one {@code tool_use} call, to the tool
 * {@code name} when given (exact, case-sensitive). Server tools (web search, …) come back as other
 * block types and do not count. The reason lists the calls that were made. Immutable.
 */
final class ToolCalledCheck implements Check {
    private final String name;

    /** @param name the tool's name, or null for any tool */
    ToolCalledCheck(String name) {
        this.name = name;
    }

    @Override
    public String type() {
        return "tool-called";
    }

    @Override
    public CheckResult evaluate(Exchange exchange, Double costUsd) {
        List<String> names = exchange.toolUses().stream().map(ContentBlock.ToolUse::name).toList();
        boolean called = name == null ? !names.isEmpty() : names.contains(name);
        String want = name == null ? "a tool call" : "a call to " + name;
        return called
                ? CheckResult.pass(type(), want + " was made; calls: " + names)
                : CheckResult.fail(type(), "expected " + want + (names.isEmpty() ? ", but no tool was called"
                        : ", but the calls were " + names));
    }
}
