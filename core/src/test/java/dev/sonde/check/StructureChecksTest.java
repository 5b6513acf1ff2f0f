package dev.sonde.check;

import static dev.sonde.check.Fixtures.check;
import static dev.sonde.check.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.sonde.suite.SuiteException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StructureChecksTest {

    @Test
    void json_schema_needs_whole_output_json_and_reports_the_first_schema_error() throws Exception {
        String schema = "{type: json-schema, schema: {type: object, required: [name, email],"
                + " properties: {email: {type: string, pattern: '@'}}}}";

        assertThat(check(schema).evaluate(text("```json\n{\"name\":\"Ada\",\"email\":\"a@b\"}\n```").build(), null).reason())
                .isEqualTo("valid JSON object matching the schema");
        CheckResult bad = check(schema).evaluate(text("{\"name\":\"Ada\",\"email\":\"nowhere\"}").build(), null);
        assertThat(bad.pass()).isFalse();
        assertThat(bad.reason()).startsWith("JSON does not match the schema: ").contains("email");
        assertThat(check(schema).evaluate(text("Here: {\"name\":\"Ada\",\"email\":\"a@b\"}").build(), null).reason())
                .startsWith("output is not JSON");
    }

    @Test
    void contains_json_finds_the_first_object_or_array_in_prose_and_applies_the_schema() throws Exception {
        var prose = text("Sure [see below]. The result is {\"total\": 12, \"items\": [1, 2]} — then {\"x\": 1}.").build();

        CheckResult found = check("{type: contains-json}").evaluate(prose, null);
        assertThat(found.pass()).isTrue();
        assertThat(found.reason()).isEqualTo("found JSON object {\"total\":12,\"items\":[1,2]}");
        assertThat(check("{type: contains-json, schema: {required: [total]}}").evaluate(prose, null).pass()).isTrue();
        assertThat(check("{type: contains-json, schema: {required: [x]}}").evaluate(prose, null).pass()).isFalse();
        assertThat(check("{type: contains-json}").evaluate(text("A list: [1, 2, 3].").build(), null).reason())
                .isEqualTo("found JSON array [1,2,3]");
        assertThat(check("{type: contains-json}").evaluate(text("just 42 and \"a string\"").build(), null).pass()).isFalse();
    }

    @Test
    void json_path_reads_jsonpath_or_pointer_and_tests_equals_and_matches() throws Exception {
        var answer = text("Result: {\"order\": {\"id\": \"A-17\", \"lines\": [{\"sku\": \"x\", \"qty\": 2}, "
                + "{\"sku\": \"y\", \"qty\": 5.0}], \"unit price\": 3}}").build();

        assertThat(check("{type: json-path, path: '$.order.lines[1].qty', equals: 5}").evaluate(answer, null).reason())
                .isEqualTo("$.order.lines[1].qty is 5.0 as expected");
        assertThat(check("{type: json-path, path: '$.order.lines[-1].sku', equals: y}").evaluate(answer, null).pass()).isTrue();
        assertThat(check("{type: json-path, path: \"$['order']['unit price']\", equals: '3'}").evaluate(answer, null).pass())
                .isTrue();
        assertThat(check("{type: json-path, path: /order/lines/0/qty, equals: 2}").evaluate(answer, null).pass()).isTrue();
        assertThat(check("{type: json-path, path: '$.order.id', matches: '^A-\\d+$'}").evaluate(answer, null).pass()).isTrue();
        assertThat(check("{type: json-path, path: '$.order.lines', equals: [{sku: x, qty: 2}, {sku: y, qty: 5}]}")
                .evaluate(answer, null).pass()).isTrue();
        CheckResult wrong = check("{type: json-path, path: '$.order.id', equals: A-18, matches: 'A'}").evaluate(answer, null);
        assertThat(wrong.pass()).isFalse();
        assertThat(wrong.reason()).isEqualTo("$.order.id is \"A-17\", expected \"A-18\"");
        assertThat(check("{type: json-path, path: '$.order.lines[2]'}").evaluate(answer, null).reason())
                .startsWith("no value at $.order.lines[2] in ");
        assertThat(check("{type: json-path, path: '$.order.id'}").evaluate(text("no json").build(), null).reason())
                .startsWith("no JSON object or array in the output");
    }

    @Test
    void json_path_rejects_paths_that_select_many_values_at_load_time() {
        assertThatThrownBy(() -> check("{type: json-path, path: '$.items[*].id', equals: 1}"))
                .isInstanceOf(SuiteException.class)
                .hasMessageStartingWith("s.yaml:7:9: cases[0].assert[0].path: '$.items[*].id': '[*]' (only [n], ['name'] are)"
                        + " is not supported");
        assertThatThrownBy(() -> check("{type: json-path, path: '$..id'}")).hasMessageContaining("recursive descent");
        assertThatThrownBy(() -> check("{type: json-path, path: 'order.id'}"))
                .hasMessageContaining("a path starts with '$' (JSONPath) or '/' (JSON Pointer)");
        assertThatThrownBy(() -> check("{type: json-path, path: \"$['open\"}")).hasMessageContaining("unclosed");
        assertThatThrownBy(() -> check("{type: json-path, equals: 1}"))
                .hasMessage("s.yaml:7:9: cases[0].assert[0].path: 'json-path' needs a 'path': a string");
        assertThatThrownBy(() -> check("{type: json-path, path: $.a, matches: '(x'}"))
                .hasMessageContaining("cases[0].assert[0].matches: not a valid regular expression");
    }

    @Test
    void is_xml_accepts_well_formed_documents_and_names_the_error_position() throws Exception {
        assertThat(check("{type: is-xml}").evaluate(text("```xml\n<?xml version=\"1.0\"?>\n<answer lang=\"en\">ok</answer>\n```")
                .build(), null).reason()).isEqualTo("well-formed XML, root <answer>");
        CheckResult bad = check("{type: is-xml}").evaluate(text("<a><b></a>").build(), null);
        assertThat(bad.pass()).isFalse();
        assertThat(bad.reason()).startsWith("not well-formed XML (line 1, column");
        assertThat(check("{type: is-xml}").evaluate(text("<a/><b/>").build(), null).pass()).isFalse();
        assertThat(check("{type: is-xml}").evaluate(text("").build(), null).reason()).isEqualTo("output is empty, not XML");
    }

    @Test
    void is_xml_never_fetches_external_entities_or_dtds(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-VALUE");
        AtomicInteger fetches = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            fetches.incrementAndGet();
            byte[] body = "<!ENTITY leak 'FETCHED'>".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String http = "http://127.0.0.1:" + server.getAddress().getPort();
            Check xml = check("{type: is-xml}");
            String fileEntity = "<!DOCTYPE r [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]><r>&x;</r>";
            String httpEntity = "<!DOCTYPE r [<!ENTITY x SYSTEM \"" + http + "/e\">]><r>&x;</r>";
            String paramEntity = "<!DOCTYPE r [<!ENTITY % p SYSTEM \"" + http + "/p\"> %p;]><r>&leak;</r>";
            String externalDtd = "<!DOCTYPE r SYSTEM \"" + http + "/dtd\"><r/>";

            for (String doc : new String[] {fileEntity, httpEntity, paramEntity, externalDtd}) {
                CheckResult r = xml.evaluate(text(doc).build(), null);
                assertThat(r.reason()).doesNotContain("TOP-SECRET-VALUE").doesNotContain("FETCHED");
            }
            assertThat(xml.evaluate(text(fileEntity).build(), null).reason())
                    .startsWith("not well-formed XML (a DOCTYPE internal subset is not accepted (it declares external entity x)");
            assertThat(xml.evaluate(text(externalDtd).build(), null).pass()).as("an external DTD is never read").isTrue();
            Check contains = check("{type: contains-xml}");
            for (String doc : new String[] {fileEntity, httpEntity, paramEntity}) {
                assertThat(contains.evaluate(text("Here: " + doc).build(), null).reason()).doesNotContain("TOP-SECRET-VALUE")
                        .doesNotContain("FETCHED");
            }
            assertThat(fetches.get()).isZero();
        } finally {
            server.stop(0);
        }
    }
}
