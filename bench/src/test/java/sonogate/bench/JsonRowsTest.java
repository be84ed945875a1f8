package sonogate.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonRowsTest {

    private static final List<String> REQUIRED = List.of("name", "ours", "peer", "peer_name", "unit", "ratio");

    @Test
    void writesParsableRowsWithTheRequiredFieldsFirst(@TempDir Path dir) throws IOException {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("shape", "96->192 k3 s1 d8 @64 b4");
        extra.put("openblas", 151.25);
        List<BenchRow> rows = List.of(
                new BenchRow("gemm.base.h4", 120.5, 150.0, "openblas", "GFLOP/s", Map.of("shape", "192x864x4096")),
                new BenchRow("conv.fwd.base.h4d8.b4", 100.0, 125.0, "sonogate-sgemm", "GFLOP/s", extra),
                new BenchRow("gate.fwd.\"odd\"\\name", Double.NaN, 12.0, "segment-copy", "GB/s", Map.of()));
        Path file = dir.resolve("sub/out.json");
        JsonRows.write(file, rows);

        List<Map<String, Object>> parsed = new Parser(Files.readString(file)).array();
        assertEquals(3, parsed.size());
        for (Map<String, Object> row : parsed) {
            assertEquals(REQUIRED, new ArrayList<>(row.keySet()).subList(0, REQUIRED.size()));
        }
        assertEquals("gemm.base.h4", parsed.get(0).get("name"));
        assertEquals(120.5, (Double) parsed.get(0).get("ours"), 1e-9);
        assertEquals(120.5 / 150.0, (Double) parsed.get(0).get("ratio"), 1e-5);
        assertEquals("192x864x4096", parsed.get(0).get("shape"));
        assertEquals("sonogate-sgemm", parsed.get(1).get("peer_name"));
        assertEquals(151.25, (Double) parsed.get(1).get("openblas"), 1e-9);
        assertEquals("gate.fwd.\"odd\"\\name", parsed.get(2).get("name"));
        assertNull(parsed.get(2).get("ours"), "NaN is written as null");
        assertNull(parsed.get(2).get("ratio"));
        assertEquals("GB/s", parsed.get(2).get("unit"));
    }

    @Test
    void replacesAnExistingFileAndLeavesNoTemporaryFiles(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("rows.json");
        Files.writeString(file, "old contents");
        JsonRows.write(file, List.of(new BenchRow("a", 1, 2, "p", "GB/s", Map.of())));
        assertEquals(1, new Parser(Files.readString(file)).array().size());
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
        JsonRows.write(file, List.of());
        assertTrue(new Parser(Files.readString(file)).array().isEmpty());
    }

    /** Just enough JSON for these files: an array of flat objects of strings, numbers and null. */
    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        List<Map<String, Object>> array() {
            List<Map<String, Object>> out = new ArrayList<>();
            expect('[');
            if (peek() == ']') {
                i++;
            } else {
                do {
                    out.add(object());
                } while (comma());
                expect(']');
            }
            ws();
            if (i != s.length()) fail("trailing text at " + i);
            return out;
        }

        private Map<String, Object> object() {
            Map<String, Object> o = new LinkedHashMap<>();
            expect('{');
            do {
                String key = string();
                expect(':');
                if (o.put(key, value()) != null) fail("duplicate key " + key);
            } while (comma());
            expect('}');
            return o;
        }

        private Object value() {
            char c = peek();
            if (c == '"') return string();
            if (s.startsWith("null", i)) {
                i += 4;
                return null;
            }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
            if (start == i) fail("value expected at " + i);
            return Double.parseDouble(s.substring(start, i));
        }

        private String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (s.charAt(i) != '"') {
                char c = s.charAt(i++);
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> sb.append('\n');
                        case 't' -> sb.append('\t');
                        case 'r' -> sb.append('\r');
                        case 'u' -> {
                            sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> sb.append(e);
                    }
                } else {
                    sb.append(c);
                }
            }
            i++;
            return sb.toString();
        }

        private boolean comma() {
            if (peek() == ',') {
                i++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (peek() != c) fail("expected '" + c + "' at " + i + " in " + s);
            i++;
        }

        private char peek() {
            ws();
            return i < s.length() ? s.charAt(i) : '\0';
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }
    }
}
