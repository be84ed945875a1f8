package sonogate.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A clip file that cannot be read: truncated, corrupt, lying about its sizes, or using an encoding
 * these readers do not support. Checked (an {@link IOException}) because callers already handle
 * I/O failures of the same files; the one-line message always names the file and the problem.
 * Messages never quote DICOM attribute values other than the technical ones the readers use.
 */
public final class ClipFormatException extends IOException {
  private final Path file;

  public ClipFormatException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file;
  }

  public ClipFormatException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
    this.file = file;
  }

  /** The file that could not be read. */
  public Path file() {
    return file;
  }
}
