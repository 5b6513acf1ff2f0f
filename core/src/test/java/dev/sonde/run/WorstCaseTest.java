package dev.sonde.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.metrics.PricingTable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The worst case a USD cap reserves (issue 18, item 1): what bytes can size, what they cannot, and server tools. */
@Tag("hostile")
class WorstCaseTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PricingTable PRICING = PricingTable.defaults();

    private static JsonNode body(String json) throws Exception {
        return JSON.readTree(json.replace('\'', '"'));
    }

    private static WorstCase.Estimate estimate(JsonNode body) {
        return WorstCase.of(PRICING, "claude-sonnet-4-6", body, WorstCase.json(body));
    }

    @Test
    void images_and_documents_by_reference_and_base64_pdfs_are_unsized_wherever_they_sit() throws Exception {
        assertThat(WorstCase.unsized(body("{'messages':[{'role':'user','content':'hi'}]}"))).isNull();
        assertThat(WorstCase.unsized(body("{'messages':[{'role':'user','content':[{'type':'image','source':"
                + "{'type':'base64','media_type':'image/png','data':'AAAA'}}]}]}"))).isNull();
        assertThat(WorstCase.unsized(body("{'messages':[{'role':'user','content':[{'type':'document','source':"
                + "{'type':'text','media_type':'text/plain','data':'plain'}}]}]}"))).isNull();
        assertThat(WorstCase.unsized(body("{'messages':[{'role':'user','content':[{'type':'document','source':"
                + "{'type':'url','url':'https://x/y.pdf'}}]}]}"))).isEqualTo("a document given by url");
        assertThat(WorstCase.unsized(body("{'messages':[{'role':'user','content':[{'type':'tool_result','tool_use_id':'t',"
                + "'content':[{'type':'image','source':{'type':'file','file_id':'file_1'}}]}]}]}")))
                .as("inside a tool result too").isEqualTo("an image given by file_id");
        assertThat(WorstCase.unsized(body("{'messages':[{'role':'user','content':[{'type':'document','source':"
                + "{'type':'base64','media_type':'application/pdf','data':'JVBERi0='}}]}]}"))).startsWith("a PDF document");
    }

    @Test
    void a_counted_input_gets_a_tenth_and_64_tokens_and_never_less_than_its_bytes() throws Exception {
        JsonNode b = body("{'model':'claude-sonnet-4-6','max_tokens':100,'messages':[{'role':'user','content':"
                + "[{'type':'document','source':{'type':'url','url':'https://x/y.pdf'}}]}]}");
        WorstCase.Estimate e = estimate(b);
        assertThat(e.usd(60_000)).isCloseTo((66_064 * 3.0 + 100 * 15.0) / 1e6, within(1e-12));
        assertThat(e.usd(0)).as("a count of 0 cannot make it cheaper than its bytes").isEqualTo(e.usd());
        assertThat(WorstCase.countBody(b).has("max_tokens")).isFalse();
        assertThat(WorstCase.countBody(b).has("messages")).isTrue();
    }

    @Test
    void web_search_is_bounded_by_max_uses_with_its_fee_and_rereads_and_unbounded_without() throws Exception {
        JsonNode none = body("{'max_tokens':100,'messages':[{'role':'user','content':'news'}],"
                + "'tools':[{'type':'web_search_20250305','name':'web_search'}]}");
        assertThat(estimate(none).unbounded()).contains("no max_uses");

        JsonNode two = body("{'max_tokens':100,'messages':[{'role':'user','content':'news'}],"
                + "'tools':[{'type':'web_search_20250305','name':'web_search','max_uses':2}]}");
        WorstCase.Estimate e = estimate(two);
        assertThat(e.unbounded()).isNull();
        long base = e.inputTokens();
        // 2 uses: the input read 3 times, results of 25,000 tokens read 1 + 2 times; two $0.01 fees
        double expected = ((3.0 * base + 25_000 * 3) * 3.0 + 100 * 15.0) / 1e6 + 0.02;
        assertThat(e.usd()).isCloseTo(expected, within(1e-12));

        assertThat(estimate(body("{'max_tokens':1,'messages':[],'tools':[{'type':'code_execution_20250825',"
                + "'name':'code'}]}")).unbounded()).contains("container time");
        assertThat(estimate(body("{'max_tokens':1,'messages':[],'tools':[{'type':'web_fetch_20250910','name':'f',"
                + "'max_uses':3}]}")).unbounded()).contains("max_content_tokens");
        assertThat(estimate(body("{'max_tokens':1,'messages':[],'mcp_servers':[{'type':'url','url':'https://m'}]}"))
                .unbounded()).contains("MCP");
    }

    @Test
    void a_base64_image_counts_as_pixels_not_bytes_and_multipliers_come_from_the_table() throws Exception {
        String data = "A".repeat(1_000_000);
        JsonNode b = body("{'max_tokens':0,'messages':[{'role':'user','content':[{'type':'image','source':"
                + "{'type':'base64','media_type':'image/png','data':'" + data + "'}}]}]}");
        WorstCase.Estimate e = estimate(b);
        long rest = (WorstCase.json(b).length() - data.length()) / 2 + 64;
        assertThat(e.inputTokens()).isEqualTo(rest + WorstCase.IMAGE_TOKENS);

        java.nio.file.Path prices = java.nio.file.Files.createTempFile("prices", ".yaml");
        java.nio.file.Files.writeString(prices, "multipliers: {cache_write_5m: 3.0, cache_write_1h: 4.0}\n");
        PricingTable dear = PRICING.extendedBy(prices);
        JsonNode cached = body("{'max_tokens':0,'system':[{'type':'text','text':'s','cache_control':{'type':'ephemeral'}}],"
                + "'messages':[]}");
        assertThat(WorstCase.of(dear, "claude-sonnet-4-6", cached, WorstCase.json(cached)).multiplier()).isEqualTo(3.0);
        JsonNode hour = body("{'max_tokens':0,'system':[{'type':'text','text':'s','cache_control':{'type':'ephemeral','ttl':'1h'}}],"
                + "'messages':[]}");
        assertThat(WorstCase.of(dear, "claude-sonnet-4-6", hour, WorstCase.json(hour)).multiplier()).isEqualTo(4.0);
        java.nio.file.Files.delete(prices);
    }
}
