package sonogate.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Locale;
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
 * S-VOPs, packed bitstreams (two VOPs per chunk), and video packets whose resync marker follows
 * a whole stuffing byte. The last is a JCodec 0.2.5 defect: its resync-marker check assumes 1 to
 * 7 stuffing bits, but when a packet's data ends on a byte boundary the stuffing is the full byte
 * 0x7F, the marker is missed and the rest of the picture is decoded from the wrong bit position.
 * FFmpeg's encoder writes video packets whenever it encodes with several threads, so about one
 * packet in eight of such files hits this (in the real AVI sample, 21 of the 90 frames).
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
  private final byte[][][] buffers = new byte[3][][];
  private int nextBuffer;
  private MPEG4Decoder decoder;

  private Mpeg4FrameDecoder(Path file, int width, int height) {
    this.file = file;
    this.width = width;
    this.height = height;
    this.codedWidth = (width + 15) & ~15;
    this.codedHeight = (height + 15) & ~15;
    for (int i = 0; i < buffers.length; i++) buffers[i] = Picture.create(codedWidth, codedHeight, ColorSpace.YUV420).getData();
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
    int affected = 0;
    int first = -1;
    for (int i = 0; i < avi.frameCount(); i++) {
      if (avi.size(i) == 0) continue;
      chunk = AviReader.readChunk(file, channel, avi, i, chunk);
      if (checkVops(chunk, avi.size(i), i, file)) {
        affected++;
        if (first < 0) first = i;
      }
    }
    if (affected > 0) {
      throw new ClipFormatException(file, "unsupported MPEG-4 Part 2 feature: a video packet whose resync marker follows a whole"
          + " stuffing byte, which JCodec 0.2.5 mis-decodes (" + affected + " of " + avi.frameCount() + " frames, first: frame " + first + ")");
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
  public Frame decode(byte[] data, int length, int index) throws ClipFormatException {
    Picture picture;
    try {
      picture = decoder.decodeFrame(ByteBuffer.wrap(data, 0, length).slice(), buffers[nextBuffer]);
    } catch (RuntimeException e) {
      throw new ClipFormatException(file, "MPEG-4 frame " + index + " cannot be decoded (" + e.getClass().getSimpleName() + ")", e);
    }
    if (picture == null) return null; // not coded: the previous frame again
    nextBuffer = (nextBuffer + 1) % buffers.length;
    return colour.convert(picture, 0, 0, width, height);
  }

  /**
   * Rejects B- and S-VOPs and several VOPs in one chunk; returns true when the chunk has a resync
   * marker right after a whole stuffing byte: bytes 7F 00 00 then not 00/01. Resync markers start
   * byte-aligned (16 + fcode - 1 zero bits, a one) and cannot occur inside macroblock data;
   * stuffing is a zero then ones up to the byte boundary, so the byte before a marker is 0x7F
   * exactly when the stuffing is a whole byte.
   */
  private static boolean checkVops(byte[] data, int length, int index, Path file) throws ClipFormatException {
    int vops = 0;
    boolean alignedMarker = false;
    for (int i = 0; i + 4 < length; i++) {
      if (data[i] != 0 || data[i + 1] != 0) continue;
      int third = data[i + 2] & 0xFF;
      if (third == 1 && (data[i + 3] & 0xFF) == 0xB6) {
        int type = (data[i + 4] & 0xC0) >> 6;
        if (type == 2) throw new ClipFormatException(file, "unsupported MPEG-4 Part 2 feature: B-VOPs (frame " + index + ")");
        if (type == 3) throw new ClipFormatException(file, "unsupported MPEG-4 Part 2 feature: S-VOPs (GMC sprites, frame " + index + ")");
        if (++vops > 1) throw new ClipFormatException(file, "unsupported MPEG-4 Part 2 feature: packed bitstream (two VOPs in frame " + index + ")");
      } else if (third > 1 && vops > 0 && i > 0 && (data[i - 1] & 0xFF) == 0x7F) {
        alignedMarker = true;
      }
    }
    if (vops == 0) throw new ClipFormatException(file, "MPEG-4 frame " + index + " holds no video object plane");
    return alignedMarker;
  }

  @Override
  public void reset() {
    decoder = new MPEG4Decoder();
    nextBuffer = 0;
  }
}
