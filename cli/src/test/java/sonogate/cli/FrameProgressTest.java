package sonogate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The progress display, on a fake clock: a redrawn bar on a terminal, sparse plain lines elsewhere. */
class FrameProgressTest {
    private long now;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void terminalBarShowsFramesRateAndEtaAndIsEndedBeforeALine() {
        FrameProgress p = new FrameProgress(out, true, () -> now);
        p.start("echo.dcm", 100);
        for (int i = 0; i < 40; i++) {
            now += 50_000_000L;   // 20 frames/s
            p.frame();
        }
        String bar = text().substring(text().lastIndexOf('\r'));
        // 40 of 100 after 2 s: 20 frames/s, 60 frames left = 3 s
        assertTrue(bar.startsWith("\recho.dcm [#########...............] 40/100 frames, 20.0 frames/s, ETA 0:03"), bar);
        assertFalse(text().contains("\n"), "a bar, not lines");
        assertEquals(10, text().chars().filter(c -> c == '\r').count(), "redrawn at most five times a second");
        p.message("echo.dcm: done");
        String t = text();
        assertTrue(t.endsWith("\recho.dcm: done\n"), t);
        String cleared = t.substring(t.lastIndexOf('\r', t.length() - 17) + 1, t.length() - 16);
        assertTrue(cleared.length() > 60 && cleared.isBlank(), "the bar is blanked out before the line: '" + cleared + "'");
    }

    @Test
    void plainLinesEveryTenSecondsWhenNotATerminal() {
        FrameProgress p = new FrameProgress(out, false, () -> now);
        p.start("[1/2] long.mp4", 0);
        for (int i = 0; i < 250; i++) {
            now += 100_000_000L;   // 10 frames/s for 25 s
            p.frame();
        }
        assertEquals("[1/2] long.mp4: 100/? frames, 10.0 frames/s, ETA ?\n[1/2] long.mp4: 200/? frames, 10.0 frames/s, ETA ?\n", text());
    }

    @Test
    void clockFormats() {
        assertEquals("0:05", FrameProgress.clock(5));
        assertEquals("2:03", FrameProgress.clock(123));
        assertEquals("1:00:01", FrameProgress.clock(3601));
        assertEquals("?", FrameProgress.clock(-1));
    }
}
