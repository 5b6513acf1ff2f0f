package dev.sonde.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sonde.run.RunResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class JunitXmlTest {
    @TempDir
    Path dir;

    private Path file;
    private Document doc;

    @BeforeEach
    void write() throws Exception {
        RunResult run = ReportFixture.run(dir, false);
        file = JunitXml.write(run, "fail", run.outDir().resolve(JunitXml.FILE));
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        doc = f.newDocumentBuilder().parse(file.toFile());
    }

    @Test
    void testsuite_counts_match_the_journal() {
        Element suite = doc.getDocumentElement();
        assertThat(suite.getTagName()).isEqualTo("testsuite");
        assertThat(suite.getAttribute("name")).isEqualTo("regression");
        assertThat(suite.getAttribute("tests")).isEqualTo(String.valueOf(ReportFixture.TRIALS));
        assertThat(suite.getAttribute("failures")).isEqualTo(String.valueOf(ReportFixture.FAILED));
        assertThat(suite.getAttribute("errors")).isEqualTo(String.valueOf(ReportFixture.ERRORED));
        assertThat(suite.getAttribute("skipped")).isEqualTo("0");
        assertThat(suite.getAttribute("time")).isEqualTo("12.345");
        assertThat(suite.getAttribute("timestamp")).isEqualTo("2026-11-03T10:15:30");
        assertThat(doc.getElementsByTagName("testcase").getLength()).isEqualTo(ReportFixture.TRIALS);
        assertThat(doc.getElementsByTagName("failure").getLength()).isEqualTo(ReportFixture.FAILED);
        assertThat(doc.getElementsByTagName("error").getLength()).isEqualTo(ReportFixture.ERRORED);
    }

    @Test
    void testcase_is_named_by_trial_with_model_classname_and_e2e_seconds() {
        Element first = testcases().get(0);
        assertThat(first.getAttribute("name")).isEqualTo("greet [sonnet]");
        assertThat(first.getAttribute("classname")).isEqualTo("sonde.regression.sonnet");
        assertThat(first.getAttribute("time")).isEqualTo("0.900");
        assertThat(testcases().get(4).getAttribute("name")).isEqualTo("greet [sonnet] #2");
        assertThat(testcases().get(3).getAttribute("time")).isEqualTo("0.000");
    }

    @Test
    void failed_checks_become_a_failure_listing_every_failed_reason() {
        Element failure = (Element) testcases().get(2).getElementsByTagName("failure").item(0);
        assertThat(failure.getAttribute("type")).isEqualTo("check");
        assertThat(failure.getAttribute("message"))
                .contains("contains: expected \"summary\" | not found <b>bold</b>")
                .contains("llm_rubric: score 0.40 below 0.7")
                .doesNotContain("max_tokens");
        assertThat(failure.getTextContent())
                .contains("contains: expected \"summary\" | not found <b>bold</b>\n")
                .contains("llm_rubric: score 0.40 below 0.7\nsecond reason line");
    }

    @Test
    void errored_exchange_becomes_an_error_typed_by_its_class() {
        Element testcase = testcases().get(3);
        assertThat(testcase.getElementsByTagName("failure").getLength()).isZero();
        Element error = (Element) testcase.getElementsByTagName("error").item(0);
        assertThat(error.getAttribute("type")).isEqualTo("rate_limited");
        assertThat(error.getAttribute("message"))
                .isEqualTo("rate_limited (429 rate_limit_error): Too many requests & slow down");
        assertThat(error.getTextContent()).contains("attempts: 3");
    }

    @Test
    void output_text_is_escaped_and_illegal_control_characters_are_replaced() throws Exception {
        String raw = Files.readString(file, StandardCharsets.UTF_8);
        assertThat(raw).doesNotContain("<script>").contains("&lt;script").doesNotContain("\u0001");
        String out = testcases().get(2).getElementsByTagName("system-out").item(0).getTextContent();
        assertThat(out).contains("request_id: req_summarizedoc-sonnet-0")
                .contains("<script>document.title='PWNED';")
                .contains("Tom & \"Jerry\" 'x' | a|b\nsecond line\uFFFD after-control");
    }

    @Test
    void passing_testcase_has_no_failure_or_error() {
        Element first = testcases().get(0);
        assertThat(first.getElementsByTagName("failure").getLength()).isZero();
        assertThat(first.getElementsByTagName("error").getLength()).isZero();
        assertThat(first.getElementsByTagName("system-out").item(0).getTextContent()).contains("Hello there!");
    }

    private List<Element> testcases() {
        NodeList nodes = doc.getElementsByTagName("testcase");
        List<Element> list = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            list.add((Element) nodes.item(i));
        }
        return list;
    }
}
