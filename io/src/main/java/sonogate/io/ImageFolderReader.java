package sonogate.io;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageInputStream;

/**
 * A folder of PNG/JPEG frames read as a clip: the files ending in .png, .jpg or .jpeg (any case),
 * in name order (name them with zero-padded numbers). Every image must have the first one's size.
 * Channels follow the first image: 1 when it is grey (with or without alpha; 1-, 2-, 4- and 16-bit
 * grey mapped to 8 bits), else 3 (RGB, palette colour; alpha dropped); later images are converted
 * to that. Frames are decoded on demand, through {@link ImageIoDecoder}'s size checks.
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
    int channels = isGrey(first) ? 1 : 3;
    ClipInfo info = new ClipInfo(source, "images", "png/jpeg", "", files.size(), first.getWidth(), first.getHeight(),
        channels, channels == 1 ? "MONOCHROME2" : "RGB", 8, Double.NaN, Double.NaN, Double.NaN, List.of());
    return new ImageFolderReader(files, info);
  }

  private static BufferedImage read(Path file) throws IOException {
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      return ImageIoDecoder.read(in, Files.size(file), file, "image", -1, -1);
    } catch (ClipFormatException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new ClipFormatException(file, "cannot decode image: " + e.getMessage(), e);
    }
  }

  /** Grey when the colour model has one colour component, or is a palette of greys only (palettes are colour otherwise). */
  private static boolean isGrey(BufferedImage img) {
    if (img.getColorModel() instanceof IndexColorModel palette) {
      for (int i = 0; i < palette.getMapSize(); i++) {
        if (palette.getRed(i) != palette.getGreen(i) || palette.getRed(i) != palette.getBlue(i)) return false;
      }
      return true;
    }
    return img.getColorModel().getNumColorComponents() == 1;
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
    boolean grey = isGrey(img);
    int bits = img.getColorModel().getComponentSize(0);
    int max = (1 << bits) - 1;
    int[] row = new int[w];
    int[] band = new int[w];
    for (int y = 0; y < h; y++) {
      if (grey && img.getColorModel() instanceof IndexColorModel palette) {
        img.getRaster().getSamples(0, y, w, 1, 0, band);
        for (int x = 0; x < w; x++) {
          int v = palette.getRed(band[x]);
          if (c == 1) out[y * w + x] = (byte) v;
          else for (int k = 0; k < 3; k++) out[(y * w + x) * 3 + k] = (byte) v;
        }
      } else if (grey) {
        img.getRaster().getSamples(0, y, w, 1, 0, band);
        for (int x = 0; x < w; x++) {
          // 16-bit: the high byte; 1/2/4-bit: stretched to 0..255
          int v = bits == 8 ? band[x] : bits > 8 ? band[x] >> (bits - 8) : (band[x] * 255 + max / 2) / max;
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
