package sonogate.io;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * A folder of PNG/JPEG frames read as a clip: the files ending in .png, .jpg or .jpeg (any case),
 * in name order (name them with zero-padded numbers). Every image must have the first one's size.
 * Channels follow the first image: 1 when it is grey (with or without alpha), else 3 (RGB; alpha
 * dropped); later images are converted to that. Frames are decoded on demand.
 */
public final class ImageFolderReader implements ClipReader {
  private final List<Path> files;
  private final ClipInfo info;

  private ImageFolderReader(List<Path> files, ClipInfo info) {
    this.files = files;
    this.info = info;
  }

  /** True for a folder (what {@link #open} reads) rather than a clip file. */
  public static boolean isImageFolder(Path path) {
    return Files.isDirectory(path);
  }

  public static ImageFolderReader open(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) throw new ClipFormatException(dir, "not a folder");
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> Files.isRegularFile(p) && isImage(p)).sorted().toList();
    }
    if (files.isEmpty()) throw new ClipFormatException(dir, "no .png, .jpg or .jpeg frames in the folder");
    return of(dir, files);
  }

  /** One PNG/JPEG image as a clip of one frame. */
  public static ImageFolderReader openImage(Path file) throws IOException {
    if (!Files.isRegularFile(file)) throw new ClipFormatException(file, "not a file");
    return of(file, List.of(file));
  }

  /** True for a file name ending in .png, .jpg or .jpeg (any case), not hidden. */
  public static boolean isImage(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return !n.startsWith(".") && (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg"));
  }

  private static ImageFolderReader of(Path source, List<Path> files) throws IOException {
    BufferedImage first = read(files.get(0));
    int bands = first.getRaster().getNumBands();
    int channels = bands <= 2 ? 1 : 3;
    ClipInfo info = new ClipInfo(source, "images", "png/jpeg", "", files.size(), first.getWidth(), first.getHeight(),
        channels, channels == 1 ? "MONOCHROME2" : "RGB", 8, Double.NaN, Double.NaN, Double.NaN, List.of());
    return new ImageFolderReader(files, info);
  }

  private static BufferedImage read(Path file) throws IOException {
    BufferedImage img;
    try {
      img = ImageIO.read(file.toFile());
    } catch (IOException | RuntimeException e) {
      throw new ClipFormatException(file, "cannot decode image: " + e.getMessage(), e);
    }
    if (img == null) throw new ClipFormatException(file, "not a readable PNG/JPEG image");
    return img;
  }

  @Override
  public ClipInfo info() {
    return info;
  }

  @Override
  public Frame readFrame(int index) throws IOException {
    if (index < 0 || index >= files.size()) throw new IndexOutOfBoundsException("frame " + index + " of " + files.size());
    Path file = files.get(index);
    BufferedImage img = read(file);
    int w = info.width(), h = info.height();
    if (img.getWidth() != w || img.getHeight() != h) {
      throw new ClipFormatException(file, "is " + img.getWidth() + "x" + img.getHeight() + ", the folder's first frame " + w + "x" + h);
    }
    int c = info.channels();
    byte[] out = new byte[w * h * c];
    boolean grey = img.getRaster().getNumBands() <= 2;
    int[] row = new int[w];
    int[] band = new int[w];
    for (int y = 0; y < h; y++) {
      if (grey) {
        img.getRaster().getSamples(0, y, w, 1, 0, band);
        for (int x = 0; x < w; x++) {
          int v = img.getColorModel().getComponentSize(0) > 8 ? band[x] >> (img.getColorModel().getComponentSize(0) - 8) : band[x];
          if (c == 1) out[y * w + x] = (byte) v;
          else for (int k = 0; k < 3; k++) out[(y * w + x) * 3 + k] = (byte) v;
        }
      } else {
        img.getRGB(0, y, w, 1, row, 0, w);
        for (int x = 0; x < w; x++) {
          int r = (row[x] >> 16) & 0xFF, g = (row[x] >> 8) & 0xFF, b = row[x] & 0xFF;
          if (c == 1) {
            out[y * w + x] = (byte) ((299 * r + 587 * g + 114 * b + 500) / 1000);
          } else {
            int i = (y * w + x) * 3;
            out[i] = (byte) r;
            out[i + 1] = (byte) g;
            out[i + 2] = (byte) b;
          }
        }
      }
    }
    return new Frame(w, h, c, out);
  }

  @Override
  public void close() {}
}
