package sonogate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The --json writer, checked by Python's json module on fresh random values. */
class JsonTest {
    @TempDir Path dir;

    @Test
    void pythonReadsBackWhatWasWritten() throws Exception {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        StringBuilder nasty = new StringBuilder("quote \" backslash \\ tab \t newline \n unicode é ");
        for (int i = 0; i < 20; i++) nasty.append((char) rnd.nextInt(0x20));   // control characters
        double real = rnd.nextDouble() * Math.pow(10, rnd.nextInt(20) - 10);
        long big = rnd.nextLong();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("text", nasty.toString());
        doc.put("real", real);
        doc.put("big", big);
        doc.put("int", 7);
        doc.put("nan", Double.NaN);
        doc.put("flags", List.of(true, false));
        doc.put("empty", List.of());
        doc.put("nested", Map.of("x", List.of(Map.of("y", 1.5))));
        Path f = Files.writeString(dir.resolve("d.json"), Json.write(doc));
        assertEquals("True", CliRun.python(f, "d['text'] == " + pythonString(nasty.toString())), "seed " + seed);
        assertEquals("True", CliRun.python(f, "abs(d['real'] - " + real + ") <= 1e-5 * abs(" + real + ")"), "seed " + seed);
        assertEquals(Long.toString(big), CliRun.python(f, "d['big']"), "seed " + seed);
        assertEquals("7 None [True, False] [] 1.5", CliRun.python(f, "'%s %s %s %s %s' % (d['int'], d['nan'], d['flags'], d['empty'], d['nested']['x'][0]['y'])"));
        assertEquals("['text', 'real', 'big', 'int', 'nan', 'flags', 'empty', 'nested']", CliRun.python(f, "list(d)"), "insertion order kept");
    }

    /** A Python literal for {@code s}, written independently of {@link Json} (code points). */
    private static String pythonString(String s) {
        StringBuilder b = new StringBuilder("''.join(chr(c) for c in [");
        s.codePoints().forEach(c -> b.append(c).append(','));
        return b.append("])").toString();
    }
}
