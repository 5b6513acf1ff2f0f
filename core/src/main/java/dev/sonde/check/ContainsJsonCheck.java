package dev.sonde.check;

import com.networknt.schema.Schema;
import dev.sonde.api.Exchange;

/**
 * {@code contains-json}: the first JSON object or array inside the output (prose around it and
 * code fences allowed) parses and, when a {@code schema} is given, is valid against it (JSON
 * Schema 2020-12). Only the first one found is judged: a later valid object does not rescue an
 * earlier invalid one. Immutable.
 */
final class ContainsJsonCheck implements Check {
    private final Schema schema;

    /** @param schema null to check only that JSON is present */
    ContainsJsonCheck(Schema schema) {
        this.schema = schema;
    }

    @Override
    public String type() {
        return "contains-json";
    }

    @Override
    public CheckResult evaluate(Exchange exchange, Double costUsd) {
        JsonText.Found json = JsonText.embedded(exchange.text());
        if (!json.ok()) {
            return CheckResult.fail(type(), json.problem());
        }
        String found = "found JSON " + JsonText.kind(json.value()) + " " + Excerpt.json(json.value());
        if (schema == null) {
            return CheckResult.pass(type(), found);
        }
        String problem = JsonText.schemaProblem(schema, json.value());
        return problem == null
                ? CheckResult.pass(type(), found + " matching the schema")
                : CheckResult.fail(type(), problem);
    }
}
