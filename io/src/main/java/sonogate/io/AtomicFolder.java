package sonogate.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * An output folder written all or nothing: files go into a hidden temporary folder beside the
 * target ({@link #dir()}), and {@link #commit()} renames it into place (an existing target is
 * moved aside first and deleted after). Closing without committing deletes the temporary folder
 * and leaves the target as it was.
 */
public final class AtomicFolder implements AutoCloseable {
  private final Path target;
  private final Path tmp;
  private boolean committed;

  /**
   * @throws FrameWriter.FileAlreadyExistsOutput when the target exists and {@code force} is false
   */
  public static AtomicFolder create(Path target, boolean force) throws IOException {
    Path abs = target.toAbsolutePath().normalize();
    Path parent = abs.getParent();
    if (parent == null || !Files.isDirectory(parent)) throw new IOException(target + ": folder " + parent + " does not exist");
    if (Files.exists(abs) && !force) throw new FrameWriter.FileAlreadyExistsOutput(target);
    if (Files.exists(abs) && !Files.isDirectory(abs)) throw new IOException(target + ": exists and is a file, the output is a folder");
    return new AtomicFolder(abs);
  }

  AtomicFolder(Path target) throws IOException {
    this.target = target;
    this.tmp = SiblingTemp.createDirectory(target.getParent(), "." + target.getFileName() + ".");
  }

  /** The folder that appears at commit. */
  public Path target() {
    return target;
  }

  /** Where to write (the temporary folder until commit). */
  public Path dir() {
    return tmp;
  }

  public boolean committed() {
    return committed;
  }

  /** Publishes the folder at the target path. */
  public void commit() throws IOException {
    if (committed) return;
    Path old = null;
    if (Files.exists(target)) {
      old = SiblingTemp.createDirectory(target.getParent(), "." + target.getFileName() + ".old.");
      Files.delete(old);
      Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      if (old != null) Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
      throw e;
    }
    committed = true;
    if (old != null) deleteTree(old);
  }

  @Override
  public void close() throws IOException {
    if (!committed) deleteTree(tmp);
  }

  /** Deletes a file or a folder with everything in it (nothing when absent). */
  public static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) return;
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
