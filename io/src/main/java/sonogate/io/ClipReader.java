package sonogate.io;

import java.io.IOException;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * An open clip that hands out frames on demand: a long clip never sits in memory whole. Random
 * access through {@link #readFrame(int)}; sequential streaming through {@link #frames()}. Not
 * thread-safe; close it to release the file (and any temporary file).
 */
public interface ClipReader extends AutoCloseable {

  /** Technical metadata of the clip (no patient or study identifiers). */
  ClipInfo info();

  /**
   * Decodes frame {@code index} (0-based). Cheap for every format except zlib MetaImage, where
   * going backwards re-inflates from the start.
   */
  Frame readFrame(int index) throws IOException;

  /** Streams the frames in order, decoding one at a time. */
  default Iterator<Frame> frames() {
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < info().frameCount();
      }

      @Override
      public Frame next() {
        if (!hasNext()) throw new NoSuchElementException();
        try {
          return readFrame(next++);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
    };
  }

  @Override
  void close() throws IOException;
}
