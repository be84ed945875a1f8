package sonogate.io;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * A folder of PNG frames {@code frame_00000.png, frame_00001.png, ...} (8-bit grey or RGB),
 * written into a hidden temporary folder beside the target and renamed into place at commit.
 * Streams: no frame is kept after it is written. ImageIO's PNG writer adds no text chunks: the
 * files hold pixels and size only.
 */
final class PngFolderWriter implements FrameWriter {
  private final Path target;
  private final Path tmp;
  private int count;
  private boolean committed;

  PngFolderWriter(Path target) throws IOException {
    this.target = target;
    this.tmp = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".");
  }

  /** The file name of frame {@code index}. */
  static String name(int index) {
    return String.format("frame_%05d.png", index);
  }

  @Override
  public void write(Frame f) throws IOException {
    if (committed) throw new IllegalStateException("already committed");
    BufferedImage img = FrameImages.toImage(f);
    if (!ImageIO.write(img, "png", tmp.resolve(name(count)).toFile())) throw new IOException("no PNG writer in this JDK");
    count++;
  }

  @Override
  public int count() {
    return count;
  }

  @Override
  public void commit() throws IOException {
    if (committed) return;
    if (count == 0) throw new IOException(target + ": no frames to write");
    Path old = null;
    if (Files.exists(target)) {
      old = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".old.");
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

  static void deleteTree(Path root) throws IOException {
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
