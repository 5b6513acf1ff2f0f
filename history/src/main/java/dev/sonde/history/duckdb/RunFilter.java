package dev.sonde.history.duckdb;

import dev.sonde.history.HistoryException;
import dev.sonde.history.RunQuery;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A {@link RunQuery} as SQL: one condition on a run id column, {@code <column> IN (SELECT run_id FROM
 * runs WHERE … ORDER BY started_at DESC, run_id DESC LIMIT ?)}, with every value a {@code ?}
 * parameter, never text in the statement. The subquery picks the runs, so the condition can stand
 * in a join whose other tables share column names ({@code trials.started_at}) and {@code last}
 * means the newest runs of those that match. Stateless.
 */
final class RunFilter {
    private static final Pattern COMMIT_PREFIX = Pattern.compile("[0-9a-fA-F]{4,40}");

    private RunFilter() {}

    /**
     * The condition and its parameters in order; bind them with {@link #bind}.
     *
     * @param sql {@code TRUE} when the query picks every run
     */
    record Where(String sql, List<Object> parameters) {
        /**
         * Binds the parameters from position {@code first}.
         *
         * @return the position after the last one bound
         */
        int bind(PreparedStatement p, int first) throws SQLException {
            int i = first;
            for (Object value : parameters) {
                p.setObject(i++, value);
            }
            return i;
        }
    }

    /**
     * {@code query} as a condition on {@code runIdColumn} (e.g. {@code t.run_id}).
     *
     * @throws HistoryException the commit is not a prefix of 4 to 40 hex digits (one line)
     */
    static Where where(RunQuery query, String runIdColumn) throws HistoryException {
        List<String> conditions = new ArrayList<>();
        List<Object> parameters = new ArrayList<>();
        if (query.suite() != null) {
            conditions.add("suite = ?");
            parameters.add(query.suite());
        }
        if (query.verdict() != null) {
            conditions.add("verdict = ?");
            parameters.add(query.verdict());
        }
        if (query.commit() != null) {
            if (!COMMIT_PREFIX.matcher(query.commit()).matches()) {
                throw new HistoryException("history: a commit is 4 to 40 hex digits (a prefix of git's id), not '"
                        + query.commit() + "'");
            }
            conditions.add("starts_with(git_commit, ?)");
            parameters.add(query.commit().toLowerCase(Locale.ROOT));
        }
        if (query.since() != null) {
            conditions.add("started_at >= ?");
            parameters.add(LocalDateTime.ofInstant(query.since(), ZoneOffset.UTC));
        }
        if (conditions.isEmpty() && query.last() == 0) {
            return new Where("TRUE", List.of());
        }
        StringBuilder sql = new StringBuilder(runIdColumn).append(" IN (SELECT run_id FROM runs");
        if (!conditions.isEmpty()) {
            sql.append(" WHERE ").append(String.join(" AND ", conditions));
        }
        if (query.last() > 0) {
            sql.append(" ORDER BY started_at DESC, run_id DESC LIMIT ?");
            parameters.add(query.last());
        }
        return new Where(sql.append(')').toString(), List.copyOf(parameters));
    }
}
