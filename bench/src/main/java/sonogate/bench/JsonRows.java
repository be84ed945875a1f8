package sonogate.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import sonogate.io.JsonText;

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
        JsonText.string(sb, key);
        sb.append(": ");
        if (value == null) {
            sb.append("null");
        } else if (value instanceof Number n) {
            double d = n.doubleValue();
            if (!Double.isFinite(d)) sb.append("null");
            else if (value instanceof Integer || value instanceof Long) sb.append(n.longValue());
            else sb.append(JsonText.sixDigits(d));
        } else if (value instanceof Boolean b) {
            sb.append(b);
        } else {
            JsonText.string(sb, value.toString());
        }
    }
}
