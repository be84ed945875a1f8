package sonogate.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rewrite of whole stuffing bytes before MPEG-4 resync markers: exact bytes on hand-made VOPs,
 * and, on the real AVI and on an ffmpeg-made one with many small video packets, a rewritten
 * elementary stream that ffmpeg decodes to exactly the frames of the original (so the rewrite
 * changes the bits JCodec trips on, never the pictures).
 */
class Mpeg4StuffingRewriteTest {
  private static final byte[] VOP_START = {0, 0, 1, (byte) 0xB6};

  @TempDir Path dir;

  /** A VOP start code, a header byte with the VOP type in its top two bits, then {@code body}. */
  private static byte[] vop(int type, int... body) {
    byte[] b = new byte[5 + body.length];
    System.arraycopy(VOP_START, 0, b, 0, 4);
    b[4] = (byte) (type << 6 | 0x15);
    for (int i = 0; i < body.length; i++) b[5 + i] = (byte) body[i];
    return b;
  }

  @Test
  void wholeStuffingByteBecomesMacroblockStuffingAndShortStuffing() {
    // I-VOP: 0x7F -> 0000 0000 1 (stuffing macroblock) + 011 1111; P-VOP: 0 0000 0000 1 + 01 1111
    byte[] i = vop(0, 0x12, 0x7F, 0x00, 0x00, 0x80, 0x34, 0x7F, 0x00, 0x00, 0xA5, 0x07);
    Mpeg4StuffingRewrite.Bytes ri = Mpeg4StuffingRewrite.rewrite(i, i.length);
    assertArrayEquals(vop(0, 0x12, 0x00, 0xBF, 0x00, 0x00, 0x80, 0x34, 0x00, 0xBF, 0x00, 0x00, 0xA5, 0x07),
        Arrays.copyOf(ri.data(), ri.length()));
    byte[] p = vop(1, 0x7F, 0x00, 0x00, 0x40, 0x01);
    Mpeg4StuffingRewrite.Bytes rp = Mpeg4StuffingRewrite.rewrite(p, p.length);
    assertArrayEquals(vop(1, 0x00, 0x5F, 0x00, 0x00, 0x40, 0x01), Arrays.copyOf(rp.data(), rp.length()));
    assertEquals(2, Mpeg4StuffingRewrite.count(i, i.length));
    assertEquals(1, Mpeg4StuffingRewrite.count(p, p.length));
  }

  @Test
  void otherBytesAreLeftAlone() {
    // shorter stuffing (3F, BF), a start code after 7F, 7F not followed by 16 zeros, a pattern
    // before the VOP start code, and one cut by the end of the data
    byte[] before = {0x7F, 0, 0, (byte) 0x80};
    byte[] v = vop(1, 0x3F, 0, 0, 0x80, 0xBF, 0, 0, 0x80, 0x7F, 0, 0, 1, 0xB3, 0x7F, 0, 1, 0x80, 0x7F, 0, 0);
    byte[] data = new byte[before.length + v.length];
    System.arraycopy(before, 0, data, 0, before.length);
    System.arraycopy(v, 0, data, before.length, v.length);
    assertEquals(0, Mpeg4StuffingRewrite.count(data, data.length));
    assertSame(data, Mpeg4StuffingRewrite.rewrite(data, data.length).data());
    // only the first length bytes count
    byte[] i = vop(0, 0x7F, 0x00, 0x00, 0x80);
    assertEquals(0, Mpeg4StuffingRewrite.count(i, i.length - 1));
  }

  @Test
  void realAviRewrittenDecodesInFfmpegExactlyAsTheOriginal() throws Exception {
    Path file = TestData.file("bmode-video/pocus_Pneu_northumbria_0409_set1_vid1.avi");
    assertRewriteKeepsPictures(file, 516, 516);
  }

  @Test
  void ffmpegPacketisedAviRewrittenDecodesInFfmpegExactlyAsTheOriginal() throws Exception {
    FfmpegTool.require();
    Path raw = SyntheticClips.writeRaw(SyntheticClips.frames(202, 118, 13, true, 5), dir.resolve("source.raw"));
    Path avi = dir.resolve("packets.avi");
    // many small video packets and an I-VOP every 4 frames: both VOP types get whole stuffing bytes
    FfmpegTool.run("-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "202x118", "-r", "25", "-i", raw.toString(),
        "-c:v", "mpeg4", "-threads", "1", "-ps", "60", "-g", "4", avi.toString());
    assertRewriteKeepsPictures(avi, 202, 118);
  }

  /**
   * Writes the AVI's video chunks as an MPEG-4 elementary stream twice, as they are and
   * rewritten, checks that both VOP types had whole stuffing bytes, and that ffmpeg decodes the two
   * to identical frames.
   */
  private void assertRewriteKeepsPictures(Path file, int width, int height) throws Exception {
    FfmpegTool.require();
    ByteArrayOutputStream original = new ByteArrayOutputStream();
    ByteArrayOutputStream rewritten = new ByteArrayOutputStream();
    int[] rewrittenByType = new int[2];
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      AviFile avi = AviFile.read(file, ch);
      byte[] chunk = new byte[0];
      for (int i = 0; i < avi.frameCount(); i++) {
        int size = avi.size(i);
        if (size == 0) continue;
        chunk = AviReader.readChunk(file, ch, avi, i, chunk);
        original.write(chunk, 0, size);
        Mpeg4StuffingRewrite.Bytes r = Mpeg4StuffingRewrite.rewrite(chunk, size);
        rewritten.write(r.data(), 0, r.length());
        int n = Mpeg4StuffingRewrite.count(chunk, size);
        assertEquals(size + n, r.length(), "frame " + i + ": one byte more per whole stuffing byte");
        if (n > 0) rewrittenByType[vopType(chunk, size)] += n;
      }
    }
    assertTrue(rewrittenByType[0] > 0 && rewrittenByType[1] > 0,
        "whole stuffing bytes in I-VOPs " + rewrittenByType[0] + ", in P-VOPs " + rewrittenByType[1]);
    Path a = Files.write(dir.resolve("original.m4v"), original.toByteArray());
    Path b = Files.write(dir.resolve("rewritten.m4v"), rewritten.toByteArray());
    List<byte[]> fromOriginal = FfmpegTool.decode(a, width, height, 3);
    List<byte[]> fromRewritten = FfmpegTool.decode(b, width, height, 3);
    assertEquals(fromOriginal.size(), fromRewritten.size());
    assertTrue(fromOriginal.size() > 0);
    for (int i = 0; i < fromOriginal.size(); i++) assertArrayEquals(fromOriginal.get(i), fromRewritten.get(i), "frame " + i);
  }

  private static int vopType(byte[] data, int length) {
    for (int i = 0; i + 4 < length; i++) {
      if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1 && (data[i + 3] & 0xFF) == 0xB6) return (data[i + 4] & 0xC0) >> 6;
    }
    throw new AssertionError("no VOP start code");
  }
}
