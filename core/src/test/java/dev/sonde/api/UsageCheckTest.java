package dev.sonde.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Usage a server sends is believed only when it can be true (issue 18, item 3). */
@Tag("hostile")
class UsageCheckTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String problem(String usage, long maxOutput) throws Exception {
        return UsageCheck.problem(JSON.readTree(usage.replace('\'', '"')), maxOutput);
    }

    @Test
    void real_usage_of_both_apis_passes() throws Exception {
        assertThat(problem("{'input_tokens':12,'output_tokens':18,'cache_creation_input_tokens':0,"
                + "'cache_read_input_tokens':0,'cache_creation':{'ephemeral_5m_input_tokens':0,'ephemeral_1h_input_tokens':0},"
                + "'server_tool_use':{'web_search_requests':1,'web_fetch_requests':0},'service_tier':'standard',"
                + "'output_tokens_details':{'thinking_tokens':5},'cache_creation_input_tokens_x':null}", 18)).isNull();
        assertThat(problem("{'prompt_tokens':30,'completion_tokens':5,'total_tokens':35,"
                + "'prompt_tokens_details':{'cached_tokens':30},'cost':0.0001}", 0)).isNull();
    }

    @Test
    void negative_fractional_textual_absurd_or_impossible_counts_are_named() throws Exception {
        assertThat(problem("{'input_tokens':-1,'output_tokens':1}", 0)).isEqualTo("usage.input_tokens is negative (-1)");
        assertThat(problem("{'input_tokens':1.5}", 0)).isEqualTo("usage.input_tokens is not a whole number of tokens (1.5)");
        assertThat(problem("{'input_tokens':'sk-ant-secret'}", 0)).isEqualTo("usage.input_tokens is not a whole number of tokens")
                .doesNotContain("secret");
        assertThat(problem("{'input_tokens':123456789012345678901234567890}", 0))
                .isEqualTo("usage.input_tokens is more than any request can use (100000000)");
        assertThat(problem("{'cache_creation':{'ephemeral_1h_input_tokens':100000001}}", 0))
                .isEqualTo("usage.cache_creation.ephemeral_1h_input_tokens 100000001 is more than any request can use (100000000)");
        assertThat(problem("{'server_tool_use':{'web_search_requests':-3}}", 0))
                .isEqualTo("usage.server_tool_use.web_search_requests is negative (-3)");
        assertThat(problem("{'input_tokens':1,'output_tokens':101}", 100))
                .isEqualTo("usage.output_tokens 101 is more than the request's limit of 100 output tokens");
        assertThat(problem("{'prompt_tokens':10,'prompt_tokens_details':{'cached_tokens':11}}", 0))
                .isEqualTo("usage.prompt_tokens_details.cached_tokens 11 is more than prompt_tokens 10");
    }

    @Test
    void a_field_name_that_is_not_a_plain_name_is_never_echoed_and_messages_usage_is_required() throws Exception {
        String key = "sk-ant-api03-" + "A".repeat(80);
        assertThat(problem("{'" + key + "':{'x_tokens':-1}}", 0)).isEqualTo("usage.(a field).x_tokens is negative (-1)")
                .doesNotContain("sk-ant");
        Exchange noOutput = new Exchange(200, null, "m", java.util.List.of(), "end_turn", null,
                dev.sonde.metrics.Usage.fromJson(JSON.readTree("{\"input_tokens\":5}")), dev.sonde.metrics.Timings.NONE,
                null);
        assertThat(UsageCheck.checked(noOutput, 0, false).ok()).as("a gateway's usage may be partial").isTrue();
        Exchange checked = UsageCheck.checked(noOutput, 0, true);
        assertThat(checked.failure().errorClass()).isEqualTo(ErrorClass.PROTOCOL);
        assertThat(checked.failure().message()).isEqualTo("the answer's usage has no output_tokens");
    }
}
