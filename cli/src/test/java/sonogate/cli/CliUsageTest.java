package sonogate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every command: --help (exit 0, examples) and bad usage (exit 2, one line pointing to --help). */
class CliUsageTest {

    private static void assertUsageError(String command, String... args) {
        CliRun r = CliRun.of(args);
        assertEquals(2, r.code, String.join(" ", args) + ": " + r.err);
        assertEquals("", r.out, String.join(" ", args));
        List<String> lines = r.err.lines().toList();
        assertEquals(1, lines.size(), "one line: " + r.err);
        String prefix = command.isEmpty() ? "sonogate: " : "sonogate " + command + ": ";
        assertTrue(lines.get(0).startsWith(prefix), r.err);
        assertTrue(lines.get(0).endsWith("(see sonogate" + (command.isEmpty() ? "" : " " + command) + " --help)"), r.err);
    }

    @Test
    void badUsageIsExitCodeTwoWithOneLineAndAHint() {
        assertUsageError("");
        assertUsageError("", "frobnicate");
        assertUsageError("translate", "translate", "--model", "m.h5", "in.dcm", "out", "--bogus");
        assertUsageError("translate", "translate", "--model", "m.h5", "in.dcm");
        assertUsageError("export", "export", "out.h5");
        assertUsageError("export", "export", "--model", "m.h5");
        assertUsageError("export", "export", "--model", "m.h5", "a.h5", "b.h5");
        assertUsageError("translate", "translate", "--model");
        assertUsageError("translate", "translate", "--model", "m.h5", "--batch", "0", "in.dcm", "out");
        assertUsageError("translate", "translate", "--model", "m.h5", "--batch", "eight", "in.dcm", "out");
        assertUsageError("translate", "translate", "--model", "m.h5", "--threshold", "256", "in.dcm", "out");
        assertUsageError("translate", "translate", "--model", "m.h5", "--format", "mp4", "in.dcm", "out");
        assertUsageError("translate", "translate", "--model", "m.h5", "--device", "tpu", "in.dcm", "out");
        assertUsageError("translate", "translate", "--model", "m.h5", "--json", "--force", "in.dcm", "out");
        assertUsageError("masks", "masks");
        assertUsageError("masks", "masks", "--threshold", "-1", "in.dcm", "out");
        assertUsageError("masks", "masks", "--previews", "some", "in.dcm", "out");
        assertUsageError("masks", "masks", "--bogus", "in.dcm", "out");
        assertUsageError("info", "info");
        assertUsageError("info", "info", "--config", "huge");
        assertUsageError("info", "info", "--config", "tiny", "--bogus");
        assertUsageError("info", "info", "--config");
        assertUsageError("train", "train", "--config", "tiny");
        assertUsageError("train", "train", "--config", "tiny", "--data", "d", "--steps", "0");
        assertUsageError("train", "train", "--bogus");
        assertUsageError("eval", "eval", "--bogus");
        assertUsageError("eval", "eval", "--max-frames", "0");
        assertUsageError("eval", "eval", "--seed");
        assertUsageError("demo", "demo", "--bogus");
        assertUsageError("demo", "demo", "--frames", "1");
        assertUsageError("demo", "demo", "extra");
        // an option where a value belongs means the value was left out, in every command (these
        // once took "--force" as the JSON path or the output folder)
        assertUsageError("eval", "eval", "--json", "--force");
        assertUsageError("masks", "masks", "--json", "--force", "in.dcm", "out");
        assertUsageError("demo", "demo", "--out", "--force");
        assertUsageError("train", "train", "--config", "tiny", "--data", "d", "--json", "--force");
        // numbers outside an int are refused, not wrapped round (train once cast them)
        assertUsageError("train", "train", "--config", "tiny", "--data", "d", "--batch", "4294967297");
        assertUsageError("train", "train", "--config", "tiny", "--data", "d", "--val-every", "4294967296");
        assertUsageError("eval", "eval", "--max-frames", "4294967297");
        assertUsageError("bench", "bench");
        assertUsageError("bench", "bench", "nope");
        assertUsageError("bench kernels", "bench", "kernels", "--bogus");
        assertUsageError("bench kernels", "bench", "kernels", "--threads");
        assertUsageError("bench io", "bench", "io", "--bogus");
        assertUsageError("bench model", "bench", "model", "--bogus");
        assertUsageError("bench model", "bench", "model", "--device", "tpu");
        assertUsageError("bench gpu", "bench", "gpu", "--bogus");
    }

    @Test
    void everyCommandHasHelpWithExamples() {
        for (List<String> cmd : List.of(List.of("translate"), List.of("masks"), List.of("info"), List.of("train"))) {
            CliRun r = CliRun.of(cmd.get(0), "--help");
            assertEquals(0, r.code, cmd.toString());
            assertEquals("", r.err);
            assertTrue(r.out.startsWith("usage: sonogate " + cmd.get(0)) && r.out.contains("example"), r.out);
            assertTrue(r.out.contains("--json FILE"), cmd + " documents --json");
        }
        for (String cmd : List.of("eval", "demo", "export")) {
            CliRun r = CliRun.of(cmd, "--help");
            assertEquals(0, r.code, cmd);
            assertTrue(r.out.startsWith("usage: sonogate " + cmd) && r.out.contains("example"), r.out);
        }
        CliRun top = CliRun.of("--help");
        assertTrue(top.out.contains("exit codes: 0 success, 1 failure") && top.out.contains("examples:"), top.out);
        for (String sub : List.of("kernels", "model", "io", "gpu")) {
            CliRun r = CliRun.of("bench", sub, "--help");
            assertEquals(0, r.code, sub);
            assertTrue(r.out.contains("--json FILE") && r.out.contains("examples:"), sub);
        }
    }

    @Test
    void translateHelpListsEveryInputAndOutputFormat() {
        String help = CliRun.of("translate", "--help").out;
        for (String format : List.of("DICOM", "MetaImage", ".mha", "PNG/JPEG image", "folder holding only PNG/JPEG frames", "MP4 / MOV (H.264)",
                "MPEG-1/2", "AVI (Motion JPEG, uncompressed", "animated GIF", "HDF5", "FILE.h5:/group/dataset")) {
            assertTrue(help.contains(format), "input format " + format + " listed");
        }
        for (String output : List.of("folder of PNG frames", "NAME.h5", "NAME.avi", "Motion-JPEG AVI", "NAME.gif", "--format F     png, h5, avi or gif")) {
            assertTrue(help.contains(output), "output format " + output + " listed");
        }
    }
}
