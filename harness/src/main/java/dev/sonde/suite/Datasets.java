package dev.sonde.suite;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.RuntimeJsonMappingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Rows for dataset-driven cases ({@code cases_from:}): a CSV file with a header row (values are
 * text), or JSONL (one JSON object per line; values keep their JSON shape, so a list can drive a
 * template section — see {@link Templates#value}). Each row becomes the vars of one case. Errors
 * (a CSV row with more cells than the header, a line that is not one JSON object) are one line at
 * the suite position of {@code cases_from}, naming {@code dataset-file:line} and the problem.
 */
final class Datasets {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Datasets() {}

    /** Takes the rows of a dataset one at a time, in file order. */
    @FunctionalInterface
    interface RowSink {
        /** Row {@code r} (0-based) of the file. */
        void accept(int r, Map<String, Object> row) throws SuiteException;
    }

    /**
     * Hands each row of {@code file} to {@code sink} as it is read, so a 100,000-row file is never
     * held as 100,000 maps at once.
     */
    static void forEach(Path file, Location at, String field, RowSink sink) throws SuiteException {
        if (!Files.isRegularFile(file)) {
            throw new SuiteException(at, field, "no such dataset file: " + file);
        }
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        try {
            int rows = name.endsWith(".jsonl") || name.endsWith(".ndjson") ? jsonl(file, at, field, sink)
                    : csv(file, at, field, sink);
            if (rows == 0) {
                throw new SuiteException(at, field, file + " has no rows");
            }
        } catch (IOException e) {
            throw new SuiteException(at, field, file + ": " + e.getMessage().lines().findFirst().orElse("unreadable"));
        }
    }

    private static int csv(Path file, Location at, String field, RowSink sink) throws IOException, SuiteException {
        CsvMapper mapper = new CsvMapper();
        int rows = 0;
        try (MappingIterator<Map<String, Object>> it = mapper.readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(file.toFile())) {
            while (true) {
                Map<String, Object> row;
                try {
                    if (!it.hasNext()) {
                        break;
                    }
                    row = new LinkedHashMap<>(it.next());
                } catch (RuntimeJsonMappingException e) {
                    throw rowError(file, at, field, e.getCause() instanceof JsonProcessingException p ? p : null,
                            it.getCurrentLocation(), e.getMessage());
                }
                sink.accept(rows++, row);
            }
        } catch (JsonProcessingException e) {
            throw rowError(file, at, field, e, e.getLocation(), e.getOriginalMessage());
        }
        return rows;
    }

    /**
     * One line naming the dataset file, the line the parser was on and its problem (Jackson's
     * first line, without its own source position).
     */
    private static SuiteException rowError(Path file, Location at, String field, JsonProcessingException cause,
            JsonLocation where, String fallback) {
        JsonLocation loc = cause != null && cause.getLocation() != null ? cause.getLocation() : where;
        String message = cause != null ? cause.getOriginalMessage() : fallback;
        String problem = (message == null ? "unreadable row" : message).lines().findFirst().orElse("unreadable row").strip();
        return new SuiteException(at, field, file + (loc != null && loc.getLineNr() > 0 ? ":" + loc.getLineNr() : "")
                + ": " + problem);
    }

    private static int jsonl(Path file, Location at, String field, RowSink sink) throws IOException, SuiteException {
        int rows = 0;
        try (java.io.BufferedReader in = Files.newBufferedReader(file)) {
            String line;
            for (int i = 0; (line = in.readLine()) != null; i++) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode row;
                try {
                    row = JSON.readTree(line);
                } catch (JsonProcessingException e) {
                    String problem = e.getOriginalMessage().lines().findFirst().orElse("not JSON").strip();
                    throw new SuiteException(at, field, file + ":" + (i + 1) + ": not a JSON object: " + problem);
                }
                if (row == null || !row.isObject()) {
                    throw new SuiteException(at, field, file + ":" + (i + 1) + ": a row is one JSON object");
                }
                Map<String, Object> vars = new LinkedHashMap<>();
                row.fields().forEachRemaining(f -> vars.put(f.getKey(), Templates.value(f.getValue())));
                sink.accept(rows++, vars);
            }
        }
        return rows;
    }
}
