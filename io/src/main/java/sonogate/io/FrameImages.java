package sonogate.io;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

/** Converts {@link Frame}s to the standard {@link BufferedImage} types every ImageIO writer accepts. */
final class FrameImages {
  private FrameImages() {}

  /** An 8-bit grey image for a 1-channel frame, a 3-byte BGR image for an RGB frame (samples copied). */
  static BufferedImage toImage(Frame f) {
    int n = f.width() * f.height();
    byte[] s = f.samples();
    if (f.channels() == 1) {
      BufferedImage img = new BufferedImage(f.width(), f.height(), BufferedImage.TYPE_BYTE_GRAY);
      System.arraycopy(s, 0, ((DataBufferByte) img.getRaster().getDataBuffer()).getData(), 0, n);
      return img;
    }
    BufferedImage img = new BufferedImage(f.width(), f.height(), BufferedImage.TYPE_3BYTE_BGR);
    byte[] bgr = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    for (int i = 0; i < 3 * n; i += 3) {
      bgr[i] = s[i + 2];
      bgr[i + 1] = s[i + 1];
      bgr[i + 2] = s[i];
    }
    return img;
  }
}
