package dev.sonde.check;

import static dev.sonde.check.Fixtures.check;
import static dev.sonde.check.Fixtures.ex;
import static dev.sonde.check.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** JSON Schema {@code format} is asserted, not just annotated, in every type that takes a schema. */
class SchemaFormatTest {

    @ParameterizedTest(name = "{0}: {1} passes, {2} fails")
    @CsvSource(delimiter = '|', textBlock = """
            date      | 2026-12-05                           | 2026-13-05
            date-time | 2026-12-05T16:54:11Z                 | 2026-12-05 16:54
            time      | 16:54:11Z                            | 25:00:00Z
            email     | ada@example.org                      | not an email
            uri       | https://example.org/a?b=c            | ::not a uri
            uuid      | 123e4567-e89b-12d3-a456-426614174000 | 123e4567-e89b-12d3-a456
            ipv4      | 192.168.0.1                          | 256.1.1.1
            ipv6      | ::1                                  | 12345::
            hostname  | api.example.org                      | -bad-.example
            phone     | +44 20 7946 0958                     | 020 7946 0958
            uri-reference | /a/b                             | \\\\bad
            """)
    void is_json_asserts_the_format(String format, String good, String bad) throws Exception {
        Check c = check("{type: is-json, schema: {type: object, properties: {v: {type: string, format: " + format + "}}}}");
        assertThat(c.evaluate(text("{\"v\": \"" + good + "\"}").build(), null).pass()).isTrue();
        CheckResult r = c.evaluate(text("{\"v\": \"" + bad + "\"}").build(), null);
        assertThat(r.pass()).isFalse();
        assertThat(r.reason()).contains(format);
    }

    @Test
    void every_format_sonde_accepts_is_one_the_validator_knows() {
        assertThat(Params.FORMATS).contains("date", "date-time", "time", "duration", "email", "idn-email", "hostname",
                "idn-hostname", "ipv4", "ipv6", "uri", "uri-reference", "iri", "iri-reference", "uri-template", "uuid",
                "json-pointer", "relative-json-pointer", "regex", "phone").doesNotContain("datetime", "e-mail");
    }

    @Test
    void json_schema_contains_json_and_tool_args_assert_formats_too() throws Exception {
        String schema = "schema: {type: object, properties: {at: {type: string, format: email}}, required: [at]}";
        assertThat(check("{type: json-schema, " + schema + "}").evaluate(text("{\"at\": \"x\"}").build(), null).pass()).isFalse();
        assertThat(check("{type: json-schema, " + schema + "}").evaluate(text("{\"at\": \"a@b.io\"}").build(), null).pass())
                .isTrue();
        assertThat(check("{type: contains-json, " + schema + "}").evaluate(text("Here: {\"at\": \"x\"}").build(), null).pass())
                .isFalse();
        assertThat(check("{type: tool-args, name: mail, " + schema + "}").evaluate(ex().tool("mail", "{at: nobody}").build(),
                null).pass()).isFalse();
        assertThat(check("{type: tool-args, name: mail, " + schema + "}").evaluate(ex().tool("mail", "{at: a@b.io}").build(),
                null).pass()).isTrue();
    }
}
