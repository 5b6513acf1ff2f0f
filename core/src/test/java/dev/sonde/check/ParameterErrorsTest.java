package dev.sonde.check;

import static dev.sonde.check.Fixtures.check;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sonde.suite.SuiteException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each bad parameter is a one-line suite error at the assertion's position, naming the field. */
class ParameterErrorsTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            {type: contains-any}                               | value        | 'contains-any' needs a 'value': a string or a list of strings
            {type: contains, value: [a, {b: 1}]}               | value        | 'contains' needs a 'value': a string or a list of strings
            {type: ends-with, value: []}                       | value        | 'ends-with' needs a 'value': a string or a list of strings
            {type: regex, value: [ok, '(open']}                | value        | not a valid regular expression: Unclosed group
            {type: levenshtein, value: abc, max_distance: -1}  | max_distance | 'max_distance' must be a whole number ≥ 0
            {type: contains, value: ''}                        | value        | 'contains' needs a non-empty 'value': an empty one matches any output, so the check could never fail
            {type: icontains, value: [a, '']}                  | value        | 'icontains' needs a non-empty 'value'
            {type: starts-with, value: ''}                     | value        | 'starts-with' needs a non-empty 'value'
            {type: ends-with, value: ''}                       | value        | 'ends-with' needs a non-empty 'value'
            {type: regex, value: ''}                           | value        | 'regex' needs a non-empty 'value'
            {type: is-json, schema: {format: datetime}}        | schema       | unknown JSON Schema format 'datetime' at /format (it would never be checked); did you mean 'date-time'?
            {type: contains-json, schema: {$defs: {m: {type: string, format: e-mail}}}} | schema | unknown JSON Schema format 'e-mail' at /$defs/m/format
            {type: json-schema, schema: {type: array, items: {properties: {at: {format: Date}}}}} | schema | unknown JSON Schema format 'Date' at /items/properties/at/format
            {type: levenshtein, value: abc, max_distance: 1.5} | max_distance | 'max_distance' must be a whole number ≥ 0
            {type: levenshtein, max_distance: 2}               | value        | 'levenshtein' needs a 'value': a string
            {type: word-count}                                 | min          | 'word-count' needs 'min' and/or 'max'
            {type: char-count, min: 10, max: 5}                | min          | 'min' (10) is above 'max' (5)
            {type: char-count, max: -1}                        | max          | 'max' must be a whole number ≥ 0
            {type: json-schema}                                | schema       | 'json-schema' needs a 'schema' (a JSON Schema 2020-12 object)
            {type: is-json, schema: [1]}                       | schema       | a JSON Schema is an object
            {type: contains-json, schema: {type: 12}}          | schema       | invalid JSON Schema
            {type: tool-called, name: [a, b]}                  | name         | 'tool-called' needs a 'name': a string
            {type: tool-sequence}                              | value        | 'tool-sequence' needs a 'value': a string or a list of strings
            {type: thinking, min_tokens: many}                 | min_tokens   | 'min_tokens' must be a whole number ≥ 0
            {type: itl-p95, max_ms: 0}                         | max_ms       | 'itl-p95' needs a positive number 'max_ms'
            {type: cost, max_ms: 5}                            | max_ms       | 'cost' takes no 'max_ms' (did you mean 'max_usd'?) (parameters: max_usd, weight)
            {type: output-tokens, maximum: 5}                  | maximum      | 'output-tokens' takes no 'maximum' (parameters: max, min, weight)
            {type: thinking, min_token: 5}                     | min_token    | 'thinking' takes no 'min_token' (did you mean 'min_tokens'?)
            {type: cache-hit-ratio, min: 1.5}                  | min          | 'min' must be a number from 0 to 1
            {type: cache-hit-ratio}                            | min          | 'cache-hit-ratio' needs 'min': a number from 0 to 1
            {type: is-xml, value: x}                           | value        | 'is-xml' takes no 'value' (parameters: required_elements, weight)
            {type: contains, value: a, weight: -1}             | weight       | 'weight' must be a number ≥ 0
            {type: contains, value: a, weight: heavy}          | weight       | 'weight' must be a number ≥ 0
            {type: assert-set}                                 | assert       | 'assert-set' needs 'assert': a non-empty list of assertions
            {type: assert-set, assert: [{type: is-json}], threshold: 2} | threshold | 'threshold' must be a number from 0 to 1
            {type: assert-set, assert: [{type: is-json}, {value: x}]}   | assert[1].type | each member of an assert-set is an assertion mapping with a 'type'
            {type: assert-set, assert: [{type: is-json}, {type: regex, value: '(x'}]} | assert[1].value | not a valid regular expression
            {type: assert-set, assert: [{type: assert-set, assert: [{type: ttft}]}]} | assert[0].assert[0].max_ms | 'ttft' needs a positive number 'max_ms'
            {type: not-latency, max_ms: 5}                     | type         | 'not-latency' is not a type: 'latency' has no not- form (it is a bound: set its limits instead)
            {type: not-no-tool-call}                           | type         | 'not-no-tool-call' is not a type: 'no-tool-call' has no not- form (use 'tool-called')
            {type: icontain, value: x}                         | type         | unknown assertion type 'icontain' (did you mean 'icontains'?)
            """)
    void a_bad_parameter_is_reported_at_the_assertion_with_its_field(String yaml, String field, String problem) {
        assertThatThrownBy(() -> check(yaml))
                .isInstanceOf(SuiteException.class)
                .hasMessageStartingWith("s.yaml:7:9: cases[0].assert[0]." + field + ": " + problem);
    }
}
