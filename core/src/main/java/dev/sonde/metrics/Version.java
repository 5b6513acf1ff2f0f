package dev.sonde.metrics;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Sonde's own version, from the build (resource {@code dev/sonde/version.properties}). */
public final class Version {
    private Version() {}

    /** The version, or {@code dev} outside a build. */
    public static String current() {
        try (InputStream in = Version.class.getResourceAsStream("/dev/sonde/version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
