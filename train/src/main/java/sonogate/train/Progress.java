package sonogate.train;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Training progress: on a terminal one self-overwriting bar line (carriage return) redrawn at most
 * five times a second, with step rate (exponential moving average) and ETA; otherwise plain lines,
 * one every {@code plainEvery} steps and at the last step, so a log file stays readable.
 */
public final class Progress {
    private final PrintStream out;
    private final boolean tty;
    private final int plainEvery;
    private double rate = Double.NaN; // steps per second, EMA
    private long lastDraw;
    private boolean barOpen;

    public Progress(PrintStream out, boolean tty, int plainEvery) {
        this.out = out;
        this.tty = tty;
        this.plainEvery = Math.max(1, plainEvery);
    }

    /** Whether the standard streams are a terminal. */
    public static boolean isTerminal() {
        java.io.Console console = System.console();
        return console != null && console.isTerminal();   // JDK 22+: a console object can exist without a terminal
    }

    public double stepsPerSecond() {
        return rate;
    }

    /** After a step that took {@code seconds}; {@code text} is the losses in short. */
    public void step(long step, long target, double seconds, String text) {
        double r = 1.0 / Math.max(seconds, 1e-9);
        rate = Double.isNaN(rate) ? r : 0.9 * rate + 0.1 * r;
        boolean last = step >= target;
        if (tty) {
            long now = System.nanoTime();
            if (!last && now - lastDraw < 200_000_000L) return;
            lastDraw = now;
            int width = 24, filled = (int) (width * Math.min(1.0, (double) step / Math.max(1, target)));
            out.print("\r[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + line(step, target, text) + "   ");
            barOpen = !last;
            if (last) out.println();
            out.flush();
        } else if (step % plainEvery == 0 || last) {
            out.println("step " + line(step, target, text));
            out.flush();
        }
    }

    /** A message on its own line (the bar, if drawn, is ended first). */
    public void message(String text) {
        if (barOpen) {
            out.println();
            barOpen = false;
        }
        out.println(text);
        out.flush();
    }

    private String line(long step, long target, String text) {
        long eta = Double.isNaN(rate) || rate <= 0 ? -1 : Math.round((target - step) / rate);
        return String.format(Locale.ROOT, "%d/%d  %.2f steps/s  ETA %s  %s", step, target, rate, clock(eta), text);
    }

    static String clock(long seconds) {
        if (seconds < 0) return "?";
        return seconds >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
                : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
    }
}
