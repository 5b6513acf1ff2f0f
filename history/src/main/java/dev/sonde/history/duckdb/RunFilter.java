package dev.sonde.history.duckdb;

import dev.sonde.analysis.RunVerdict;
import dev.sonde.history.HistoryException;
import dev.sonde.history.RunQuery;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A {@link RunQuery} as SQL over the {@code runs} table: the conditions with {@code ?} marks and the
 * values to bind to them, never a value in the text. The newest {@code last} runs are the first
 * {@code last} by {@code started_at} descending (a run without a start counts as the oldest), ties
 * broken by run id, so the same store always picks the same runs. Stateless.
 */
final class RunFilter {
    private static final Pattern HEX_PREFIX = Pattern.compile("[0-9a-fA-F]{4,64}");
    private static final List<String> VERDICTS = Arrays.stream(RunVerdict.values()).map(RunVerdict::wire).toList();

    /** Newest first, for picking the last runs; {@code alias} is {@code ""} or a table alias with its dot. */
    static String newestFirst(String alias) {
        return alias + "started_at DESC NULLS LAST, " + alias + "run_id DESC";
    }

    /** Oldest first, the order every read returns runs in: the reverse of {@link #newestFirst}. */
    static String oldestFirst(String alias) {
        return alias + "started_at ASC NULLS FIRST, " + alias + "run_id ASC";
    }

    private RunFilter() {}

    /**
     * SQL text and the values of its {@code ?} marks, in order.
     *
     * @param sql conditions on unqualified {@code runs} columns, {@code ""} when nothing filters, else
     *     beginning with {@code " WHERE "}
     */
    record Where(String sql, List<Object> parameters) {
        Where {
            parameters = List.copyOf(parameters);
        }

        /** Binds the parameters to {@code p} from mark {@code first} on; returns the next free mark. */
        int bind(PreparedStatement p, int first) throws SQLException {
            int i = first;
            for (Object v : parameters) {
                switch (v) {
                    case Instant t -> p.setObject(i++, LocalDateTime.ofInstant(t, ZoneOffset.UTC));
                    default -> p.setObject(i++, v);
                }
            }
            return i;
        }
    }

    /**
     * The conditions of {@code query} but {@code last}.
     *
     * @throws HistoryException a commit that is not a prefix of at least 4 hex digits, or a verdict
     *     Sonde never writes (one line)
     */
    static Where where(RunQuery query) throws HistoryException {
        List<String> conditions = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        if (query.suite() != null) {
            conditions.add("suite = ?");
            values.add(query.suite());
        }
        if (query.verdict() != null) {
            String verdict = query.verdict().toLowerCase(Locale.ROOT);
            if (!VERDICTS.contains(verdict)) {
                throw new HistoryException("history: a run's verdict is one of " + String.join(", ", VERDICTS)
                        + ", not '" + query.verdict() + "'");
            }
            conditions.add("verdict = ?");
            values.add(verdict);
        }
        if (query.commit() != null) {
            if (!HEX_PREFIX.matcher(query.commit()).matches()) {
                throw new HistoryException("history: a commit is given by at least 4 of its hex digits, not '"
                        + query.commit() + "'");
            }
            conditions.add("starts_with(git_commit, ?)");
            values.add(query.commit().toLowerCase(Locale.ROOT));
        }
        if (query.since() != null) {
            conditions.add("started_at >= ?");
            values.add(query.since());
        }
        return new Where(conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions), values);
    }

    /** The ids of the runs {@code query} picks, {@code last} included, as a sub-query ({@code SELECT run_id …}). */
    static Where picked(RunQuery query) throws HistoryException {
        Where where = where(query);
        String sql = "SELECT run_id FROM runs" + where.sql() + " ORDER BY " + newestFirst("");
        if (query.last() == 0) {
            return new Where(sql, where.parameters());
        }
        List<Object> values = new ArrayList<>(where.parameters());
        values.add(query.last());
        return new Where(sql + " LIMIT ?", values);
    }

    /**
     * {@code query} as one condition on a run id column ({@code t.run_id}): {@code TRUE} when it picks
     * every run, else {@code <column> IN (}{@link #picked}{@code )}, so it can stand in a join whose
     * other tables share column names and {@code last} means the newest of the runs that match.
     */
    static Where in(RunQuery query, String runIdColumn) throws HistoryException {
        if (query.equals(RunQuery.ALL)) {
            return new Where("TRUE", List.of());
        }
        Where picked = picked(query);
        return new Where(runIdColumn + " IN (" + picked.sql() + ")", picked.parameters());
    }
}
