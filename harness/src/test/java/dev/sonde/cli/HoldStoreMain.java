package dev.sonde.cli;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Properties;
import org.duckdb.DuckDBDriver;

/**
 * Another program writing a store: {@code STORE MILLIS} opens it read-write, prints {@code held} once
 * DuckDB's lock is taken, and closes it after {@code MILLIS}.
 */
public final class HoldStoreMain {
    private HoldStoreMain() {}

    public static void main(String[] args) throws Exception {
        Properties p = new Properties();
        p.setProperty("autoload_known_extensions", "false");
        p.setProperty("autoinstall_known_extensions", "false");
        try (Connection c = new DuckDBDriver().connect("jdbc:duckdb:" + args[0], p); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
            System.out.println("held");
            System.out.flush();
            Thread.sleep(Long.parseLong(args[1]));
        }
    }
}
