package sonogate.bench;

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
}
