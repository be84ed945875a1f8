package sonogate.cli;

import java.util.List;
import java.util.Map;
import sonogate.io.JsonText;

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
            case Number n -> b.append(JsonText.sixDigits(n.doubleValue()));
            default -> JsonText.string(b, v.toString());
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
            JsonText.string(b, String.valueOf(e.getKey()));
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
}
