package dev.sonde.suite;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.RuntimeJsonMappingException;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.sonde.metrics.BoundedFiles;
import dev.sonde.metrics.Yaml;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Rows for dataset-driven cases ({@code cases_from:}): a CSV file with a header row (values are
 * text), or JSONL (one JSON object per line; values keep their JSON shape, so a list can drive a
 * template section — see {@link Templates#value}). Each row becomes the vars of one case. Errors
 * (a CSV row with more cells than the header, a line that is not one JSON object) are one line at
 * the suite position of {@code cases_from}, naming {@code dataset-file:line} and the problem.
 *
 * <p>Only a regular file of at most {@value #MAX_DATASET_BYTES} bytes is read (checked before
 * reading, and never read further), and no line may pass {@value #MAX_LINE_BYTES} bytes: rows are
 * streamed, so a device, a pipe, a sparse file of gigabytes or a line without end is one line of
 * error instead of an OutOfMemoryError or a hang. A cell or value may be as long as a line.
 */
final class Datasets {
    /** The largest dataset read: its rows are held for the run, so this is memory the run keeps. */
    static final long MAX_DATASET_BYTES = 1L << 30;
    /** The longest line (a JSONL row, a CSV record's line): a suite file's limit; a request cannot carry more than 32 MB. */
    static final long MAX_LINE_BYTES = Yaml.MAX_DOCUMENT_CHARS;
    private static final CsvMapper CSV = CsvMapper.builder(CsvFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Yaml.MAX_DOCUMENT_CHARS).build())
            .build()).build();

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
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        try (InputStream in = BoundedFiles.open(file, MAX_DATASET_BYTES, MAX_LINE_BYTES)) {
            int rows = name.endsWith(".jsonl") || name.endsWith(".ndjson") ? jsonl(in, file, at, field, sink)
                    : csv(in, file, at, field, sink);
            if (rows == 0) {
                throw new SuiteException(at, field, file + " has no rows");
            }
        } catch (NoSuchFileException e) {
            throw new SuiteException(at, field, "no such dataset file: " + file);
        } catch (BoundedFiles.Refused e) {
            throw new SuiteException(at, field, e.getMessage());
        } catch (CharacterCodingException e) {
            throw new SuiteException(at, field, file + ": not UTF-8 text");
        } catch (IOException e) {
            String why = e.getMessage() == null ? "unreadable" : e.getMessage().lines().findFirst().orElse("unreadable");
            throw new SuiteException(at, field, file + ": " + why);
        }
    }

    /** Rows of a CSV file; Jackson decodes its bytes (a byte-order mark is skipped). */
    private static int csv(InputStream in, Path file, Location at, String field, RowSink sink)
            throws IOException, SuiteException {
        int rows = 0;
        try (MappingIterator<Map<String, Object>> it = CSV.readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(in)) {
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
                } catch (RuntimeException e) {
                    if (e.getCause() instanceof IOException io) {
                        throw io; // the iterator wraps what the file's stream raised (a line past its limit)
                    }
                    throw e;
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

    private static int jsonl(InputStream bytes, Path file, Location at, String field, RowSink sink)
            throws IOException, SuiteException {
        int rows = 0;
        // strict UTF-8: a byte that is not UTF-8 is an error, never a replacement character in a prompt
        try (BufferedReader in = new BufferedReader(new InputStreamReader(bytes, StandardCharsets.UTF_8.newDecoder()))) {
            String line;
            for (int i = 0; (line = in.readLine()) != null; i++) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode row;
                try {
                    row = Templates.PLAIN.readTree(line);
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
