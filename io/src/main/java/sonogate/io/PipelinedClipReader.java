package sonogate.io;

import java.io.IOException;
import java.util.concurrent.Future;

/**
 * A sequential video reader that decodes one frame ahead: while frame n is converted from YUV
 * to RGB on the {@link ConversionThread}, the caller's thread already decodes frame n + 1, so
 * the two steps overlap on two cores (the `bench io` peer, ffmpeg, decodes on two threads too).
 * Subclasses decode in {@link #startNext}, on the caller's thread, and submit the conversion.
 *
 * <p>A failure while decoding ahead is kept and thrown when that frame is asked for, so frame n
 * reads exactly as it would without the look-ahead.
 */
abstract class PipelinedClipReader extends SequentialClipReader {
  protected final ConversionThread converter = new ConversionThread();
  private Future<Frame> ahead;
  private Exception aheadFailure;
  private int started; // frames started (decoded, conversion submitted) in this pass

  protected PipelinedClipReader(ClipInfo info) {
    super(info);
  }

  /**
   * Decodes the next frame in display order on this thread and returns its conversion (a
   * finished future when the frame needs none); called at most {@code frameCount} times per pass.
   */
  protected abstract Future<Frame> startNext() throws IOException;

  /** Goes back to the first frame (decoder state reset). */
  protected abstract void restart() throws IOException;

  /**
   * False for a codec that has no conversion to overlap (e.g. Motion JPEG): then nothing is
   * decoded ahead, so reading single frames of an intra-only clip costs one decode each.
   */
  protected boolean decodesAhead() {
    return true;
  }

  /** Like {@link SequentialClipReader#seek}: positions the decoder at frame {@code index} if it can jump. */
  protected boolean seekTo(int index) throws IOException {
    return false;
  }

  @Override
  protected final void rewind() throws IOException {
    dropAhead(0);
    restart();
  }

  @Override
  protected final boolean seek(int index) throws IOException {
    if (!seekTo(index)) return false;
    dropAhead(index);
    return true;
  }

  private void dropAhead(int position) {
    ahead = null;
    aheadFailure = null;
    started = position;
  }

  @Override
  protected final Frame decodeNext() throws IOException {
    if (aheadFailure != null) {
      Exception e = aheadFailure;
      aheadFailure = null;
      if (e instanceof IOException io) throw io;
      throw (RuntimeException) e;
    }
    Future<Frame> current = ahead;
    ahead = null;
    if (current == null) {
      current = startNext();
      started++;
    }
    if (started < info.frameCount() && decodesAhead()) {
      try {
        ahead = startNext();
      } catch (IOException | RuntimeException e) {
        aheadFailure = e;
      }
      started++;
    }
    return ConversionThread.await(current);
  }

  @Override
  public void close() throws IOException {
    converter.close();
  }
}
