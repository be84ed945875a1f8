package sonogate.io;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jcodec.codecs.h264.H264Utils;
import org.jcodec.codecs.h264.io.model.SeqParameterSet;
import org.jcodec.common.model.ColorSpace;

/**
 * An H.264 decoder configuration record (the MP4 'avcC' box): the NAL length size and the
 * parameter sets, with the facts of the first sequence parameter set that the reader checks
 * before decoding (picture size, chroma format, bit depth, field coding, colour signalling).
 */
final class AvcConfig {
  final int profile;
  final int lengthSize;
  final List<byte[]> sps;
  final List<byte[]> pps;
  final int codedWidth;
  final int codedHeight;
  final int width;
  final int height;
  final int cropLeft;
  final int cropTop;
  final boolean fullRange;
  final boolean bt709;

  private AvcConfig(int profile, int lengthSize, List<byte[]> sps, List<byte[]> pps, SeqParameterSet s, Path file)
      throws ClipFormatException {
    this.profile = profile;
    this.lengthSize = lengthSize;
    this.sps = sps;
    this.pps = pps;
    if (s.chromaFormatIdc != ColorSpace.YUV420J && s.chromaFormatIdc != ColorSpace.YUV420) {
      throw new ClipFormatException(file, "H.264 chroma format " + s.chromaFormatIdc + " is not supported (4:2:0 only)");
    }
    if (s.bitDepthLumaMinus8 != 0 || s.bitDepthChromaMinus8 != 0) {
      throw new ClipFormatException(file, "H.264 with " + (s.bitDepthLumaMinus8 + 8) + "-bit samples is not supported (8-bit only)");
    }
    if (!s.frameMbsOnlyFlag) {
      throw new ClipFormatException(file, "interlaced H.264 (field or MBAFF coding) is not supported");
    }
    long codedWidth = (s.picWidthInMbsMinus1 + 1L) * 16;
    long codedHeight = (s.picHeightInMapUnitsMinus1 + 1L) * 16;
    if (codedWidth * codedHeight > DicomReader.MAX_PIXELS) {
      throw new ClipFormatException(file, "H.264 picture of " + codedWidth + "x" + codedHeight + " pixels is larger than supported");
    }
    // cropping is counted in 2-pixel units for 4:2:0 frames
    int left = s.frameCroppingFlag ? 2 * s.frameCropLeftOffset : 0;
    int right = s.frameCroppingFlag ? 2 * s.frameCropRightOffset : 0;
    int top = s.frameCroppingFlag ? 2 * s.frameCropTopOffset : 0;
    int bottom = s.frameCroppingFlag ? 2 * s.frameCropBottomOffset : 0;
    if (left + right >= codedWidth || top + bottom >= codedHeight || left < 0 || right < 0 || top < 0 || bottom < 0) {
      throw new ClipFormatException(file, "H.264 cropping leaves no picture");
    }
    this.codedWidth = (int) codedWidth;
    this.codedHeight = (int) codedHeight;
    this.width = (int) codedWidth - left - right;
    this.height = (int) codedHeight - top - bottom;
    this.cropLeft = left;
    this.cropTop = top;
    boolean signalled = s.vuiParams != null && s.vuiParams.videoSignalTypePresentFlag;
    this.fullRange = signalled && s.vuiParams.videoFullRangeFlag;
    this.bt709 = signalled && s.vuiParams.colourDescriptionPresentFlag && s.vuiParams.matrixCoefficients == 1;
  }

  /** Parses an avcC payload. */
  static AvcConfig parse(byte[] avcC, Path file) throws ClipFormatException {
    try {
      ByteBuffer b = ByteBuffer.wrap(avcC);
      if (b.remaining() < 7) throw new ClipFormatException(file, "truncated H.264 configuration (avcC)");
      int version = b.get() & 0xFF;
      if (version != 1) throw new ClipFormatException(file, "H.264 configuration version " + version + " (expected 1)");
      int profile = b.get() & 0xFF;
      b.get(); // profile compatibility
      b.get(); // level
      int lengthSize = (b.get() & 3) + 1;
      if (lengthSize == 3) throw new ClipFormatException(file, "H.264 NAL length size 3 is invalid");
      List<byte[]> sps = sets(b, b.get() & 0x1F, file);
      if (!b.hasRemaining()) throw new ClipFormatException(file, "truncated H.264 configuration (avcC)");
      List<byte[]> pps = sets(b, b.get() & 0xFF, file);
      if (sps.isEmpty() || pps.isEmpty()) throw new ClipFormatException(file, "H.264 configuration without parameter sets");
      return new AvcConfig(profile, lengthSize, sps, pps, readSps(sps.get(0), file), file);
    } catch (java.nio.BufferUnderflowException e) {
      throw new ClipFormatException(file, "truncated H.264 configuration (avcC)");
    }
  }

  private static List<byte[]> sets(ByteBuffer b, int count, Path file) throws ClipFormatException {
    List<byte[]> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int length = b.getShort() & 0xFFFF;
      if (length < 2 || length > b.remaining()) throw new ClipFormatException(file, "truncated H.264 parameter set");
      byte[] set = new byte[length];
      b.get(set);
      out.add(set);
    }
    return out;
  }

  /** Reads a sequence parameter set NAL unit (with its header byte). */
  static SeqParameterSet readSps(byte[] nal, Path file) throws ClipFormatException {
    try {
      return H264Utils.readSPS(ByteBuffer.wrap(nal, 1, nal.length - 1).slice());
    } catch (RuntimeException e) {
      throw new ClipFormatException(file, "corrupt H.264 sequence parameter set (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** The parameter sets as an Annex B stream (start code before each NAL unit). */
  ByteBuffer annexB() {
    int total = 0;
    for (byte[] s : sps) total += 4 + s.length;
    for (byte[] p : pps) total += 4 + p.length;
    ByteBuffer out = ByteBuffer.allocate(total);
    for (byte[] s : sps) out.putInt(1).put(s);
    for (byte[] p : pps) out.putInt(1).put(p);
    return out.flip();
  }

  /** "Baseline", "Main", "High", ... for the profile_idc. */
  String profileName() {
    return switch (profile) {
      case 66 -> "Baseline";
      case 77 -> "Main";
      case 88 -> "Extended";
      case 100 -> "High";
      case 110 -> "High 10";
      case 122 -> "High 4:2:2";
      case 244 -> "High 4:4:4";
      default -> "profile " + profile;
    };
  }
}
