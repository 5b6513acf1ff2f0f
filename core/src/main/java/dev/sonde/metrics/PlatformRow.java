package dev.sonde.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One row of a platform's list in pricing.yaml's {@code platforms:}: which models, regions and
 * endpoint kind it covers, and what they cost there. Immutable.
 *
 * @param models Anthropic model ids (a snapshot id matches its base id too); empty = every model
 * @param regions the price key's region segment; empty = every region
 * @param endpoint {@code global}, {@code regional} or null for both ({@link PriceKey#globalEndpoint})
 * @param multiplier times the model's base price (when {@code price} is null)
 * @param price this row's own price, replacing the base price; null to apply {@code multiplier}
 */
record PlatformRow(Set<String> models, Set<String> regions, String endpoint, double multiplier, ModelPrice price) {
    /** A multiplier beyond this is a typo (10 for 1.10), not a platform's surcharge. */
    private static final double MAX_MULTIPLIER = 10;
    private static final Set<String> FIELDS = Set.of("models", "regions", "endpoint", "multiplier", "input", "output");

    boolean matches(String id, String undatedId, String region, boolean globalEndpoint) {
        return (models.isEmpty() || models.contains(id) || models.contains(undatedId))
                && (regions.isEmpty() || regions.contains(region == null ? "-" : region))
                && (endpoint == null || endpoint.equals(globalEndpoint ? "global" : "regional"));
    }

    Optional<ModelPrice> applyTo(Optional<ModelPrice> base) {
        if (price != null) {
            return Optional.of(price);
        }
        return base.map(p -> new ModelPrice(times(p.inputPerMTok()), times(p.outputPerMTok())));
    }

    /**
     * {@code usdPerMTok × multiplier} as the decimal product, so 3 × 1.1 is 3.3 in run.json and every
     * report, not the binary product's {@code 3.3000000000000003}.
     */
    private double times(double usdPerMTok) {
        return BigDecimal.valueOf(usdPerMTok).multiply(BigDecimal.valueOf(multiplier)).doubleValue();
    }

    /**
     * Every platform's rows: {@code node}'s (a file's {@code platforms:}) before {@code base}'s, so a
     * user file's row wins where it matches and the shipped rows price the rest.
     *
     * @throws IllegalArgumentException one line naming {@code source} and the key
     */
    static Map<String, List<PlatformRow>> parseAll(JsonNode node, String source, Map<String, List<PlatformRow>> base) {
        Map<String, List<PlatformRow>> all = new LinkedHashMap<>(base);
        if (node.isMissingNode() || node.isNull()) {
            return all;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException(source + ": platforms is a mapping of platform name to a list of rows");
        }
        node.fields().forEachRemaining(e -> {
            String where = "platforms." + e.getKey();
            if (!PriceKey.PLATFORMS.contains(e.getKey())) {
                throw new IllegalArgumentException(source + ": " + where + ": unknown platform (known: "
                        + String.join(", ", new TreeSet<>(PriceKey.PLATFORMS)) + ")");
            }
            if (!e.getValue().isArray()) {
                throw new IllegalArgumentException(source + ": " + where + " is a list of rows");
            }
            List<PlatformRow> rows = new ArrayList<>();
            for (int i = 0; i < e.getValue().size(); i++) {
                rows.add(parse(e.getValue().get(i), source, where + "[" + i + "]"));
            }
            rows.addAll(base.getOrDefault(e.getKey(), List.of()));
            all.put(e.getKey(), List.copyOf(rows));
        });
        return all;
    }

    private static PlatformRow parse(JsonNode row, String source, String where) {
        if (!row.isObject()) {
            throw new IllegalArgumentException(source + ": " + where + " is a mapping (models, regions, endpoint,"
                    + " multiplier or input and output)");
        }
        row.fieldNames().forEachRemaining(f -> {
            if (!FIELDS.contains(f)) {
                throw new IllegalArgumentException(source + ": " + where + "." + f + ": unknown key (known: "
                        + String.join(", ", new TreeSet<>(FIELDS)) + ")");
            }
        });
        String endpoint = null;
        if (row.has("endpoint")) {
            endpoint = row.get("endpoint").asText();
            if (!row.get("endpoint").isTextual() || !Set.of("global", "regional").contains(endpoint)) {
                throw new IllegalArgumentException(source + ": " + where + ".endpoint must be global or regional");
            }
        }
        boolean hasPrice = row.has("input") || row.has("output");
        if (hasPrice && row.has("multiplier")) {
            throw new IllegalArgumentException(source + ": " + where + ": give either multiplier or input and output,"
                    + " not both");
        }
        ModelPrice price = null;
        if (hasPrice) {
            price = new ModelPrice(number(row, "input", source, where), number(row, "output", source, where));
        }
        double multiplier = row.has("multiplier") ? number(row, "multiplier", source, where) : 1.0;
        if (multiplier > MAX_MULTIPLIER) {
            throw new IllegalArgumentException(source + ": " + where + ".multiplier " + multiplier + " is above "
                    + (int) MAX_MULTIPLIER + " (a surcharge of 10 % is 1.1): give the price itself as input and output");
        }
        return new PlatformRow(strings(row, "models", source, where), strings(row, "regions", source, where), endpoint,
                multiplier, price);
    }

    private static double number(JsonNode row, String field, String source, String where) {
        JsonNode n = row.path(field);
        if (!n.isNumber() || !Double.isFinite(n.asDouble()) || n.asDouble() < 0) {
            throw new IllegalArgumentException(source + ": " + where + "." + field
                    + " needs a non-negative number" + ("multiplier".equals(field) ? "" : " (USD per MTok)"));
        }
        return n.asDouble();
    }

    private static Set<String> strings(JsonNode row, String field, String source, String where) {
        JsonNode n = row.path(field);
        if (n.isMissingNode()) {
            return Set.of();
        }
        if (!n.isArray() || n.isEmpty()) {
            throw new IllegalArgumentException(source + ": " + where + "." + field
                    + " needs a non-empty list of strings (leave it out to cover every one)");
        }
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode s : n) {
            if (!s.isTextual() || s.asText().isBlank()) {
                throw new IllegalArgumentException(source + ": " + where + "." + field + " needs a list of strings");
            }
            out.add(s.asText());
        }
        return Set.copyOf(out);
    }
}
