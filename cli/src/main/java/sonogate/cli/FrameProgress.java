package sonogate.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of a command that streams frames (translate, masks). On a terminal: one bar line,
 * redrawn in place (carriage return) at most five times a second, with frames done, frames/s and
 * ETA. Otherwise (a pipe, a log file): a plain line every {@link #PLAIN_EVERY_NANOS}, so logs stay
 * readable. Rates are the clip's average so far: steady enough to read, exact at the end.
 */
final class FrameProgress {
    static final long PLAIN_EVERY_NANOS = 10_000_000_000L;
    private static final long REDRAW_NANOS = 200_000_000L;
    private static final int BAR_WIDTH = 24;

    private final PrintStream out;
    private final boolean tty;
    private final LongSupplier clock;
    private String label = "";
    private int total, done;
    private long start, lastPrint;
    private boolean barOpen;

    FrameProgress(PrintStream out, boolean tty, LongSupplier clock) {
        this.out = out;
        this.tty = tty;
        this.clock = clock;
    }

    /** Bars on the process's own terminal, plain lines elsewhere (tests, pipes, files). */
    static FrameProgress forStream(PrintStream out) {
        return new FrameProgress(out, out == System.out && sonogate.train.Progress.isTerminal(), System::nanoTime);
    }

    /** Starts a clip of {@code total} frames (0 or less: unknown) called {@code label}. */
    void start(String label, int total) {
        this.label = label;
        this.total = total;
        done = 0;
        start = clock.getAsLong();
        lastPrint = start;
    }

    /** One more frame done. */
    void frame() {
        done++;
        long now = clock.getAsLong();
        if (tty) {
            if (now - lastPrint < REDRAW_NANOS && done != total) return;
            lastPrint = now;
            int filled = total > 0 ? (int) ((long) BAR_WIDTH * Math.min(done, total) / total) : 0;
            out.print("\r" + label + " [" + "#".repeat(filled) + ".".repeat(BAR_WIDTH - filled) + "] " + figures(now) + "   ");
            out.flush();
            barOpen = true;
        } else if (now - lastPrint >= PLAIN_EVERY_NANOS) {
            lastPrint = now;
            out.println(label + ": " + figures(now));
            out.flush();
        }
    }

    /** A line of its own (the bar, if drawn, is ended first). */
    void message(String line) {
        endBar();
        out.println(line);
        out.flush();
    }

    /** Ends the bar's line, if one is drawn. */
    void endBar() {
        if (barOpen) {
            out.print("\r" + " ".repeat(Math.min(200, label.length() + BAR_WIDTH + 60)) + "\r");
            barOpen = false;
        }
    }

    /** "40/100 frames, 12.3 frames/s, ETA 0:05". */
    String figures(long now) {
        double seconds = (now - start) / 1e9, rate = seconds > 0 ? done / seconds : Double.NaN;
        String eta = total > 0 && rate > 0 ? clock(Math.round((total - done) / rate)) : "?";
        return String.format(Locale.ROOT, "%d/%s frames, %.1f frames/s, ETA %s", done, total > 0 ? Integer.toString(total) : "?",
                Double.isNaN(rate) ? 0.0 : rate, eta);
    }

    static String clock(long seconds) {
        if (seconds < 0) return "?";
        return seconds >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }
}
