package sonogate.io;

import java.io.IOException;

/**
 * A clip whose frames can only be decoded in order (inter-coded video, GIF compositing): random
 * access is built on {@link #decodeNext()}. Reading the next frame costs one decode; reading
 * ahead decodes (and drops) the frames in between; going back rewinds to the start and decodes
 * forward again, so stream with {@link #frames()} or read in increasing order. Formats whose
 * frames stand alone override {@link #seek(int)} to jump instead.
 */
abstract class SequentialClipReader implements ClipReader {
  protected final ClipInfo info;
  private int next;
  private boolean broken;

  protected SequentialClipReader(ClipInfo info) {
    this.info = info;
  }

  /** Goes back to the first frame (decoder state reset). */
  protected abstract void rewind() throws IOException;

  /** Decodes the next frame in display order; called at most {@code frameCount} times per pass. */
  protected abstract Frame decodeNext() throws IOException;

  /**
   * Positions the decoder so that {@link #decodeNext()} returns frame {@code index}, when the
   * format can do that without decoding the frames before it; returns false otherwise.
   */
  protected boolean seek(int index) throws IOException {
    return false;
  }

  @Override
  public final ClipInfo info() {
    return info;
  }

  @Override
  public final Frame readFrame(int index) throws IOException {
    if (index < 0 || index >= info.frameCount()) {
      throw new IndexOutOfBoundsException("frame " + index + " of " + info.frameCount());
    }
    if (index != next && !broken && seek(index)) next = index;
    if (index < next || broken) {
      // the decoder's state after a failure is unknown: start again from a clean one
      rewind();
      next = 0;
      broken = false;
    }
    try {
      while (next < index) {
        decodeNext();
        next++;
      }
      Frame frame = decodeNext();
      next++;
      return frame;
    } catch (IOException | RuntimeException e) {
      broken = true;
      throw e;
    }
  }
}
