package sonogate.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * Writes {@link BenchRow}s as a JSON array of objects with the fields {@code name, ours, peer,
 * peer_name, unit, ratio} (in that order) then the row's extra fields. Non-finite numbers become
 * {@code null}. The file is written to a temporary file beside the target and renamed over it, so
 * a reader never sees a half-written file.
 */
public final class JsonRows {
    private JsonRows() {}

    public static String toJson(List<BenchRow> rows) {
        StringBuilder sb = new StringBuilder("[\n");
        for (int i = 0; i < rows.size(); i++) {
            BenchRow r = rows.get(i);
            sb.append("  {");
            field(sb, "name", r.name(), true);
            field(sb, "ours", r.ours(), false);
            field(sb, "peer", r.peer(), false);
            field(sb, "peer_name", r.peerName(), false);
            field(sb, "unit", r.unit(), false);
            field(sb, "ratio", r.ratio(), false);
            for (Map.Entry<String, Object> e : r.extra().entrySet()) field(sb, e.getKey(), e.getValue(), false);
            sb.append(i + 1 < rows.size() ? "},\n" : "}\n");
        }
        return sb.append("]\n").toString();
    }

    /** Writes {@code rows} to {@code file} atomically (temp file in the same folder, then rename). */
    public static void write(Path file, List<BenchRow> rows) throws IOException {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) Files.createDirectories(dir);
        Path tmp = sonogate.io.SiblingTemp.createFile(dir, "." + abs.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, toJson(rows), StandardCharsets.UTF_8);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void field(StringBuilder sb, String key, Object value, boolean first) {
        if (!first) sb.append(", ");
        string(sb, key);
        sb.append(": ");
        if (value == null) {
            sb.append("null");
        } else if (value instanceof Number n) {
            double d = n.doubleValue();
            if (!Double.isFinite(d)) sb.append("null");
            else if (value instanceof Integer || value instanceof Long) sb.append(n.longValue());
            else sb.append(roundForJson(d));
        } else if (value instanceof Boolean b) {
            sb.append(b);
        } else {
            string(sb, value.toString());
        }
    }

    /** Six significant digits: plenty for a benchmark rate, and the file stays readable. */
    private static String roundForJson(double d) {
        String s = String.format(java.util.Locale.ROOT, "%.6g", d);
        // %g may produce "1.00000e+03": normalise to a JSON number without trailing zeros.
        if (s.contains("e") || s.contains("E")) return Double.toString(Double.parseDouble(s));
        if (s.contains(".")) s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        return s;
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (ch < 0x20) sb.append(String.format("\\u%04x", (int) ch));
                    else sb.append(ch);
                }
            }
        }
        sb.append('"');
    }
}
