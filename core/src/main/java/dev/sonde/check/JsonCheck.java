package dev.sonde.check;

import com.networknt.schema.Schema;
import dev.sonde.api.Exchange;

/**
 * {@code is-json} and {@code json-schema}: the whole output is one JSON value (surrounding
 * whitespace and a single Markdown code fence allowed) and, when a {@code schema} is given
 * (required for {@code json-schema}), valid against it (JSON Schema 2020-12, networknt). The
 * reason gives the first schema error. Immutable; networknt schemas are thread-safe.
 */
final class JsonCheck implements Check {
    private final String type;
    private final Schema schema;

    /** @param schema null for plain {@code is-json} */
    JsonCheck(String type, Schema schema) {
        this.type = type;
        this.schema = schema;
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public CheckResult evaluate(Exchange exchange, Double costUsd) {
        JsonText.Found json = JsonText.whole(exchange.text());
        if (!json.ok()) {
            return CheckResult.fail(type, json.problem());
        }
        if (schema == null) {
            return CheckResult.pass(type, "valid JSON " + JsonText.kind(json.value()));
        }
        String problem = JsonText.schemaProblem(schema, json.value());
        return problem == null
                ? CheckResult.pass(type, "valid JSON " + JsonText.kind(json.value()) + " matching the schema")
                : CheckResult.fail(type, problem);
    }
}
