package dev.sonde.report;

import dev.sonde.metrics.Fmt;

/** The report room's number formats, for tests in other packages that assert on rendered reports. */
public final class ReportsAccess {
    private ReportsAccess() {}

    public static String usd(double usd) {
        return Fmt.usd(usd);
    }
}
