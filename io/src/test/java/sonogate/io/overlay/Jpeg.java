package sonogate.io.overlay;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import sonogate.io.Frame;

/** An RGB frame through the JDK's JPEG encoder (YCbCr 4:2:0) and back: what lossy storage does to colour edges. */
final class Jpeg {
  private Jpeg() {}

  static Frame roundTrip(Frame f, double quality) throws Exception {
    int w = f.width(), h = f.height();
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img.setRGB(x, y, f.sample(x, y, 0) << 16 | f.sample(x, y, 1) << 8 | f.sample(x, y, 2));
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ImageWriteParam p = writer.getDefaultWriteParam();
    p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    p.setCompressionQuality((float) quality);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(img, null, null), p);
    } finally {
      writer.dispose();
    }
    BufferedImage back = ImageIO.read(new ByteArrayInputStream(bytes.toByteArray()));
    byte[] s = new byte[w * h * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int c = back.getRGB(x, y), i = 3 * (y * w + x);
        s[i] = (byte) (c >> 16);
        s[i + 1] = (byte) (c >> 8);
        s[i + 2] = (byte) c;
      }
    }
    return new Frame(w, h, 3, s);
  }
}
