package sonogate.train;

import java.nio.file.Path;

/**
 * A checkpoint that cannot be written or read: missing, truncated, corrupt, not HDF5, of another
 * model configuration, missing a dataset, of a wrong shape or holding non-finite values. The
 * message is one line, {@code <file>: <problem>}, fit to print as it is; the underlying exception
 * (jhdf's, an I/O error), if any, is the cause.
 */
public final class CheckpointException extends RuntimeException {
    private final transient Path file;

    public CheckpointException(Path file, String problem) {
        this(file, problem, null);
    }

    public CheckpointException(Path file, String problem, Throwable cause) {
        super(file + ": " + oneLine(problem), cause);
        this.file = file;
    }

    /** The checkpoint the problem is about. */
    public Path file() {
        return file;
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
