package dev.sonde.check;

import static dev.sonde.check.Fixtures.check;
import static dev.sonde.check.Fixtures.ex;
import static dev.sonde.check.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ToolChecksTest {
    private static final String FORECAST_SCHEMA = "schema: {type: object, required: [city],"
            + " properties: {city: {type: string}, units: {enum: [metric, imperial]}}}";

    @Test
    void tool_called_without_a_name_means_any_call_and_lists_the_calls() throws Exception {
        var two = ex().text("Checking.").tool("search", "{q: x}").tool("fetch", "{url: y}").stop("tool_use").build();

        assertThat(check("{type: tool-called}").evaluate(two, null).reason()).isEqualTo("a tool call was made; calls: [search, fetch]");
        assertThat(check("{type: tool-called, name: fetch}").evaluate(two, null).pass()).isTrue();
        assertThat(check("{type: tool-called, name: Fetch}").evaluate(two, null).reason())
                .isEqualTo("expected a call to Fetch, but the calls were [search, fetch]");
        assertThat(check("{type: tool-called}").evaluate(text("no tools").build(), null).reason())
                .isEqualTo("expected a tool call, but no tool was called");
        assertThat(check("{type: no-tool-call}").evaluate(two, null).reason())
                .isEqualTo("expected no tool call, but the calls were [search, fetch]");
    }

    @Test
    void tool_args_matches_a_subset_of_the_input_with_numbers_by_value() throws Exception {
        var call = ex().tool("get_forecast", "{city: Paris, days: 3.0, units: metric, opts: {hourly: true, tags: [a, b]}}")
                .build();

        assertThat(check("{type: tool-args, name: get_forecast, value: {city: Paris, days: 3}}").evaluate(call, null).pass())
                .isTrue();
        assertThat(check("{type: tool-args, name: get_forecast, value: {opts: {tags: [a, b]}, days: '3.0'}}")
                .evaluate(call, null).pass()).isTrue();
        CheckResult nested = check("{type: tool-args, name: get_forecast, value: {opts: {hourly: false}}}").evaluate(call, null);
        assertThat(nested.pass()).isFalse();
        assertThat(nested.reason()).endsWith(": $.opts.hourly is true, expected false");
        assertThat(check("{type: tool-args, name: get_forecast, value: {opts: {tags: [a]}}}").evaluate(call, null).reason())
                .contains("$.opts.tags is [\"a\",\"b\"], expected [\"a\"]");
        assertThat(check("{type: tool-args, name: get_forecast, value: {country: FR}}").evaluate(call, null).reason())
                .endsWith("$.country is missing");
    }

    @Test
    void tool_args_validates_a_schema_and_passes_when_any_call_to_the_tool_matches() throws Exception {
        var calls = ex().tool("get_forecast", "{units: kelvin}").tool("get_time", "{}")
                .tool("get_forecast", "{city: Oslo, units: metric}").build();

        CheckResult r = check("{type: tool-args, name: get_forecast, " + FORECAST_SCHEMA + "}").evaluate(calls, null);
        assertThat(r.pass()).isTrue();
        assertThat(r.reason()).contains("(call 2 of 2)");
        CheckResult both = check("{type: tool-args, name: get_forecast, " + FORECAST_SCHEMA + ", value: {city: Bergen}}")
                .evaluate(calls, null);
        assertThat(both.pass()).isFalse();
        assertThat(both.reason()).contains("JSON does not match the schema").contains("(none of 2 calls matches)");
        assertThat(check("{type: tool-args, name: get_weather, value: {city: Oslo}}").evaluate(calls, null).reason())
                .isEqualTo("no call to get_weather (calls: [get_forecast, get_time, get_forecast])");
    }

    @Test
    void tool_args_needs_a_name_and_a_schema_or_value() {
        assertThatThrownBy(() -> check("{type: tool-args, value: {a: 1}}"))
                .hasMessage("s.yaml:7:9: cases[0].assert[0].name: 'tool-args' needs a 'name': a string");
        assertThatThrownBy(() -> check("{type: tool-args, name: f}"))
                .hasMessage("s.yaml:7:9: cases[0].assert[0].schema: 'tool-args' needs a 'schema' and/or a 'value'"
                        + " (the arguments expected)");
    }

    @Test
    void tool_sequence_is_an_ordered_subsequence_unless_exact() throws Exception {
        var calls = ex().tool("search", "{}").tool("log", "{}").tool("fetch", "{}").tool("summarize", "{}").build();

        assertThat(check("{type: tool-sequence, value: [search, fetch, summarize]}").evaluate(calls, null).pass()).isTrue();
        assertThat(check("{type: tool-sequence, value: [fetch, search]}").evaluate(calls, null).reason())
                .isEqualTo("expected tool calls in order [fetch, search], got [search, log, fetch, summarize]");
        assertThat(check("{type: tool-sequence, value: [search, fetch, summarize], exact: true}").evaluate(calls, null)
                .pass()).isFalse();
        assertThat(check("{type: tool-sequence, value: [search, log, fetch, summarize], exact: true}").evaluate(calls, null)
                .pass()).isTrue();
        assertThat(check("{type: tool-sequence, value: [search, search]}").evaluate(calls, null).pass()).isFalse();
        assertThatThrownBy(() -> check("{type: tool-sequence, value: [a], exact: yes please}"))
                .hasMessageContaining("cases[0].assert[0].exact: 'exact' is true or false");
    }
}
