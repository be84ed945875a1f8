package sonogate.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes a clip's output frames, all or nothing: frames go to a temporary file or folder next to
 * the target, and {@link #commit()} renames it into place atomically. Closing without committing
 * (an error, an interrupted run) deletes the temporary output and leaves the target as it was.
 * An existing target is refused at {@link #open} unless {@code force}; it is replaced only at commit.
 */
public interface FrameWriter extends AutoCloseable {

  /** Output formats: a folder of PNG frames, or one HDF5 file. */
  enum Format {
    PNG, H5;

    /** "png" or "h5" (also "hdf5"), case-insensitive. */
    public static Format parse(String s) {
      return switch (s.toLowerCase(Locale.ROOT)) {
        case "png" -> PNG;
        case "h5", "hdf5" -> H5;
        default -> throw new IllegalArgumentException("unknown output format '" + s + "' (png or h5)");
      };
    }

    /** H5 when the name ends in .h5 or .hdf5, else PNG (a folder). */
    public static Format forPath(Path out) {
      String n = out.getFileName().toString().toLowerCase(Locale.ROOT);
      return n.endsWith(".h5") || n.endsWith(".hdf5") ? H5 : PNG;
    }
  }

  /** Appends the next frame (all frames of one output share one size and channel count). */
  void write(Frame frame) throws IOException;

  /** Frames written so far. */
  int count();

  /** Publishes the output at the target path atomically; nothing is written after it. */
  void commit() throws IOException;

  /** Discards the output unless committed. */
  @Override
  void close() throws IOException;

  /**
   * Opens a writer for {@code target}.
   *
   * @throws FileAlreadyExistsOutput when the target exists and {@code force} is false
   */
  static FrameWriter open(Path target, Format format, boolean force) throws IOException {
    Path abs = target.toAbsolutePath().normalize();
    Path dir = abs.getParent();
    if (dir == null || !Files.isDirectory(dir)) throw new IOException(target + ": folder " + dir + " does not exist");
    if (Files.exists(abs) && !force) throw new FileAlreadyExistsOutput(target);
    if (Files.exists(abs)) {
      boolean isDir = Files.isDirectory(abs);
      if (format == Format.PNG && !isDir) throw new IOException(target + ": exists and is a file, a PNG output is a folder");
      if (format == Format.H5 && isDir) throw new IOException(target + ": exists and is a folder, an h5 output is a file");
    }
    return format == Format.PNG ? new PngFolderWriter(abs) : new Hdf5FrameWriter(abs);
  }

  /** The target exists and {@code force} was not given. */
  final class FileAlreadyExistsOutput extends IOException {
    public FileAlreadyExistsOutput(Path target) {
      super(target + ": output exists (use --force to replace it)");
    }
  }
}
