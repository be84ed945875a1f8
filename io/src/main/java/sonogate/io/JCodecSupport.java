package sonogate.io;

import java.lang.reflect.Field;
import java.util.concurrent.ExecutorService;
import org.jcodec.codecs.h264.H264Decoder;
import org.jcodec.common.logging.Logger;

/**
 * What every use of JCodec's decoders needs around them.
 *
 * <p>Logging: JCodec prints its log messages (e.g. "invalid run or index" on damaged data) to
 * standard output unless a sink is installed, which would corrupt a command's stdout (JSON
 * summaries). {@link #init()} installs a sink that drops them; damaged frames are detected by our
 * own checks and by the decoders' exceptions instead.
 *
 * <p>Threads: each {@link H264Decoder} creates a fixed thread pool for multi-slice pictures that
 * it never shuts down; {@link #release(H264Decoder)} shuts it down when a reader closes, so
 * opening many clips does not accumulate idle threads.
 */
final class JCodecSupport {
  private JCodecSupport() {}

  private static boolean initialised;

  /** Installs the silent log sink (once per JVM). */
  static synchronized void init() {
    if (initialised) return;
    Logger.addSink(message -> {});
    initialised = true;
  }

  /** Shuts the decoder's slice thread pool down (a no-op when the JCodec version has none). */
  static void release(H264Decoder decoder) {
    try {
      Field pool = H264Decoder.class.getDeclaredField("tp");
      pool.setAccessible(true);
      if (pool.get(decoder) instanceof ExecutorService executor) executor.shutdownNow();
    } catch (ReflectiveOperationException | RuntimeException e) {
      // another JCodec version: its threads are daemons, so at worst they idle until exit
    }
  }
}
