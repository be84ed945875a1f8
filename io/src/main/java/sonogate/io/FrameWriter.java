package sonogate.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * Writes a clip's output frames, all or nothing: frames go to a temporary file or folder next to
 * the target, and {@link #commit()} renames it into place atomically. Closing without committing
 * (an error, an interrupted run) deletes the temporary output and leaves the target as it was.
 * An existing target is refused at {@link #open} unless {@code force}; it is replaced only at commit.
 * Writers store no metadata but frame size and (AVI, GIF, HDF5) frame rate: see the README's list.
 */
public interface FrameWriter extends AutoCloseable {

  /** Output formats: a folder of PNG frames, one HDF5 file, an MJPEG AVI or an animated GIF. */
  enum Format {
    PNG, H5, AVI, GIF;

    /** Video containers we do not write; asking for one is an error rather than a folder named "x.mp4". */
    private static final Set<String> UNSUPPORTED_VIDEO = Set.of("mp4", "m4v", "mov", "mkv", "webm", "mpg", "mpeg", "wmv", "flv", "ogv");

    /** "png", "h5" (also "hdf5"), "avi" or "gif", case-insensitive. */
    public static Format parse(String s) {
      String lower = s.toLowerCase(Locale.ROOT);
      return switch (lower) {
        case "png" -> PNG;
        case "h5", "hdf5" -> H5;
        case "avi" -> AVI;
        case "gif" -> GIF;
        default -> throw new IllegalArgumentException(UNSUPPORTED_VIDEO.contains(lower)
            ? lower.toUpperCase(Locale.ROOT) + " output is not supported: write .avi (Motion JPEG) instead"
            : "unknown output format '" + s + "' (png, h5, avi or gif)");
      };
    }

    /**
     * By the name's extension: .h5/.hdf5 HDF5, .avi AVI, .gif GIF, any other name a folder of PNG
     * frames. An extension of a video format we cannot write (.mp4, .mov, ...) is refused.
     */
    public static Format forPath(Path out) {
      String n = out.getFileName().toString().toLowerCase(Locale.ROOT);
      int dot = n.lastIndexOf('.');
      String ext = dot < 0 ? "" : n.substring(dot + 1);
      return switch (ext) {
        case "h5", "hdf5" -> H5;
        case "avi" -> AVI;
        case "gif" -> GIF;
        default -> {
          if (UNSUPPORTED_VIDEO.contains(ext)) parse(ext); // throws with the reason
          yield PNG;
        }
      };
    }

    /** True when the output is one file (every format but PNG, which is a folder). */
    public boolean isFile() {
      return this != PNG;
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

  /** {@link #open(Path, Format, boolean, WriterOptions)} with the default options (frame rate unknown). */
  static FrameWriter open(Path target, Format format, boolean force) throws IOException {
    return open(target, format, force, WriterOptions.DEFAULT);
  }

  /** Opens a writer for {@code target} in the format its name implies ({@link Format#forPath}). */
  static FrameWriter open(Path target, boolean force, WriterOptions options) throws IOException {
    return open(target, Format.forPath(target), force, options);
  }

  /**
   * Opens a writer for {@code target}.
   *
   * @throws FileAlreadyExistsOutput when the target exists and {@code force} is false
   */
  static FrameWriter open(Path target, Format format, boolean force, WriterOptions options) throws IOException {
    Path abs = target.toAbsolutePath().normalize();
    Path dir = abs.getParent();
    if (dir == null || !Files.isDirectory(dir)) throw new IOException(target + ": folder " + dir + " does not exist");
    if (Files.exists(abs) && !force) throw new FileAlreadyExistsOutput(target);
    if (Files.exists(abs)) {
      boolean isDir = Files.isDirectory(abs);
      if (!format.isFile() && !isDir) throw new IOException(target + ": exists and is a file, a PNG output is a folder");
      if (format.isFile() && isDir) throw new IOException(target + ": exists and is a folder, a " + format + " output is a file");
    }
    return switch (format) {
      case PNG -> new PngFolderWriter(abs);
      case H5 -> new Hdf5FrameWriter(abs, options);
      case AVI -> new AviMjpegWriter(abs, options);
      case GIF -> new AnimatedGifWriter(abs, options);
    };
  }

  /** The target exists and {@code force} was not given. */
  final class FileAlreadyExistsOutput extends IOException {
    public FileAlreadyExistsOutput(Path target) {
      super(target + ": output exists (use --force to replace it)");
    }
  }
}
