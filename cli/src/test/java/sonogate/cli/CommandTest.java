package sonogate.cli;

/** Base of the command tests: the last in-process run of the command line ({@link CliRun}) and what it printed. */
abstract class CommandTest {
    private CliRun last;

    /** Runs the command line in-process; returns its exit code. */
    int run(String... args) {
        last = CliRun.of(args);
        return last.code;
    }

    /** What the last run printed on standard output. */
    String out() {
        return last.out;
    }

    /** What the last run printed on standard error. */
    String err() {
        return last.err;
    }
}
