package dev.sonde.history.duckdb;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Properties;
import org.duckdb.DuckDBDriver;

/**
 * Another program on the store: {@code STORE MODE MILLIS} opens it ({@code ro} read-only, {@code rw}
 * read-write), prints {@code held} once DuckDB's lock is taken, and closes it after {@code MILLIS}.
 */
public final class HoldMain {
    private HoldMain() {}

    public static void main(String[] args) throws Exception {
        Properties p = new Properties();
        p.setProperty("autoload_known_extensions", "false");
        p.setProperty("autoinstall_known_extensions", "false");
        if (args[1].equals("ro")) {
            p.setProperty("duckdb.read_only", "true");
        }
        try (Connection c = new DuckDBDriver().connect("jdbc:duckdb:" + args[0], p); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
            System.out.println("held");
            System.out.flush();
            Thread.sleep(Long.parseLong(args[2]));
        }
    }
}
