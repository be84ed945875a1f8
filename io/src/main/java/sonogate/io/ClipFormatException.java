package sonogate.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A clip file that cannot be read: truncated, corrupt, lying about its sizes, or using an encoding
 * these readers do not support. Checked (an {@link IOException}) because callers already handle
 * I/O failures of the same files; the one-line message always names the file and the problem.
 * Messages never quote DICOM attribute values other than the technical ones the readers use, and
 * whatever they quote from a file is made printable and cut short here: a corrupt header cannot
 * turn the message into several lines or megabytes of bytes.
 */
public final class ClipFormatException extends IOException {
  /** Longest problem text kept (quoted header values can be arbitrary bytes of any length). */
  static final int MAX_PROBLEM_CHARS = 300;

  private final Path file;

  public ClipFormatException(Path file, String problem) {
    super(message(file, problem));
    this.file = file;
  }

  public ClipFormatException(Path file, String problem, Throwable cause) {
    super(message(file, problem), cause);
    this.file = file;
  }

  /** The file that could not be read. */
  public Path file() {
    return file;
  }

  private static String message(Path file, String problem) {
    String p = String.valueOf(problem);
    if (p.length() > MAX_PROBLEM_CHARS) p = p.substring(0, MAX_PROBLEM_CHARS) + "...";
    return printable(file + ": " + p);
  }

  /** Control characters (line breaks, NUL, C1 controls) as '?'. */
  static String printable(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      b.append(Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || c == '\uFFFD' ? '?' : c);
    }
    return b.toString();
  }
}
