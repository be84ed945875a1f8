package sonogate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import sonogate.nn.ModelConfig;
import sonogate.nn.Translator;
import sonogate.tensor.Device;
import sonogate.train.Checkpoint;

/** Runs the real command line in-process (through {@link Main#run}) and keeps what it printed. */
final class CliRun {
    final int code;
    final String out, err;

    private CliRun(int code, String out, String err) {
        this.code = code;
        this.out = out;
        this.err = err;
    }

    static CliRun of(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** An untrained model of {@code config} drawn from {@code seed}, saved as weights to {@code file}; returns {@code file}. */
    static Path untrainedWeights(Path file, ModelConfig config, long seed) {
        try (Translator t = new Translator(config, Device.CPU, seed)) {
            Checkpoint.saveWeights(file, t, 0, Map.of());
        }
        return file;
    }

    /** The shared samples folder {@code ../shared/data/ultrasound/SUB} (or the test is skipped). */
    static Path samples(String sub) {
        Path cfd = TranslateCommandTest.cfdDir();
        assumeTrue(cfd != null, "shared/data/ultrasound not found: skipping");
        Path p = cfd.getParent().resolve(sub);
        assumeTrue(Files.exists(p), p + " not found: skipping");
        return p;
    }

    /**
     * Evaluates the Python expression {@code expr} over {@code d}, the JSON document in {@code json}
     * as Python's own json module reads it (so the file is checked to be valid JSON too).
     */
    static String python(Path json, String expr) throws Exception {
        Path py = Path.of("/usr/bin/python3");
        assumeTrue(Files.isExecutable(py), "/usr/bin/python3 missing: skipping the JSON check");
        Process p = new ProcessBuilder(py.toString(), "-c", "import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))",
                json.toString(), expr).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        p.waitFor(60, TimeUnit.SECONDS);
        assertEquals(0, p.exitValue(), text);
        return text;
    }
}
