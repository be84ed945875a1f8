package sonogate.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Future;
import org.jcodec.codecs.mpeg4.MPEG4Decoder;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Picture;

/**
 * MPEG-4 Part 2 AVI frames (DivX/Xvid/FFmpeg "FMP4" family), Simple Profile tools: I- and
 * P-VOPs, decoded by JCodec's MPEG-4 decoder, RGB by BT.601 limited range. A not-coded VOP
 * repeats the previous frame.
 *
 * <p>Opening checks the stream's video object layer header ({@link Mpeg4VolHeader#check}) and
 * scans every frame, so a stream the decoder would get wrong fails at once, by name: B-VOPs,
 * S-VOPs and packed bitstreams (two VOPs per chunk). Video packets whose resync marker follows a
 * whole stuffing byte, which JCodec 0.2.5 misses, are rewritten before decoding
 * ({@link Mpeg4StuffingRewrite}).
 */
final class Mpeg4FrameDecoder implements AviFrameDecoder {
  private final Path file;
  private final int width;
  private final int height;
  private final int codedWidth;
  private final int codedHeight;
  private final YuvToRgb colour = YuvToRgb.of(false, false);
  // JCodec keeps the pictures it returns as references and decodes into the buffer it is given:
  // rotate three buffers so the one written is never a reference of the picture being decoded
  // (nor, the ring makes sure, a picture still being converted)
  private final PictureBuffers buffers;
  private MPEG4Decoder decoder;

  private Mpeg4FrameDecoder(Path file, int width, int height) {
    this.file = file;
    this.width = width;
    this.height = height;
    this.codedWidth = (width + 15) & ~15;
    this.codedHeight = (height + 15) & ~15;
    this.buffers = new PictureBuffers(3, codedWidth, codedHeight, ColorSpace.YUV420);
    JCodecSupport.init();
    reset();
  }

  static boolean handles(AviFile.VideoFormat f) {
    return switch (f.compressionName().toUpperCase(Locale.ROOT)) {
      case "FMP4", "XVID", "DIVX", "DX50", "MP4V", "M4S2", "MP4S", "3IV2", "DX40", "RMP4", "SMP4", "UMP4", "WV1F" -> true;
      default -> false;
    };
  }

  /**
   * A decoder for the AVI's video stream, after checking its header (in the first chunk) and
   * every chunk as described above.
   */
  static Mpeg4FrameDecoder of(AviFile avi, Path file, FileChannel channel) throws IOException {
    AviFile.VideoFormat f = avi.format();
    byte[] chunk = AviReader.readChunk(file, channel, avi, 0, new byte[0]);
    Mpeg4VolHeader vol = Mpeg4VolHeader.find(chunk, avi.size(0));
    if (vol == null) throw new ClipFormatException(file, "MPEG-4 Part 2 stream without a video object layer header in its first frame");
    vol.check(file);
    if (vol.width() != f.width() || vol.height() != f.height()) {
      throw new ClipFormatException(file, "MPEG-4 picture size " + vol.width() + "x" + vol.height() + " differs from the AVI's " + f.width() + "x" + f.height());
    }
    for (int i = 0; i < avi.frameCount(); i++) {
      if (avi.size(i) == 0) continue;
      chunk = AviReader.readChunk(file, channel, avi, i, chunk);
      checkVops(chunk, avi.size(i), i, file);
    }
    return new Mpeg4FrameDecoder(file, f.width(), f.height());
  }

  @Override
  public int channels() {
    return 3;
  }

  @Override
  public String photometric() {
    return "YBR_PARTIAL_420";
  }

  @Override
  public boolean intraOnly() {
    return false;
  }

  @Override
  public Frame decode(byte[] data, int length, int index) throws IOException {
    Picture picture = decodePicture(data, length, index);
    if (picture == null) return null; // not coded: the previous frame again
    Frame frame = colour.convert(picture, 0, 0, width, height);
    buffers.convertedBy(ConversionThread.done(frame));
    return frame;
  }

  @Override
  public Future<Frame> start(byte[] data, int length, int index, ConversionThread converter) throws IOException {
    Picture picture = decodePicture(data, length, index);
    if (picture == null) return null;
    Future<Frame> frame = converter.submit(() -> colour.convert(picture, 0, 0, width, height));
    buffers.convertedBy(frame);
    return frame;
  }

  private Picture decodePicture(byte[] data, int length, int index) throws IOException {
    byte[][] buffer = buffers.next();
    try {
      Mpeg4StuffingRewrite.Bytes vop = Mpeg4StuffingRewrite.rewrite(data, length);
      return decoder.decodeFrame(ByteBuffer.wrap(vop.data(), 0, vop.length()).slice(), buffer);
    } catch (RuntimeException e) {
      throw new ClipFormatException(file, "MPEG-4 frame " + index + " cannot be decoded (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  /** Rejects B- and S-VOPs, several VOPs in one chunk and a chunk without a VOP. */
  private static void checkVops(byte[] data, int length, int index, Path file) throws ClipFormatException {
    int vops = 0;
    for (int i = 0; i + 4 < length; i++) {
      if (data[i] != 0 || data[i + 1] != 0 || data[i + 2] != 1 || (data[i + 3] & 0xFF) != 0xB6) continue;
      int type = (data[i + 4] & 0xC0) >> 6;
      if (type == 2) throw new ClipFormatException(file, "unsupported MPEG-4 Part 2 feature: B-VOPs (frame " + index + ")");
      if (type == 3) throw new ClipFormatException(file, "unsupported MPEG-4 Part 2 feature: S-VOPs (GMC sprites, frame " + index + ")");
      if (++vops > 1) throw new ClipFormatException(file, "unsupported MPEG-4 Part 2 feature: packed bitstream (two VOPs in frame " + index + ")");
    }
    if (vops == 0) throw new ClipFormatException(file, "MPEG-4 frame " + index + " holds no video object plane");
  }

  @Override
  public void reset() {
    decoder = new MPEG4Decoder();
  }
}
