package sonogate.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON text of the commands' {@code --json} summaries: maps (in their iteration order, so use
 * a {@link java.util.LinkedHashMap}), lists, strings, numbers, booleans and null. Non-finite numbers
 * become null; floating-point numbers keep six significant digits.
 */
final class Json {
    private Json() {}

    /** {@code value} as indented JSON text with a final newline. */
    static String write(Object value) {
        StringBuilder b = new StringBuilder();
        value(b, value, "");
        return b.append('\n').toString();
    }

    private static void value(StringBuilder b, Object v, String indent) {
        switch (v) {
            case null -> b.append("null");
            case Map<?, ?> m -> object(b, m, indent);
            case List<?> l -> array(b, l, indent);
            case Boolean bool -> b.append(bool);
            case Integer i -> b.append(i);
            case Long l -> b.append(l);
            case Number n -> b.append(number(n.doubleValue()));
            default -> string(b, v.toString());
        }
    }

    private static void object(StringBuilder b, Map<?, ?> m, String indent) {
        if (m.isEmpty()) {
            b.append("{}");
            return;
        }
        String inner = indent + "  ";
        b.append("{\n");
        int i = 0;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            b.append(inner);
            string(b, String.valueOf(e.getKey()));
            b.append(": ");
            value(b, e.getValue(), inner);
            b.append(++i < m.size() ? ",\n" : "\n");
        }
        b.append(indent).append('}');
    }

    private static void array(StringBuilder b, List<?> l, String indent) {
        if (l.isEmpty()) {
            b.append("[]");
            return;
        }
        String inner = indent + "  ";
        b.append("[\n");
        for (int i = 0; i < l.size(); i++) {
            b.append(inner);
            value(b, l.get(i), inner);
            b.append(i + 1 < l.size() ? ",\n" : "\n");
        }
        b.append(indent).append(']');
    }

    static String number(double d) {
        if (!Double.isFinite(d)) return "null";
        if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d);
        String s = String.format(Locale.ROOT, "%.6g", d);
        // %g may give "1.00000e-05" or "0.250000": make both plain JSON numbers without trailing zeros
        if (s.contains("e")) return Double.toString(Double.parseDouble(s));
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    static void string(StringBuilder b, String s) {
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
}
