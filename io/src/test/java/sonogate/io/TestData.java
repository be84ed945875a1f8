package sonogate.io;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the shared real-data folder, read in place (never copied into the repository): walks up
 * from the working directory until {@code shared/data/ultrasound} or
 * {@code ../shared/data/ultrasound} exists. Tests that need it skip visibly when it is absent.
 */
public final class TestData {
  private TestData() {}

  public static final Path DIR = find();

  private static Path find() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      for (Path candidate : new Path[] {d.resolve("shared/data/ultrasound"), d.resolve("../shared/data/ultrasound")}) {
        if (Files.isDirectory(candidate)) return candidate.normalize();
      }
    }
    return null;
  }

  /** The real file {@code relative} (e.g. "cfd/x.dcm"), or a skipped test when the data is absent. */
  public static Path file(String relative) {
    assumeTrue(DIR != null, "shared/data/ultrasound not found above " + Path.of("").toAbsolutePath()
        + ": skipping tests on real files");
    Path p = DIR.resolve(relative);
    assumeTrue(Files.isRegularFile(p), "real test file missing: " + p + " (skipping)");
    return p;
  }

  /** True when {@code program} is an executable on the PATH. */
  public static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) return false;
    for (String dir : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, program))) return true;
    }
    return false;
  }
}
