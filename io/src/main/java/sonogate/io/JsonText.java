package sonogate.io;

import java.util.Locale;

/**
 * The two pieces of JSON text every sonogate writer needs (the commands' {@code --json} summaries,
 * the benchmark rows, the training log): a string literal and a rounded number. Kept in one place
 * because getting the escapes wrong makes a file no JSON reader will open.
 */
public final class JsonText {
    private JsonText() {}

    /** Appends {@code s} as a JSON string literal: quotes, backslashes and every control character escaped. */
    public static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        b.append('"');
    }

    /**
     * {@code d} with six significant digits as a plain JSON number ({@code null} when not finite;
     * whole numbers below 1e15 without a fraction): enough for a measurement, and readable.
     */
    public static String sixDigits(double d) {
        if (!Double.isFinite(d)) return "null";
        if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d);
        String s = String.format(Locale.ROOT, "%.6g", d);
        // %g may give "1.00000e-05" or "0.250000": make both plain JSON numbers without trailing zeros
        if (s.contains("e")) return Double.toString(Double.parseDouble(s));
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }
}
