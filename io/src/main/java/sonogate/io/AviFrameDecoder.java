package sonogate.io;

import java.io.IOException;

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

  /** Forgets the previous frames (before decoding again from the first chunk). */
  void reset();

  /** Releases what the decoder holds. */
  default void close() {}
}
