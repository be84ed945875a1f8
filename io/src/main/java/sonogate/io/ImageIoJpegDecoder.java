package sonogate.io;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * JPEG baseline/extended 8-bit frames through the JDK's ImageIO. ImageIO applies the JPEG colour
 * transform itself (YCbCr to RGB, chosen from JFIF/Adobe markers or component ids as libjpeg
 * does), so YBR_FULL_422 / YBR_PARTIAL_* frames come out as RGB and need no further conversion.
 * {@link ImageIoDecoder} checks the stream's size against the header before decoding.
 */
final class ImageIoJpegDecoder {
  private ImageIoJpegDecoder() {}

  /** The format of the decoded samples: colour frames are RGB after ImageIO, 8 bits. */
  static PixelFormat decodedFormat(PixelFormat f) {
    PixelFormat out = f.withBits(8, 8);
    return f.samplesPerPixel() == 3 ? out.withPhotometric(PixelFormat.RGB) : out;
  }

  static int[] decode(byte[] data, PixelFormat f, Path file, int frame) throws ClipFormatException {
    BufferedImage image;
    // in memory: ImageIO's default stream would cache every frame in a temporary file
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
      image = ImageIoDecoder.read(in, data.length, file, "JPEG frame " + frame, f.columns(), f.rows());
    } catch (ClipFormatException e) {
      throw e;
    } catch (IOException e) { // closing a memory stream
      throw new ClipFormatException(file, "JPEG frame " + frame + " cannot be decoded (" + e.getMessage() + ")", e);
    }
    int n = f.pixels();
    Raster raster = image.getRaster();
    if (f.samplesPerPixel() == 1) {
      if (raster.getNumBands() != 1) throw new ClipFormatException(file, "JPEG frame " + frame + " has " + raster.getNumBands() + " components, expected 1");
      return raster.getPixels(0, 0, f.columns(), f.rows(), (int[]) null);
    }
    if (raster.getNumBands() < 3) throw new ClipFormatException(file, "JPEG frame " + frame + " has " + raster.getNumBands() + " components, expected 3");
    int[] argb = image.getRGB(0, 0, f.columns(), f.rows(), null, 0, f.columns());
    int[] out = new int[3 * n];
    for (int p = 0; p < n; p++) {
      out[3 * p] = argb[p] >> 16 & 0xFF;
      out[3 * p + 1] = argb[p] >> 8 & 0xFF;
      out[3 * p + 2] = argb[p] & 0xFF;
    }
    return out;
  }
}
