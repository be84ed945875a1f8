package sonogate.bench;

import java.io.PrintStream;

/** A bad `sonogate bench ...` command line; the message is one line. */
public final class UsageException extends Exception {
    public UsageException(String message) {
        super(message);
    }

    /** The value of {@code option}, expected at {@code args[i]}. */
    static String value(String[] args, int i, String option) throws UsageException {
        if (i >= args.length || args[i].startsWith("--")) throw new UsageException(option + " needs a value");
        return args[i];
    }

    /** A positive whole number (a thread count), expected at {@code args[i]}. */
    static int positiveInt(String[] args, int i, String option) throws UsageException {
        String v = value(args, i, option);
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1) throw new UsageException(option + " needs a positive integer, got '" + v + "'");
        return n;
    }

    /** Prints {@code sonogate bench COMMAND: MESSAGE (see sonogate bench COMMAND --help)}; returns 2, the usage exit code. */
    int report(PrintStream err, String command) {
        err.println("sonogate bench " + command + ": " + getMessage() + " (see sonogate bench " + command + " --help)");
        return 2;
    }
}
