package sonogate.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training log: every line is one JSON object Python reads back as written; a resume drops later steps. */
class JsonLogTest {
    @TempDir Path dir;

    @Test
    void everyLineIsJsonWithTheValuesWritten() throws Exception {
        long seed = System.nanoTime();
        SplittableRandom rnd = new SplittableRandom(seed);
        StringBuilder nasty = new StringBuilder("quote \" backslash \\ tab \t newline \n é ");
        for (int i = 0; i < 20; i++) nasty.append((char) rnd.nextInt(0x20));   // control characters: once written raw
        double loss = rnd.nextDouble() * Math.pow(10, rnd.nextInt(12) - 8);
        Path file = dir.resolve("train.jsonl");
        try (JsonLog log = new JsonLog(file)) {
            for (long step = 1; step <= 3; step++) {
                Map<String, Object> r = JsonLog.record();
                r.put("step", step);
                r.put("loss", loss * step);
                r.put("grad_norm", Double.NaN);
                r.put("note", nasty.toString());
                r.put("finite", true);
                log.write(r);
            }
        }
        assertEquals(3, Files.readAllLines(file, StandardCharsets.UTF_8).size(), "one line per record, seed " + seed);
        StringBuilder codes = new StringBuilder("[");
        nasty.codePoints().forEach(c -> codes.append(c).append(','));
        String expr = "all(d['note'] == ''.join(map(chr, " + codes + "])) and d['grad_norm'] is None and d['finite'] is True"
                + " and d['loss'] == " + loss + " * d['step'] for d in docs)";
        assertEquals("True", python(file, expr), "seed " + seed);

        JsonLog.truncateAfter(file, 2);
        assertEquals("[1, 2]", python(file, "[d['step'] for d in docs]"));
    }

    /** Evaluates {@code expr} over {@code docs}, the file's lines each read by Python's json module. */
    private static String python(Path file, String expr) throws Exception {
        Path py = Path.of("/usr/bin/python3");
        assumeTrue(Files.isExecutable(py), "/usr/bin/python3 missing: skipping the JSON check");
        Process p = new ProcessBuilder(py.toString(), "-c",
                "import json,sys; docs=[json.loads(l) for l in open(sys.argv[1], encoding='utf-8')]; print(eval(sys.argv[2]))",
                file.toString(), expr).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor(60, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), text);
        return text;
    }
}
