package dev.sonde.suite;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The suite's {@code compare:} section (model migration): the {@code models[].id} of the model in
 * use today, the candidates that might replace it, the tolerated pass-rate drop in percentage
 * points, how many newly failing cases may stay on the baseline in a "migrate, except", and the
 * traffic to project monthly cost at. The cases run on every model as usual (the normal matrix);
 * the migration room compares them ({@code dev.sonde.migration.Migration}).
 *
 * @param maxPassRateDropPp percentage points, 0–100
 * @param volume the traffic, or {@link Volume#NONE} when the suite gives none
 * @param location where the section stands, for messages
 */
public record CompareSpec(String baseline, List<String> candidates, double maxPassRateDropPp, int maxExceptedCases,
        Volume volume, Location location) {

    /** Default of {@code max_pass_rate_drop_pp}: a 95 % CI lower bound below −5 pp is a real risk. */
    public static final double DEFAULT_MAX_PASS_RATE_DROP_PP = 5.0;
    /** Default of {@code max_excepted_cases}: at most two cases kept on the baseline model. */
    public static final int DEFAULT_MAX_EXCEPTED_CASES = 2;

    public CompareSpec {
        candidates = List.copyOf(candidates);
    }

    /**
     * Traffic for the monthly projection: either {@code requestsPerMonth} spread evenly over the
     * cases, or {@code perCase} requests per month by case id (cases not listed weigh 0).
     */
    public record Volume(Double requestsPerMonth, Map<String, Double> perCase) {
        public static final Volume NONE = new Volume(null, Map.of());

        public Volume {
            perCase = perCase == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(perCase));
        }

        /** {@code requests_per_month}, {@code per_case} or {@code none}: which basis a projection used. */
        public String basis() {
            return requestsPerMonth != null ? "requests_per_month" : perCase.isEmpty() ? "none" : "per_case";
        }
    }

    /** Binds and checks {@code compare:} against the suite's model labels and case ids; null when absent. */
    static CompareSpec bind(Path file, JsonNode root, Collection<String> modelIds, Collection<String> caseIds)
            throws SuiteException {
        JsonNode c = root.get("compare");
        if (c == null) {
            return null;
        }
        if (root.has("load")) {
            throw new SuiteException(SuiteLoader.locate(file, c), "compare",
                    "a load: benchmark journals no trials to compare; run the comparison as a plain suite");
        }
        String baseline = c.get("baseline").asText();
        if (!modelIds.contains(baseline)) {
            throw new SuiteException(SuiteLoader.locate(file, c.get("baseline")), "compare.baseline",
                    "no model with id '" + baseline + "' (models: " + String.join(", ", modelIds) + ")");
        }
        Set<String> candidates = new LinkedHashSet<>();
        for (int i = 0; i < c.get("candidates").size(); i++) {
            JsonNode n = c.get("candidates").get(i);
            String id = n.asText();
            String field = "compare.candidates[" + i + "]";
            if (!modelIds.contains(id)) {
                throw new SuiteException(SuiteLoader.locate(file, n), field,
                        "no model with id '" + id + "' (models: " + String.join(", ", modelIds) + ")");
            }
            if (id.equals(baseline)) {
                throw new SuiteException(SuiteLoader.locate(file, n), field,
                        "'" + id + "' is the baseline; a candidate is another model");
            }
            if (!candidates.add(id)) {
                throw new SuiteException(SuiteLoader.locate(file, n), field, "'" + id + "' is listed twice");
            }
        }
        Volume volume = Volume.NONE;
        JsonNode v = c.get("volume");
        if (v != null && v.has("requests_per_month")) {
            volume = new Volume(v.get("requests_per_month").asDouble(), Map.of());
        } else if (v != null && v.has("per_case")) {
            Map<String, Double> perCase = new LinkedHashMap<>();
            List<String> names = new ArrayList<>();
            v.get("per_case").fieldNames().forEachRemaining(names::add);
            for (String id : names) {
                JsonNode w = v.get("per_case").get(id);
                if (!caseIds.contains(id)) {
                    throw new SuiteException(SuiteLoader.locate(file, w), "compare.volume.per_case." + id,
                            "no case with id '" + id + "'" + Suggest.closest(id, caseIds)
                                    .map(s -> " (did you mean '" + s + "'?)").orElse(""));
                }
                perCase.put(id, w.asDouble());
            }
            if (perCase.values().stream().allMatch(x -> x == 0)) {
                throw new SuiteException(SuiteLoader.locate(file, v.get("per_case")), "compare.volume.per_case",
                        "every weight is 0: give at least one case some requests per month");
            }
            volume = new Volume(null, perCase);
        }
        return new CompareSpec(baseline, List.copyOf(candidates),
                c.path("max_pass_rate_drop_pp").asDouble(DEFAULT_MAX_PASS_RATE_DROP_PP),
                c.path("max_excepted_cases").asInt(DEFAULT_MAX_EXCEPTED_CASES), volume, SuiteLoader.locate(file, c));
    }
}
