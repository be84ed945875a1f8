package sonogate.cli;

import java.io.PrintStream;

/**
 * A bad command line (unknown option, missing or bad value, wrong number of paths): one line on
 * stderr naming the problem and pointing to the command's --help, exit code 2. The value readers
 * below are every command's, so that one kind of mistake reads the same in all of them.
 */
final class UsageError extends Exception {
    UsageError(String message) {
        super(message);
    }

    /** Prints {@code sonogate COMMAND: MESSAGE (see sonogate COMMAND --help)}; returns 2. */
    static int report(PrintStream err, String command, String message) {
        String c = command.isEmpty() ? "" : " " + command;
        err.println("sonogate" + c + ": " + message + " (see sonogate" + c + " --help)");
        return 2;
    }

    /** The value after option {@code args[i - 1]}; an option in its place means the value was left out. */
    static String value(String[] args, int i, String option) throws UsageError {
        if (i >= args.length || (args[i].startsWith("--") && args[i].length() > 2)) throw new UsageError(option + " needs a value");
        return args[i];
    }

    /** A whole number in {@code min..max}. */
    static int intValue(String[] args, int i, String option, int min, int max) throws UsageError {
        long n = longValue(args, i, option);
        if (n < min || n > max) {
            throw new UsageError(option + " " + n + " must be " + (max == Integer.MAX_VALUE ? "at least " + min : min + ".." + max));
        }
        return (int) n;
    }

    /** A whole number, at least {@code min}. */
    static long longValue(String[] args, int i, String option, long min) throws UsageError {
        long n = longValue(args, i, option);
        if (n < min) throw new UsageError(option + " " + n + " must be at least " + min);
        return n;
    }

    /** Any whole number (e.g. a seed). */
    static long longValue(String[] args, int i, String option) throws UsageError {
        String v = value(args, i, option);
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageError(option + " needs a whole number, got '" + v + "'");
        }
    }

    /** A finite number >= 0 (a weight, a learning rate). */
    static double nonNegativeReal(String[] args, int i, String option) throws UsageError {
        String v = value(args, i, option);
        double d;
        try {
            d = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new UsageError(option + " needs a number, got '" + v + "'");
        }
        if (!(d >= 0 && Double.isFinite(d))) throw new UsageError(option + " must be a finite number >= 0, got " + v);
        return d;
    }
}
