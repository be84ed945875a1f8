package sonogate.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A file written under a hidden temporary name in its target's folder (so the final rename stays on
 * one file system and is atomic) and renamed over the target on {@link #commit()}, after an fsync.
 * Closing without committing deletes the temporary file: an interrupted run leaves nothing behind
 * and an existing target untouched.
 */
final class AtomicFile implements AutoCloseable {
  private final Path target;
  private final Path tmp;
  private boolean committed;

  AtomicFile(Path target) throws IOException {
    this.target = target;
    this.tmp = SiblingTemp.createFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
  }

  Path target() {
    return target;
  }

  /** Where to write until commit. */
  Path tmp() {
    return tmp;
  }

  boolean committed() {
    return committed;
  }

  void commit() throws IOException {
    if (committed) return;
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException(target + ": the file system cannot rename atomically", e);
    }
    committed = true;
  }

  @Override
  public void close() throws IOException {
    if (!committed) Files.deleteIfExists(tmp);
  }
}
