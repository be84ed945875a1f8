package sonogate.cli;

import java.io.UncheckedIOException;

/** An exception's message as the one line a command prints for a failed file. */
final class ErrorText {
    private ErrorText() {}

    /** The message of {@code e} (of its cause for an UncheckedIOException), or its class name when it has none. */
    static String of(Exception e) {
        Throwable t = e instanceof UncheckedIOException u && u.getCause() != null ? u.getCause() : e;
        return t.getMessage() == null ? t.getClass().getSimpleName() : oneLine(t.getMessage());
    }

    /** {@code s} with its line breaks turned into spaces ("failed" for none). */
    static String oneLine(String s) {
        return s == null ? "failed" : s.replace('\n', ' ').replace('\r', ' ');
    }
}
