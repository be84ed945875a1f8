package sonogate.cli;

import java.io.PrintStream;

/**
 * A bad command line (unknown option, missing or bad value, wrong number of paths): one line on
 * stderr naming the problem and pointing to the command's --help, exit code 2.
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

    /** The value after option {@code args[i - 1]}. */
    static String value(String[] args, int i, String option) throws UsageError {
        if (i >= args.length || (args[i].startsWith("--") && args[i].length() > 2)) throw new UsageError(option + " needs a value");
        return args[i];
    }

    /** A whole number in {@code min..max}. */
    static int intValue(String[] args, int i, String option, int min, int max) throws UsageError {
        String v = value(args, i, option);
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageError(option + " needs a whole number, got '" + v + "'");
        }
        if (n < min || n > max) throw new UsageError(option + " " + n + " must be " + min + ".." + max);
        return n;
    }
}
