package sonogate.io;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes one PNG/JPEG image through ImageIO with the checks ImageIO lacks: the size stated in
 * the image's header is compared with what the caller expects and with what the encoded bytes can
 * possibly hold BEFORE ImageIO allocates the raster (a 200-byte file claiming 30000 x 30000 pixels
 * is refused, not an out-of-memory error), and a JPEG whose entropy-coded data ends early (which
 * ImageIO only reports as a warning, filling the rest grey) is an error: truncated input never
 * becomes a silently wrong frame.
 */
final class ImageIoDecoder {
  private ImageIoDecoder() {}

  /** Deflate (PNG) expands at most ~1032:1; JPEG far less. Pixels beyond this ratio cannot be in the data. */
  static final long MAX_PIXELS_PER_BYTE = 1100;

  /**
   * @param in the encoded image
   * @param encodedBytes its length (for the plausibility check)
   * @param file the file named in errors
   * @param what e.g. "JPEG frame 3" or "image"
   * @param width the expected width, or -1 for any
   * @param height the expected height, or -1 for any
   */
  static BufferedImage read(ImageInputStream in, long encodedBytes, Path file, String what, int width, int height)
      throws ClipFormatException {
    if (in == null) throw new ClipFormatException(file, what + ": cannot be opened as an image");
    Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
    if (!readers.hasNext()) throw new ClipFormatException(file, what + " is not a readable PNG/JPEG image");
    ImageReader reader = readers.next();
    List<String> warnings = new ArrayList<>();
    try {
      reader.setInput(in, true, true);
      reader.addIIOReadWarningListener(new IIOReadWarningListener() {
        @Override
        public void warningOccurred(ImageReader source, String warning) {
          warnings.add(warning);
        }
      });
      long w = reader.getWidth(0), h = reader.getHeight(0);
      if (width >= 0 && (w != width || h != height)) {
        throw new ClipFormatException(file, what + " is " + w + "x" + h + " but the header says " + width + "x" + height);
      }
      if (w < 1 || h < 1 || w * h > DicomReader.MAX_PIXELS) {
        throw new ClipFormatException(file, what + " of " + w + "x" + h + " pixels is larger than supported");
      }
      if (w * h > MAX_PIXELS_PER_BYTE * encodedBytes + 65536) {
        throw new ClipFormatException(file, what + " declares " + w + "x" + h + " pixels, more than its "
            + encodedBytes + " bytes can hold");
      }
      BufferedImage image = reader.read(0);
      for (String warning : warnings) {
        if (warning.toLowerCase(java.util.Locale.ROOT).contains("premature end")) throw new ClipFormatException(file, what + " is truncated (" + warning + ")");
      }
      return image;
    } catch (ClipFormatException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new ClipFormatException(file, what + " cannot be decoded (" + e.getMessage() + ")", e);
    } finally {
      reader.dispose();
    }
  }
}
