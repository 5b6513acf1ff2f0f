package dev.sonde.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.api.ContentBlock;
import dev.sonde.api.Exchange;
import java.util.ArrayList;
import java.util.List;

/** The tool calls of an exchange as journaled ({@code tool_calls}): {@code {id, name, input}} in order. */
final class ToolCalls {
    private ToolCalls() {}

    static List<JsonNode> of(Exchange ex) {
        List<JsonNode> calls = new ArrayList<>();
        for (ContentBlock.ToolUse t : ex.toolUses()) {
            ObjectNode call = JsonNodeFactory.instance.objectNode().put("id", t.id()).put("name", t.name());
            call.set("input", t.input());
            calls.add(call);
        }
        return calls;
    }
}
