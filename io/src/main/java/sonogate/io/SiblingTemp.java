package sonogate.io;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Hidden temporary files and folders beside an output, for atomic writes. Unlike
 * {@code Files.createTempFile}, which makes them owner-only (0600 / 0700) and so leaves every output
 * unreadable to other users after the rename, these get the permissions any new file gets (the
 * process's umask applies), like the output of any other tool.
 */
public final class SiblingTemp {
  private SiblingTemp() {}

  /** A new empty file {@code dir/.PREFIX<random>SUFFIX}. */
  public static Path createFile(Path dir, String prefix, String suffix) throws IOException {
    for (int attempt = 0; ; attempt++) {
      try {
        return Files.createFile(dir.resolve(name(prefix, suffix)));
      } catch (FileAlreadyExistsException e) {
        if (attempt > 100) throw e;
      }
    }
  }

  /** A new empty folder {@code dir/.PREFIX<random>}. */
  public static Path createDirectory(Path dir, String prefix) throws IOException {
    for (int attempt = 0; ; attempt++) {
      try {
        return Files.createDirectory(dir.resolve(name(prefix, "")));
      } catch (FileAlreadyExistsException e) {
        if (attempt > 100) throw e;
      }
    }
  }

  private static String name(String prefix, String suffix) {
    return prefix + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + suffix;
  }
}
