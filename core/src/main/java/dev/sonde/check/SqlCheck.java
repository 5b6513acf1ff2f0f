package dev.sonde.check;

import dev.sonde.api.Exchange;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.Statements;
import net.sf.jsqlparser.statement.select.AllColumns;
import net.sf.jsqlparser.statement.select.AllTableColumns;
import net.sf.jsqlparser.util.TablesNamesFinder;

/**
 * {@code is-sql} and {@code contains-sql}: the output (for {@code contains-sql}, the first Markdown
 * fence whose language is {@code sql} or empty, else the whole output) parses as one or more SQL
 * statements by JSqlParser, and reads only {@code allowed_tables} and {@code allowed_columns} when
 * those are given. One grammar serves every dialect; a {@code dialect} only switches the parser
 * features that dialect needs ({@link #DIALECTS}), so dialect edge cases differ from promptfoo's
 * node-sql-parser. Model output is hostile: at most {@value #MAX_CHARS} characters are parsed, and a
 * parse gets {@value #TIMEOUT_MILLIS} ms (JSqlParser's own timeout) before it fails. Names compare
 * without case or quotes; a table matches an entry by its full name only ({@code users} does not
 * allow {@code secret.users}); {@code *}
 * reads every column, so it fails an {@code allowed_columns} list. Immutable.
 */
final class SqlCheck implements Check {
    static final int MAX_CHARS = 100_000;
    static final long TIMEOUT_MILLIS = 2_000;
    /** promptfoo's databaseType names (lower-cased) and the JSqlParser features each switches on. */
    static final Map<String, Consumer<CCJSqlParser>> DIALECTS = dialects();
    static final String PARSER_THREAD = "sonde-sql-parse";
    private static final ThreadFactory PARSER_THREADS = task -> {
        Thread t = new Thread(task, PARSER_THREAD);
        t.setDaemon(true);
        return t;
    };
    /**
     * Parenthesis nesting JSqlParser 5.3's fast grammar reads; deeper SQL fails its parse, and its complex
     * grammar (exponential in nesting: seconds at depth 10) is no way out, so a failure this deep says so.
     */
    static final int PARSED_NESTING = 16;

    private final String type;
    private final String dialect;
    private final Set<String> tables;
    private final Set<String> columns;

    /**
     * @param dialect a key of {@link #DIALECTS}
     * @param tables allowed tables, or null for any
     * @param columns allowed columns, or null for any
     */
    SqlCheck(boolean contains, String dialect, List<String> tables, List<String> columns) {
        this.type = contains ? "contains-sql" : "is-sql";
        this.dialect = dialect;
        this.tables = tables == null ? null : normalised(tables);
        this.columns = columns == null ? null : normalised(columns);
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public CheckResult evaluate(Exchange exchange, Double costUsd) {
        String sql = exchange.text();
        if (type.equals("contains-sql")) {
            String fenced = sqlFence(sql);
            sql = fenced == null ? sql : fenced;
        }
        sql = sql.strip();
        if (sql.isEmpty()) {
            return CheckResult.fail(type, "no SQL: the output is empty");
        }
        if (sql.length() > MAX_CHARS) {
            return CheckResult.fail(type, "SQL of " + sql.length() + " characters is over the " + MAX_CHARS
                    + " parsed");
        }
        Statements parsed = null;
        Exception failure = null;
        // JSqlParser's own executor is left running when a parse fails (shutdown is skipped), a
        // non-daemon thread per failed answer; ours is a daemon and always shut down, a runaway
        // parse interrupted.
        ExecutorService executor = Executors.newSingleThreadExecutor(PARSER_THREADS);
        try {
            for (boolean complex : new boolean[] {false, true}) {
                try {
                    parsed = parse(sql, executor, complex);
                    failure = null;
                } catch (JSQLParserException | RuntimeException e) {
                    failure = e;
                }
                // As JSqlParser's parseStatements(String, …): the complex grammar only after the fast one
                // threw, and only for shallow nesting. That method also swallows the fast grammar's error
                // and returns no statements; calling the parser directly keeps the error for the reason.
                if (failure == null || timedOut(failure)
                        || CCJSqlParserUtil.getNestingDepth(sql) > CCJSqlParserUtil.ALLOWED_NESTING_DEPTH) {
                    break;
                }
            }
        } finally {
            executor.shutdownNow();
        }
        if (failure != null) {
            int depth = CCJSqlParserUtil.getNestingDepth(sql);
            String why = timedOut(failure) ? "parsing took over " + TIMEOUT_MILLIS + " ms"
                    : firstLine(failure.getMessage()) + (depth > PARSED_NESTING ? "; parentheses nest " + depth
                            + " deep, and JSqlParser reads at most " + PARSED_NESTING : "");
            return CheckResult.fail(type, "not valid " + dialect + " SQL (" + why + "): " + Excerpt.of(sql));
        }
        if (parsed == null || parsed.isEmpty()) {
            return CheckResult.fail(type, "JSqlParser found no statement in " + Excerpt.of(sql));
        }
        Names names = new Names();
        for (Statement s : parsed) {
            names.collect(s);
        }
        List<String> badTables = outside(names.tables, tables);
        List<String> badColumns = outside(names.columns, columns);
        if (!badTables.isEmpty() || !badColumns.isEmpty()) {
            List<String> problems = new ArrayList<>();
            if (!badTables.isEmpty()) {
                problems.add("tables not allowed: " + String.join(", ", badTables));
            }
            if (!badColumns.isEmpty()) {
                problems.add("columns not allowed: " + String.join(", ", badColumns));
            }
            return CheckResult.fail(type, "valid " + dialect + " SQL, but " + String.join("; ", problems));
        }
        return CheckResult.pass(type, "valid " + dialect + " SQL (" + parsed.size() + " statement"
                + (parsed.size() == 1 ? "" : "s") + ")" + (tables == null && columns == null ? ""
                        : ", within the allowed " + (tables != null && columns != null ? "tables and columns"
                                : tables != null ? "tables" : "columns")));
    }

    private static boolean timedOut(Exception failure) {
        return failure != null && failure.getCause() instanceof TimeoutException;
    }

    /**
     * JSqlParser's statements, with its fast grammar (which may return none for deep nesting) or its
     * complex one. Throws what the parser found wrong (JSqlParser's {@code parseStatements(String, …)}
     * would swallow it and return no statements).
     */
    private Statements parse(String sql, ExecutorService executor, boolean complex) throws JSQLParserException {
        CCJSqlParser parser = CCJSqlParserUtil.newParser(sql).withTimeOut(TIMEOUT_MILLIS)
                .withAllowComplexParsing(complex);
        DIALECTS.get(dialect).accept(parser);
        return CCJSqlParserUtil.parseStatements(parser, executor);
    }

    /**
     * The body of the first Markdown fence whose language is {@code sql} or empty, or null. One pass
     * with {@code indexOf}, so a text of many backticks costs linear time.
     */
    static String sqlFence(String text) {
        int from = 0;
        while (true) {
            int open = text.indexOf("```", from);
            if (open < 0) {
                return null;
            }
            int lineEnd = text.indexOf('\n', open + 3);
            if (lineEnd < 0) {
                return null;
            }
            int close = text.indexOf("```", lineEnd + 1);
            if (close < 0) {
                return null;
            }
            int i = open + 3;
            while (i < lineEnd && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
                i++;
            }
            int start = i;
            while (i < lineEnd && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_')) {
                i++;
            }
            String language = text.substring(start, i);
            if (language.isEmpty() || language.equalsIgnoreCase("sql")) {
                return text.substring(lineEnd + 1, close);
            }
            from = close + 3;
        }
    }

    /**
     * The names of {@code used} that {@code allowed} does not cover: a name matches an entry by its full
     * name, so an entry {@code users} allows {@code users} but not {@code secret.users}, another schema's.
     */
    private static List<String> outside(Set<String> used, Set<String> allowed) {
        List<String> bad = new ArrayList<>();
        if (allowed == null) {
            return bad;
        }
        for (String name : used) {
            String n = bare(name);
            if (!allowed.contains(n)) {
                bad.add(name);
            }
        }
        return bad;
    }

    private static Set<String> normalised(List<String> names) {
        Set<String> out = new LinkedHashSet<>();
        names.forEach(n -> out.add(bare(n)));
        return out;
    }

    /** A name without quotes ({@code "} {@code `} {@code []}) and case. */
    private static String bare(String name) {
        return name.replaceAll("[\"`\\[\\]]", "").strip().toLowerCase(Locale.ROOT);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unparsable";
        }
        String line = s.strip().lines().findFirst().orElse("unparsable");
        return line.length() > 160 ? line.substring(0, 159) + "…" : line;
    }

    /** Tables from JSqlParser's finder; columns as its visitor passes them. */
    private static final class Names extends TablesNamesFinder<Void> {
        final Set<String> tables = new LinkedHashSet<>();
        final Set<String> columns = new LinkedHashSet<>();

        void collect(Statement s) {
            tables.addAll(getTables(s));
        }

        @Override
        public <S> Void visit(Column column, S context) {
            columns.add(column.getColumnName());
            return null;
        }

        @Override
        public <S> Void visit(AllColumns all, S context) {
            columns.add("*");
            return null;
        }

        @Override
        public <S> Void visit(AllTableColumns all, S context) {
            Table t = all.getTable();
            columns.add((t == null ? "" : t.getFullyQualifiedName() + ".") + "*");
            return null;
        }
    }

    private static Map<String, Consumer<CCJSqlParser>> dialects() {
        Consumer<CCJSqlParser> plain = parser -> {};
        Consumer<CCJSqlParser> backslash = parser -> parser.withBackslashEscapeCharacter(true);
        Map<String, Consumer<CCJSqlParser>> d = new TreeMap<>();
        d.put("mysql", backslash);
        d.put("mariadb", backslash);
        d.put("bigquery", backslash);
        d.put("hive", backslash);
        d.put("transactsql", parser -> parser.withSquareBracketQuotation(true));
        for (String name : List.of("postgresql", "redshift", "db2", "sqlite", "snowflake", "flinksql", "athena",
                "trino", "noql")) {
            d.put(name, plain);
        }
        return Map.copyOf(d);
    }
}
