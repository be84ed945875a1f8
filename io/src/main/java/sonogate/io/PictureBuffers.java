package sonogate.io;

import java.io.IOException;
import java.util.concurrent.Future;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Picture;

/**
 * A ring of YUV picture buffers for a decoder whose output is converted on another thread
 * ({@link ConversionThread}): a buffer is handed out again only once the conversion reading it
 * has finished, so a picture is never overwritten while it is converted.
 */
final class PictureBuffers {
  private final byte[][][] planes;
  private final Future<Frame>[] readers;
  private int current;

  /** {@code count} buffers of {@code width x height} pictures in {@code colorSpace}. */
  @SuppressWarnings("unchecked")
  PictureBuffers(int count, int width, int height, ColorSpace colorSpace) {
    planes = new byte[count][][];
    readers = (Future<Frame>[]) new Future<?>[count];
    for (int i = 0; i < count; i++) planes[i] = Picture.create(width, height, colorSpace).getData();
  }

  /** The buffer to decode into next, once no conversion reads it any more. */
  byte[][] next() throws IOException {
    Future<Frame> reader = readers[current];
    if (reader != null) {
      readers[current] = null;
      ConversionThread.await(reader);
    }
    return planes[current];
  }

  /** Marks the buffer {@link #next()} returned as read by {@code conversion} and moves to the next one. */
  void convertedBy(Future<Frame> conversion) {
    readers[current] = conversion;
    current = (current + 1) % planes.length;
  }
}
