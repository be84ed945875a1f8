package sonogate.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A folder of PNG frames {@code frame_00000.png, frame_00001.png, ...} (8-bit grey or RGB),
 * written into a hidden temporary folder beside the target and renamed into place at commit
 * ({@link AtomicFolder}). Streams: no frame is kept after it is written. ImageIO's PNG writer adds
 * no text chunks: the files hold pixels and size only.
 */
final class PngFolderWriter implements FrameWriter {
  private final AtomicFolder folder;
  private int count;

  PngFolderWriter(Path target) throws IOException {
    this.folder = new AtomicFolder(target);
  }

  /** The file name of frame {@code index}. */
  static String name(int index) {
    return String.format("frame_%05d.png", index);
  }

  @Override
  public void write(Frame f) throws IOException {
    if (folder.committed()) throw new IllegalStateException("already committed");
    PngImage.write(f, folder.dir().resolve(name(count)));
    count++;
  }

  @Override
  public int count() {
    return count;
  }

  @Override
  public void commit() throws IOException {
    if (folder.committed()) return;
    if (count == 0) throw new IOException(folder.target() + ": no frames to write");
    folder.commit();
  }

  @Override
  public void close() throws IOException {
    folder.close();
  }
}
