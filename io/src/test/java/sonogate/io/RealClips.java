package sonogate.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Opens the real sample files for tests (clips and single images) and reads their frames. */
public final class RealClips {
  private RealClips() {}

  public static ClipReader open(Path file) throws IOException {
    return ImageFolderReader.isImage(file) ? ImageFolderReader.openImage(file) : ClipReaders.open(file);
  }

  /** {@code count} frames spread evenly over the clip (repeating frames of shorter clips). */
  public static List<Frame> frames(String relative, int count) throws IOException {
    try (ClipReader r = open(TestData.file(relative))) {
      int n = r.info().frameCount();
      List<Frame> out = new ArrayList<>(count);
      for (int i = 0; i < count; i++) out.add(r.readFrame(n >= count ? (int) ((long) i * n / count) : i % n));
      return out;
    }
  }
}
