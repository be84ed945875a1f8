package sonogate.io;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Writes one {@link Frame} as an 8-bit grey or RGB PNG file. */
public final class PngImage {
  private PngImage() {}

  public static void write(Frame f, Path file) throws IOException {
    BufferedImage img = new BufferedImage(f.width(), f.height(),
        f.channels() == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
    if (f.channels() == 1) {
      img.getRaster().setDataElements(0, 0, f.width(), f.height(), f.samples());
    } else {
      int[] px = new int[f.width() * f.height() * 3];
      byte[] s = f.samples();
      for (int i = 0; i < px.length; i++) px[i] = s[i] & 0xFF;
      img.getRaster().setPixels(0, 0, f.width(), f.height(), px);
    }
    if (!ImageIO.write(img, "png", file.toFile())) throw new IOException("no PNG writer in this JDK");
  }
}
