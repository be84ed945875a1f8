package sonogate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void unknownCommandIsAOneLineErrorWithAHintAndExitCodeTwo() {
        assertEquals(2, run("frobnicate"));
        assertEquals("sonogate: unknown command 'frobnicate' (see sonogate --help)\n", err());
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void missingOrUnknownSubcommandsAreUsageErrors() {
        assertEquals(2, run());
        assertEquals("sonogate: no command (see sonogate --help)\n", err());
        assertEquals(2, run("bench"));
        assertTrue(err().contains("(see sonogate bench --help)"), err());
        assertEquals(2, run("bench", "nope"));
        assertTrue(err().startsWith("sonogate bench: unknown subcommand 'nope'"), err());
        assertEquals(2, run("bench", "kernels", "--threads"));
        assertEquals(2, run("bench", "kernels", "--bogus"));
    }

    @Test
    void infoPrintsTheModelSizeAndRejectsUnknownConfigs() {
        assertEquals(0, run("info", "--config", "tiny"));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("114,782 parameters (coarse 46,063, refinement 68,719)"), text);
        assertTrue(text.contains("generator 0.103 GFLOP/frame"), text);
        assertEquals(2, run("info", "--config", "huge"));
        assertTrue(err().startsWith("sonogate info: unknown config 'huge'"), err());
        assertEquals(2, run("info"));
        assertTrue(err().contains("--config is required"), err());
    }

    @Test
    void helpGoesToStdoutWithExitCodeZero() {
        assertEquals(0, run("--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("bench kernels"));
        assertEquals(0, run("bench", "--help"));
        assertEquals(0, run("bench", "kernels", "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--json FILE"));
        assertEquals(0, run("bench", "jmh", "--help"));
        assertEquals(0, run("bench", "io", "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("usage: sonogate bench io"));
        assertEquals("", err());
    }
}
