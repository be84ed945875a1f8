package sonogate.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import sonogate.io.JsonText;

/**
 * An append-only JSON-lines log: one flat object per line, flushed line by line so a killed run
 * loses at most the line being written. Non-finite numbers are written as {@code null} (JSON has
 * no NaN). On resume, {@link #truncateAfter} drops the lines of steps after the checkpoint, which
 * the resumed run is about to log again.
 */
public final class JsonLog implements AutoCloseable {
    private static final Pattern STEP = Pattern.compile("\"step\":(\\d+)");
    private final BufferedWriter writer;

    public JsonLog(Path file) {
        try {
            writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open log " + file + ": " + e.getMessage(), e);
        }
    }

    /** An ordered map to fill and {@link #write}. */
    public static Map<String, Object> record() {
        return new LinkedHashMap<>();
    }

    public void write(Map<String, Object> fields) {
        try {
            writer.write(toJson(fields));
            writer.newLine();
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write log: " + e.getMessage(), e);
        }
    }

    static String toJson(Map<String, Object> fields) {
        StringBuilder sb = new StringBuilder("{");
        for (var e : fields.entrySet()) {
            if (sb.length() > 1) sb.append(',');
            JsonText.string(sb, e.getKey());
            sb.append(':');
            Object v = e.getValue();
            if (v == null) {
                sb.append("null");
            } else if (v instanceof Double || v instanceof Float) {
                double d = ((Number) v).doubleValue();
                sb.append(Double.isFinite(d) ? Double.toString(d) : "null"); // shortest exact form, valid JSON
            } else if (v instanceof Number || v instanceof Boolean) {
                sb.append(v);
            } else {
                JsonText.string(sb, v.toString());
            }
        }
        return sb.append('}').toString();
    }

    /** Removes the lines whose "step" is greater than {@code step} (a resume point). */
    public static void truncateAfter(Path file, long step) {
        if (!Files.exists(file)) return;
        try {
            List<String> keep = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                Matcher m = STEP.matcher(line);
                if (m.find() && Long.parseLong(m.group(1)) > step) continue;
                keep.add(line);
            }
            Files.write(file, keep, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rewrite log " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
