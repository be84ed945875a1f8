package sonogate.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Truncated, corrupt and lying video files: a one-line {@link ClipFormatException} naming the
 * file, or (for damage a decoder cannot notice) frames of the declared size; never another
 * exception, an out-of-memory error or a hang.
 */
class VideoBadInputTest {
  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {
      "bmode-video/pocus_Reg_pat1Image_133410.mpeg",
      "bmode-video/pocus_Reg_Image_18122_crop.mp4",
      "bmode-video/pocus_Cov-Atlas_45.gif",
      "bmode-video/pocus_Pneu_liftl_pneu_case3_clip3.mp4",
      "bmode-video/pocus_Reg_recommendations_alines_mov1.mov",
      "bmode-video/pocus_Pneu_northumbria_0409_set1_vid1.avi"})
  void truncatedCopiesOfRealVideos(String name) throws Exception {
    byte[] all = Files.readAllBytes(TestData.file(name));
    for (double fraction : new double[] {0.02, 0.5, 0.98}) {
      Path file = Files.write(dir.resolve("cut-" + (int) (fraction * 100) + "-" + Path.of(name).getFileName()),
          java.util.Arrays.copyOf(all, (int) (all.length * fraction)));
      BadInputTest.failure(file, "");
    }
  }

  /** Random bytes written over random places: a clean error or well-formed frames, in bounded time. */
  @ParameterizedTest
  @ValueSource(strings = {
      "bmode-video/pocus_Pneu_liftl_pneu_case3_clip3.mp4",
      "bmode-video/pocus_Reg_pat1Image_133410.mpeg",
      "bmode-video/pocus_Pneu_northumbria_0409_set1_vid1.avi",
      "bmode-video/pocus_Cov-Atlas_45.gif"})
  void corruptedCopiesFailCleanlyOrDecode(String name) throws Exception {
    byte[] original = Files.readAllBytes(TestData.file(name));
    long seed = System.nanoTime();
    Random random = new Random(seed);
    int rounds = name.endsWith(".mpeg") || name.endsWith(".avi") ? 2 : 6; // the MPEG-2 and MPEG-4 clips are long to decode
    for (int round = 0; round < rounds; round++) {
      byte[] damaged = original.clone();
      int start = random.nextInt(damaged.length);
      int length = 1 + random.nextInt(round % 2 == 0 ? 8 : 600);
      for (int i = start; i < Math.min(damaged.length, start + length); i++) damaged[i] = (byte) random.nextInt(256);
      Path file = Files.write(dir.resolve("damaged-" + round + "-" + Path.of(name).getFileName()), damaged);
      String what = file.getFileName() + " (" + length + " bytes at " + start + ", seed " + seed + ")";
      assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
        try (ClipReader r = ClipReaders.open(file)) {
          for (int i = 0; i < r.info().frameCount(); i++) {
            Frame f = r.readFrame(i);
            assertEquals(r.info().width(), f.width(), what);
            assertEquals(r.info().height(), f.height(), what);
          }
        } catch (ClipFormatException e) {
          assertTrue(e.getMessage().contains(file.getFileName().toString()) && !e.getMessage().contains("\n"), what + ": " + e.getMessage());
        }
      }, what);
    }
  }

  @Test
  void noiseWithVideoExtensions() throws Exception {
    byte[] noise = new byte[5000];
    new Random(5).nextBytes(noise);
    BadInputTest.failure(Files.write(dir.resolve("noise.mp4"), noise), "");
    BadInputTest.failure(Files.write(dir.resolve("noise.mov"), noise), "");
    BadInputTest.failure(Files.write(dir.resolve("noise.avi"), noise), "not an AVI file");
    BadInputTest.failure(Files.write(dir.resolve("noise.gif"), noise), "");
    BadInputTest.failure(Files.write(dir.resolve("noise.mpg"), noise), "no MPEG video pictures found");
    BadInputTest.failure(Files.write(dir.resolve("noise.h5"), noise), "not a readable HDF5 file");
  }

  /** Copy of a real MP4 with the 32-bit value that follows box {@code type} + {@code skip} bytes replaced. */
  private Path patched(String name, String type, int skip, int value) throws Exception {
    byte[] all = Files.readAllBytes(TestData.file(name));
    int at = indexOf(all, type) + 4 + skip;
    ByteBuffer.wrap(all).putInt(at, value);
    return Files.write(dir.resolve(type + skip + "-" + Path.of(name).getFileName()), all);
  }

  private static int indexOf(byte[] data, String s) {
    byte[] p = s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    outer:
    for (int i = 0; i + p.length <= data.length; i++) {
      for (int k = 0; k < p.length; k++) if (data[i + k] != p[k]) continue outer;
      return i;
    }
    throw new IllegalArgumentException(s);
  }

  @Test
  void lyingMp4Tables() throws Exception {
    String mp4 = "bmode-video/pocus_Pneu_liftl_pneu_case3_clip3.mp4";
    BadInputTest.failure(patched(mp4, "stsz", 8, 1_000_000_000), "declares 1000000000 frames");
    BadInputTest.failure(patched(mp4, "stsz", 12, 0x7FFFFFFF), "frame 0 has size 2147483647");
    BadInputTest.failure(patched(mp4, "stco", 8, 0x7FFFFFF0), "truncated: frame 0 lies at bytes");
    BadInputTest.failure(patched(mp4, "stts", 4, 0x7FFFFFFF), "truncated or corrupt 'stts' box");
    BadInputTest.failure(patched(mp4, "avcC", -8, 0x7FFFFFF0), "corrupt box inside");
    BadInputTest.failure(patched(mp4, "hdlr", 8, 0x736F756E), "no video track"); // the video track's handler 'vide' -> 'soun'
    // the movie box claims more bytes than the file has
    byte[] all = Files.readAllBytes(TestData.file(mp4));
    int moov = indexOf(all, "moov") - 4;
    ByteBuffer.wrap(all).putInt(moov, all.length);
    BadInputTest.failure(Files.write(dir.resolve("moov.mp4"), all), "box 'moov'");
  }

  @Test
  void mpegStreamsWithoutPictures() throws Exception {
    ByteBuffer pack = ByteBuffer.allocate(14 * 3 + 4);
    for (int i = 0; i < 3; i++) pack.putInt(0x000001BA).put(new byte[] {0x44, 0, 4, 0, 4, 1, 1, (byte) 0x89, (byte) 0xC3, (byte) 0xF8});
    pack.putInt(0x000001B9);
    BadInputTest.failure(Files.write(dir.resolve("packs.mpg"), pack.array()), "zero frames");
    ByteBuffer pes = ByteBuffer.allocate(20);
    pes.putInt(0x000001BA).put(new byte[] {0x44, 0, 4, 0, 4, 1, 1, (byte) 0x89, (byte) 0xC3, (byte) 0xF8}).putInt(0x000001E0).putShort((short) 0xFFFF);
    BadInputTest.failure(Files.write(dir.resolve("pes.mpg"), pes.array()), "truncated: PES packet needs 65535 bytes");
  }
}
