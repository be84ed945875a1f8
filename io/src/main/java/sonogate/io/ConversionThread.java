package sonogate.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One helper thread per video reader that turns decoded YUV pictures into RGB frames while the
 * reader's thread decodes the next picture (see {@link PipelinedClipReader}): the conversion was
 * 10-50% of decoding time on one thread. Conversions run one at a time, in the order submitted.
 * The thread starts with the first conversion, ends after a second without work, and at once when
 * the reader closes; it is a daemon, so a reader left open never keeps the JVM alive.
 */
final class ConversionThread implements AutoCloseable {
  private final ThreadPoolExecutor executor = new ThreadPoolExecutor(0, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
      task -> {
        Thread t = new Thread(task, "sonogate-yuv-to-rgb");
        t.setDaemon(true);
        return t;
      });

  /** Runs {@code conversion} on the helper thread. */
  Future<Frame> submit(Callable<Frame> conversion) {
    return executor.submit(conversion);
  }

  /** A frame that needs no conversion, as a finished future. */
  static Future<Frame> done(Frame frame) {
    return CompletableFuture.completedFuture(frame);
  }

  /** The frame of {@code conversion}, waiting for it; its failure is rethrown as it was. */
  static Frame await(Future<Frame> conversion) throws IOException {
    try {
      return conversion.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while converting a frame");
    } catch (ExecutionException e) {
      switch (e.getCause()) {
        case RuntimeException r -> throw r;
        case Error r -> throw r;
        case IOException r -> throw r;
        default -> throw new IllegalStateException(e.getCause());
      }
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
