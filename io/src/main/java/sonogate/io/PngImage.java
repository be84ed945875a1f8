package sonogate.io;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Writes one {@link Frame} as an 8-bit grey or RGB PNG file. */
public final class PngImage {
  private PngImage() {}

  public static void write(Frame f, Path file) throws IOException {
    BufferedImage img = FrameImages.toImage(f);
    if (!ImageIO.write(img, "png", file.toFile())) throw new IOException("no PNG writer in this JDK");
  }
}
