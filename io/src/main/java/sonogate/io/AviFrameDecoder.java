package sonogate.io;

import java.io.IOException;
import java.util.concurrent.Future;

/** Turns the data of one AVI video chunk into a frame; one implementation per codec family. */
interface AviFrameDecoder {

  /** 1 (grey) or 3 (RGB): the channels of every frame. */
  int channels();

  /** The colour model for {@link ClipInfo#photometric()}. */
  String photometric();

  /** True when every chunk decodes on its own (no inter-frame prediction). */
  boolean intraOnly();

  /**
   * Decodes chunk {@code index}; {@code data[0, length)} holds its bytes. Returns null when the
   * chunk codes no new picture (the previous frame is shown again).
   */
  Frame decode(byte[] data, int length, int index) throws IOException;

  /**
   * Like {@link #decode}, but a codec with a colour conversion runs it on {@code converter} and
   * returns at once; {@code data} is no longer needed when this returns. By default: decodes here.
   */
  default Future<Frame> start(byte[] data, int length, int index, ConversionThread converter) throws IOException {
    Frame frame = decode(data, length, index);
    return frame == null ? null : ConversionThread.done(frame);
  }

  /** Forgets the previous frames (before decoding again from the first chunk). */
  void reset();

  /** Releases what the decoder holds. */
  default void close() {}
}
