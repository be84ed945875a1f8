package sonogate.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jcodec.common.model.ColorSpace;
import org.junit.jupiter.api.Test;

/**
 * The one-frame look-ahead of {@link PipelinedClipReader} and the buffer ring that keeps a
 * picture from being overwritten while it is converted ({@link PictureBuffers}).
 */
class PipelinedClipReaderTest {
  /**
   * Frame i is one grey pixel of value i, "decoded" on the caller's thread and "converted" on the
   * conversion thread; decoding frame {@code failAt} throws. Records the order of decodes.
   */
  private static final class CountingReader extends PipelinedClipReader {
    final List<Integer> decoded = new ArrayList<>();
    final List<String> convertedOn = new ArrayList<>();
    final int failAt;
    final boolean canSeek;
    boolean ahead = true;
    int next;

    CountingReader(int frames, int failAt, boolean canSeek) {
      super(new ClipInfo(Path.of("counting.clip"), "test", "test", "", frames, 1, 1, 1, "MONOCHROME2", 8, Double.NaN, Double.NaN,
          Double.NaN, List.of()));
      this.failAt = failAt;
      this.canSeek = canSeek;
    }

    @Override
    protected Future<Frame> startNext() throws IOException {
      int index = next++;
      decoded.add(index);
      if (index == failAt) throw new ClipFormatException(info.source(), "frame " + index + " is damaged");
      return converter.submit(() -> {
        synchronized (convertedOn) {
          convertedOn.add(Thread.currentThread().getName());
        }
        return new Frame(1, 1, 1, new byte[] {(byte) index});
      });
    }

    @Override
    protected void restart() {
      next = 0;
    }

    @Override
    protected boolean decodesAhead() {
      return ahead;
    }

    @Override
    protected boolean seekTo(int index) {
      if (canSeek) next = index;
      return canSeek;
    }
  }

  private static int value(Frame f) {
    return f.samples()[0] & 0xFF;
  }

  @Test
  void streamsEveryFrameInOrderDecodingOneAhead() throws Exception {
    try (CountingReader r = new CountingReader(7, -1, false)) {
      for (int i = 0; i < 7; i++) {
        assertEquals(i, value(r.readFrame(i)));
        // frame i + 1 is already decoded when frame i is returned, and never one past the end
        assertEquals(Math.min(i + 2, 7), r.decoded.size(), "decodes after frame " + i);
      }
      assertEquals(7, r.convertedOn.size());
      // backwards: from the start again, each frame decoded once per pass
      assertEquals(2, value(r.readFrame(2)));
      assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3), r.decoded);
    }
  }

  @Test
  void aFailureWhileDecodingAheadSurfacesOnlyWithItsOwnFrame() throws Exception {
    try (CountingReader r = new CountingReader(6, 3, false)) {
      for (int i = 0; i < 3; i++) assertEquals(i, value(r.readFrame(i)));
      assertTrue(r.decoded.contains(3), "frame 3 was decoded ahead");
      ClipFormatException e = assertThrows(ClipFormatException.class, () -> r.readFrame(3));
      assertTrue(e.getMessage().contains("frame 3 is damaged"), e.getMessage());
      // after a failure the reader starts again from a clean decoder
      assertEquals(1, value(r.readFrame(1)));
      assertEquals(0, r.decoded.get(4));
    }
  }

  @Test
  void aJumpDropsTheFrameDecodedAhead() throws Exception {
    try (CountingReader r = new CountingReader(10, -1, true)) {
      assertEquals(0, value(r.readFrame(0))); // decodes 0 and 1
      assertEquals(6, value(r.readFrame(6))); // jumps: 1 is dropped, 6 and 7 decoded
      assertEquals(7, value(r.readFrame(7)));
      assertEquals(List.of(0, 1, 6, 7, 8), r.decoded);
    }
  }

  @Test
  void withoutLookAheadEachReadDecodesOneFrame() throws Exception {
    try (CountingReader r = new CountingReader(10, -1, true)) {
      r.ahead = false;
      assertEquals(4, value(r.readFrame(4)));
      assertEquals(8, value(r.readFrame(8)));
      assertEquals(9, value(r.readFrame(9)));
      assertEquals(List.of(4, 8, 9), r.decoded);
    }
  }

  @Test
  void conversionsRunOnTheHelperThreadOrOnTheWaiterIfTheHelperHasNotStartedThem() throws Exception {
    try (ConversionThread converter = new ConversionThread()) {
      Future<Frame> onHelper = converter.submit(() -> namedFrame());
      assertEquals("sonogate-yuv-to-rgb", name(onHelper.get(10, TimeUnit.SECONDS)));
      CountDownLatch started = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Future<Frame> blocking = converter.submit(() -> {
        started.countDown();
        assertTrue(release.await(10, TimeUnit.SECONDS));
        return namedFrame();
      });
      assertTrue(started.await(10, TimeUnit.SECONDS));
      Future<Frame> queued = converter.submit(() -> namedFrame());
      // the helper is busy: waiting for the queued conversion runs it here, at once
      assertEquals(Thread.currentThread().getName(), name(ConversionThread.await(queued)));
      release.countDown();
      assertEquals("sonogate-yuv-to-rgb", name(ConversionThread.await(blocking)));
    }
  }

  /** A frame whose samples spell the name of the thread that made it. */
  private static Frame namedFrame() {
    byte[] name = Thread.currentThread().getName().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return new Frame(name.length, 1, 1, name);
  }

  private static String name(Frame f) {
    return new String(f.samples(), java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void aBufferIsHandedOutAgainOnlyAfterItsConversionFinished() throws Exception {
    PictureBuffers ring = new PictureBuffers(2, 16, 16, ColorSpace.YUV420);
    try (ConversionThread converter = new ConversionThread()) {
      CountDownLatch release = new CountDownLatch(1);
      byte[][] first = ring.next();
      Future<Frame> slow = converter.submit(() -> {
        assertTrue(release.await(10, TimeUnit.SECONDS));
        return new Frame(1, 1, 1, new byte[1]);
      });
      ring.convertedBy(slow);
      byte[][] second = ring.next();
      assertNotSame(first, second);
      ring.convertedBy(ConversionThread.done(new Frame(1, 1, 1, new byte[1])));
      // the ring is back at the first buffer: next() must wait for the slow conversion
      Thread releaser = new Thread(() -> {
        try {
          Thread.sleep(200);
        } catch (InterruptedException ignored) {
          Thread.currentThread().interrupt();
        }
        release.countDown();
      });
      releaser.start();
      byte[][] again = ring.next();
      assertSame(first, again);
      assertTrue(slow.isDone(), "next() returned the buffer while its conversion was running");
      releaser.join();
    }
  }
}
