package dev.sonde.check;

import static dev.sonde.check.Fixtures.check;
import static dev.sonde.check.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** is-xml's BOM and entity rules, required_elements, and contains-xml's scan. */
class XmlChecksTest {

    private static CheckResult run(String yaml, String output) throws Exception {
        return check(yaml).evaluate(text(output).build(), null);
    }

    @Test
    void a_leading_byte_order_mark_is_allowed() throws Exception {
        assertThat(run("{type: is-xml}", "\uFEFF<a><b/></a>").pass()).isTrue();
        assertThat(run("{type: is-xml}", "\uFEFF<?xml version=\"1.0\"?><a/>").pass()).isTrue();
        assertThat(run("{type: is-xml}", "\uFEFF<a><b></a>").pass()).isFalse();
    }

    @Test
    void an_entity_whose_text_does_not_nest_fails_because_internal_subsets_are_refused() throws Exception {
        CheckResult r = run("{type: is-xml}", "<!DOCTYPE r [<!ENTITY e \"<a>\">]><r>&e;</r>");
        assertThat(r.pass()).isFalse();
        assertThat(r.reason()).contains("a DOCTYPE internal subset is not accepted (it declares entity e)");
        assertThat(run("{type: is-xml}", "<!DOCTYPE r [<!ELEMENT r ANY>]><r/>").pass()).isFalse();
        assertThat(run("{type: is-xml}", "<!DOCTYPE r><r>&amp;&lt;&#233;</r>").pass()).as("predefined and character"
                + " references need no subset").isTrue();
        assertThat(run("{type: is-xml}", "<r>&undeclared;</r>").pass()).isFalse();
    }

    @Tag("hostile")
    @Test
    void billion_laughs_fails_at_once() throws Exception {
        StringBuilder doc = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        for (int i = 1; i <= 9; i++) {
            doc.append("<!ENTITY lol").append(i).append(" \"");
            doc.append(("&lol" + (i == 1 ? "" : i - 1) + ";").repeat(10)).append("\">");
        }
        doc.append("]><lolz>&lol9;</lolz>");
        long start = System.nanoTime();
        CheckResult is = run("{type: is-xml}", doc.toString());
        CheckResult contains = run("{type: contains-xml}", "Answer: " + doc);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(is.pass()).isFalse();
        assertThat(is.reason()).contains("internal subset is not accepted (it declares entity lol)");
        assertThat(contains.pass()).isFalse();
    }

    @Test
    void required_elements_are_dot_paths_from_the_root_with_indexes_and_attributes() throws Exception {
        String doc = "<answer lang=\"en\"><steps><step>a</step><step><note/></step></steps><final></final></answer>";
        assertThat(run("{type: is-xml, required_elements: [answer.steps.step, answer.final]}", doc).pass()).isTrue();
        assertThat(run("{type: is-xml, required_elements: 'answer.steps.step.1.note, answer.@lang'}", doc).pass()).isTrue();
        assertThat(run("{type: is-xml, required_elements: [answer.steps.step.note]}", doc).pass())
                .as("any repeated sibling may continue the path").isTrue();
        CheckResult r = run("{type: is-xml, required_elements: 'answer.steps.step.0.note, answer.@id, steps, answer.steps.step.2'}",
                doc);
        assertThat(r.pass()).isFalse();
        assertThat(r.reason()).isEqualTo("XML is missing required elements: answer.steps.step.0.note, answer.@id, steps,"
                + " answer.steps.step.2");
        assertThat(run("{type: not-is-xml, required_elements: [answer.missing]}", doc).pass()).isTrue();
    }

    @Test
    void required_elements_must_name_something() {
        assertThatThrownBy(() -> check("{type: is-xml, required_elements: ' , '}")).hasMessage(
                "s.yaml:7:9: cases[0].assert[0].required_elements: 'required_elements' needs at least one dot path"
                        + " (e.g. answer.steps.step)");
        assertThatThrownBy(() -> check("{type: contains-xml, value: x}")).hasMessageContaining("'contains-xml' takes no 'value'");
    }

    @Test
    void contains_xml_finds_an_element_in_prose_and_prefers_the_largest() throws Exception {
        String prose = "Sure! <thinking>hmm</thinking> Here it is:\n```xml\n<answer><city>Paris</city></answer>\n```\nDone.";
        assertThat(run("{type: contains-xml}", prose).reason()).isEqualTo("contains well-formed XML <answer>");
        assertThat(run("{type: contains-xml, required_elements: answer.city}", prose).pass()).isTrue();
        assertThat(run("{type: contains-xml, required_elements: thinking}", prose).pass()).isTrue();
        CheckResult lacking = run("{type: contains-xml, required_elements: answer.country}", prose);
        assertThat(lacking.pass()).isFalse();
        assertThat(lacking.reason()).isEqualTo("no XML element has the required elements; the largest well-formed one,"
                + " <answer> is missing required elements: answer.country");
        assertThat(run("{type: contains-xml}", "<a><b></a> and <c/>").pass()).as("a self-closing tag counts").isTrue();
        assertThat(run("{type: contains-xml}", "no tags here, 3 < 4 > 2").reason())
                .isEqualTo("no XML element in \"no tags here, 3 < 4 > 2\"");
        assertThat(run("{type: contains-xml}", "<a><b></a></b>").reason()).startsWith("no well-formed XML element in");
        assertThat(run("{type: not-contains-xml}", "plain text").pass()).isTrue();
    }

    @Test
    void names_with_colons_need_no_namespace_declaration() throws Exception {
        assertThat(run("{type: is-xml}", "<ns:a/>").pass()).as("namespace-unaware, as promptfoo").isTrue();
        assertThat(run("{type: is-xml, required_elements: [ns:a.x:b]}", "<ns:a><x:b/></ns:a>").pass()).isTrue();
        assertThat(run("{type: contains-xml}", "say <ns:a>1</ns:a>").reason()).isEqualTo("contains well-formed XML <ns:a>");
    }

    @Test
    void an_index_is_a_canonical_whole_number() throws Exception {
        String doc = "<r><i><n>1</n></i><i><n>2</n></i></r>";
        assertThat(run("{type: is-xml, required_elements: [r.i.1.n]}", doc).pass()).isTrue();
        assertThat(run("{type: is-xml, required_elements: [r.i.0.n]}", doc).pass()).isTrue();
        assertThat(run("{type: is-xml, required_elements: [r.i.01.n]}", doc).reason())
                .as("01 is a name, as in promptfoo").isEqualTo("XML is missing required elements: r.i.01.n");
    }

    @Test
    void contains_xml_skips_comments_cdata_and_processing_instructions() throws Exception {
        assertThat(run("{type: contains-xml, required_elements: a.b}", "<a><!-- </a> --><b/></a>").pass()).isTrue();
        assertThat(run("{type: contains-xml, required_elements: a.b}", "<a><![CDATA[</a>]]><b/></a>").pass()).isTrue();
        assertThat(run("{type: contains-xml, required_elements: a.b}", "<a><?pi </a> ?><b/></a>").pass()).isTrue();
        assertThat(ContainsXmlCheck.spans("<a><!-- </a>")).as("an unterminated comment ends the scan").isEmpty();
    }

    @Test
    void depth_and_attribute_limits_are_sondes_own_and_named() throws Exception {
        int depth = XmlDoc.MAX_DEPTH;
        assertThat(run("{type: is-xml}", "<a>".repeat(depth) + "</a>".repeat(depth)).pass())
                .as("the JDK's default of 100 does not apply").isTrue();
        CheckResult deep = run("{type: is-xml}", "<a>".repeat(depth + 1) + "</a>".repeat(depth + 1));
        assertThat(deep.pass()).isFalse();
        assertThat(deep.reason()).contains("over the depth limit: more than 1000 nested elements");
        StringBuilder attrs = new StringBuilder("<a");
        for (int i = 0; i <= XmlDoc.MAX_ATTRIBUTES; i++) {
            attrs.append(" x").append(i).append("='1'");
        }
        CheckResult wide = run("{type: is-xml}", attrs + "/>");
        assertThat(wide.reason()).contains("over the attribute limit: <a> has more than 1000 attributes");
        assertThat(run("{type: is-xml}", attrs.substring(0, attrs.lastIndexOf(" x")) + "/>").pass())
                .as("1000 attributes pass where the JDK's default stops at 200").isTrue();
    }

    @Tag("hostile")
    @Test
    void thousands_of_unbalanced_or_nested_tags_stay_fast() throws Exception {
        long start = System.nanoTime();
        assertThat(run("{type: contains-xml}", "<a>".repeat(10_000)).pass()).isFalse();
        assertThat(run("{type: contains-xml}", "<a>".repeat(10_000) + "</b>".repeat(10_000)).pass()).isFalse();
        assertThat(run("{type: contains-xml, required_elements: x}", "<a>".repeat(5_000) + "</a>".repeat(5_000)).pass())
                .isFalse();
        assertThat(run("{type: contains-xml}", "<a x='".repeat(10_000)).pass()).isFalse();
        assertThat(run("{type: contains-xml}", "<!--".repeat(20_000) + "<?".repeat(20_000)).pass()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(ContainsXmlCheck.spans("<a></a>".repeat(100_000))).hasSize(ContainsXmlCheck.MAX_TAGS / 2);
    }
}
