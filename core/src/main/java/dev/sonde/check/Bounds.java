package dev.sonde.check;

/** Inclusive min/max bounds on a whole number, with the observed value in the reason. */
final class Bounds {
    private Bounds() {}

    /** @param min inclusive, or -1 for none; {@code max} likewise */
    static CheckResult check(String type, String observed, long value, long min, long max) {
        if (min >= 0 && value < min) {
            return CheckResult.fail(type, observed + " < min " + min);
        }
        if (max >= 0 && value > max) {
            return CheckResult.fail(type, observed + " > max " + max);
        }
        String range = min >= 0 && max >= 0 ? " in [" + min + ", " + max + "]"
                : min >= 0 ? " ≥ " + min : " ≤ " + max;
        return CheckResult.pass(type, observed + range);
    }
}
