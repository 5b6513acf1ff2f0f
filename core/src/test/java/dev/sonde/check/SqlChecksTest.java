package dev.sonde.check;

import static dev.sonde.check.Fixtures.check;
import static dev.sonde.check.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** is-sql and contains-sql: parsing, fences, dialects, allow-lists and bounds. */
class SqlChecksTest {

    private static CheckResult run(String yaml, String output) throws Exception {
        return check(yaml).evaluate(text(output).build(), null);
    }

    @Test
    void is_sql_passes_statements_that_parse_and_fails_the_rest() throws Exception {
        assertThat(run("{type: is-sql}", "SELECT id, name FROM users WHERE age > 21").reason())
                .isEqualTo("valid mysql SQL (1 statement)");
        assertThat(run("{type: is-sql}", "INSERT INTO t (a) VALUES (1); DELETE FROM t WHERE a = 2;").reason())
                .isEqualTo("valid mysql SQL (2 statements)");
        CheckResult bad = run("{type: is-sql}", "SELEC id FROM users");
        assertThat(bad.pass()).isFalse();
        assertThat(bad.reason()).startsWith("not valid mysql SQL (");
        assertThat(run("{type: is-sql}", "Here is the query: SELECT 1").pass()).isFalse();
        assertThat(run("{type: is-sql}", "```sql\nSELECT 1\n```").pass()).as("is-sql takes no fence").isFalse();
        assertThat(run("{type: is-sql}", "  ").reason()).isEqualTo("no SQL: the output is empty");
        assertThat(run("{type: not-is-sql}", "hello world").pass()).isTrue();
    }

    @Test
    void contains_sql_reads_the_first_sql_or_plain_fence_else_the_whole_output() throws Exception {
        String answer = "Try this:\n```python\nprint(1)\n```\nthen\n```sql\nSELECT name FROM users;\n```\nDone.";
        assertThat(run("{type: contains-sql}", answer).pass()).isTrue();
        assertThat(run("{type: contains-sql}", "```\nUPDATE t SET a = 1\n```").pass()).isTrue();
        assertThat(run("{type: contains-sql}", "SELECT 1").pass()).isTrue();
        assertThat(run("{type: contains-sql}", "The answer is 42.").pass()).isFalse();
    }

    @Test
    void dialects_switch_what_their_grammar_needs() throws Exception {
        assertThat(run("{type: is-sql, dialect: TransactSQL}", "SELECT [first name] FROM [people]").pass()).isTrue();
        assertThat(run("{type: is-sql, dialect: MySQL}", "SELECT 'it\\'s'").pass()).isTrue();
        assertThat(run("{type: is-sql, dialect: PostgreSQL}", "SELECT 'it\\'s'").pass())
                .as("a backslash is no escape in PostgreSQL").isFalse();
        assertThatThrownBy(() -> check("{type: is-sql, dialect: oracle9}")).hasMessage(
                "s.yaml:7:9: cases[0].assert[0].dialect: unknown SQL dialect 'oracle9' (known: athena, bigquery, db2,"
                        + " flinksql, hive, mariadb, mysql, noql, postgresql, redshift, snowflake, sqlite, transactsql, trino)");
    }

    @Test
    void allowed_tables_and_columns_are_enforced_without_case_or_quotes() throws Exception {
        String yaml = "{type: is-sql, allowed_tables: [users, orders], allowed_columns: [id, name, user_id, total]}";
        assertThat(run(yaml, "SELECT u.id, `name` FROM Users u JOIN orders o ON o.user_id = u.id").reason())
                .isEqualTo("valid mysql SQL (1 statement), within the allowed tables and columns");
        CheckResult r = run(yaml, "SELECT id, password FROM users, secrets");
        assertThat(r.pass()).isFalse();
        assertThat(r.reason()).isEqualTo("valid mysql SQL, but tables not allowed: secrets; columns not allowed: password");
        assertThat(run(yaml, "SELECT * FROM users").reason()).isEqualTo("valid mysql SQL, but columns not allowed: *");
        assertThat(run("{type: is-sql, allowed_tables: [users]}", "SELECT id FROM secret.users").reason())
                .as("a qualified table is matched by its full name").endsWith("tables not allowed: secret.users");
        assertThat(run("{type: is-sql, allowed_tables: [Shop.Users]}", "SELECT id FROM `shop`.`users`").pass()).isTrue();
        assertThat(run("{type: is-sql, allowed_tables: [users]}", "SELECT id FROM users WHERE id IN (SELECT uid FROM bans)")
                .reason()).endsWith("tables not allowed: bans");
        assertThatThrownBy(() -> check("{type: is-sql, allowed_tables: users}"))
                .hasMessage("s.yaml:7:9: cases[0].assert[0].allowed_tables: 'allowed_tables' is a list of names");
    }

    @Test
    void sql_nested_deeper_than_jsqlparser_reads_fails_with_the_parsers_reason() throws Exception {
        String nested = "SELECT " + "(".repeat(16) + "1" + ")".repeat(16) + " FROM t";
        assertThat(run("{type: is-sql}", nested).reason()).isEqualTo("valid mysql SQL (1 statement)");
        CheckResult r = run("{type: is-sql}", "SELECT " + "(".repeat(17) + "1" + ")".repeat(17) + " FROM t");
        assertThat(r.pass()).isFalse();
        assertThat(r.reason()).startsWith("not valid mysql SQL (").contains("Encountered unexpected token")
                .contains("; parentheses nest 17 deep, and JSqlParser reads at most 16)");
        assertThat(run("{type: not-is-sql}", "SELECT " + "(".repeat(17) + "1" + ")".repeat(17)).pass()).isTrue();
    }

    @Test
    void the_sql_fence_is_found_in_one_pass() {
        assertThat(SqlCheck.sqlFence("a\n```python\nx\n```\n``` SQL\nSELECT 1\n```")).isEqualTo("SELECT 1\n");
        assertThat(SqlCheck.sqlFence("```sql\nSELECT * FROM `users`\n```")).isEqualTo("SELECT * FROM `users`\n");
        assertThat(SqlCheck.sqlFence("```sql\nSELECT 1")).isNull();
        long start = System.nanoTime();
        assertThat(SqlCheck.sqlFence("`".repeat(400_000))).isNull();
        assertThat(SqlCheck.sqlFence("```x\n".repeat(100_000))).isNull();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
    }

    @Tag("hostile")
    @Test
    void hostile_sql_is_bounded_in_length_and_time() throws Exception {
        assertThat(run("{type: is-sql}", "SELECT " + "1,".repeat(60_000) + "1").reason())
                .isEqualTo("SQL of 120008 characters is over the 100000 parsed");
        long start = System.nanoTime();
        CheckResult deep = run("{type: is-sql}", "SELECT " + "(".repeat(5_000) + "1" + ")".repeat(5_000));
        CheckResult open = run("{type: is-sql}", "SELECT " + "(".repeat(20_000));
        CheckResult backticks = run("{type: contains-sql}", "`".repeat(40_000));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(open.pass()).isFalse();
        assertThat(backticks.pass()).isFalse();
        assertThat(deep.reason()).isNotBlank();
    }

    @Test
    void a_failed_parse_leaves_no_thread_behind() throws Exception {
        Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
        for (int i = 0; i < 5; i++) {
            assertThat(run("{type: is-sql}", "SELEC " + i).pass()).isFalse();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!leftBehind(before).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(leftBehind(before)).as("threads a failed parse left running").isEmpty();
    }

    /** Live non-daemon threads started since {@code before}, and any parser thread at all. */
    private static List<String> leftBehind(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && !before.contains(t)
                        && (!t.isDaemon() || t.getName().equals("sonde-sql-parse")))
                .map(Thread::getName).toList();
    }
}
