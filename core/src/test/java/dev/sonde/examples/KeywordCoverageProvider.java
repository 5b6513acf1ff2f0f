package dev.sonde.examples;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.api.Exchange;
import dev.sonde.check.Check;
import dev.sonde.check.CheckProvider;
import dev.sonde.check.CheckResult;
import dev.sonde.suite.AssertSpec;
import dev.sonde.suite.SuiteException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The README's example of a custom check, registered by
 * {@code src/test/resources/META-INF/services/dev.sonde.check.CheckProvider}: {@code keyword-coverage}
 * scores the share of {@code value}'s keywords the answer contains (case-insensitive) and passes
 * when it contains them all; a {@code threshold} lowers the bar (the registry applies it).
 */
public final class KeywordCoverageProvider implements CheckProvider {

    @Override
    public String type() {
        return "keyword-coverage";
    }

    @Override
    public Set<String> parameters() {
        return Set.of("value");
    }

    @Override
    public Check create(AssertSpec spec) throws SuiteException {
        JsonNode value = spec.config().get("value");
        if (value == null || !value.isArray() || value.isEmpty()) {
            throw new SuiteException(spec.location(), spec.field() + ".value",
                    "'keyword-coverage' needs a 'value': a non-empty list of keywords");
        }
        List<String> keywords = new ArrayList<>();
        value.forEach(v -> keywords.add(v.asText().toLowerCase(Locale.ROOT)));
        return new KeywordCoverage(List.copyOf(keywords));
    }

    /** The check itself: a pure function of the answer's text. */
    private record KeywordCoverage(List<String> keywords) implements Check {
        @Override
        public String type() {
            return "keyword-coverage";
        }

        @Override
        public CheckResult evaluate(Exchange exchange, Double costUsd) {
            String text = exchange.text().toLowerCase(Locale.ROOT);
            List<String> missing = keywords.stream().filter(k -> !text.contains(k)).toList();
            double score = 1 - (double) missing.size() / keywords.size();
            return new CheckResult(type(), missing.isEmpty(), missing.isEmpty() ? "all " + keywords.size()
                    + " keywords present" : "missing " + String.join(", ", missing), score);
        }
    }
}
