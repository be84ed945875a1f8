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
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One helper thread per video reader that turns decoded YUV pictures into RGB frames while the
 * reader's thread decodes the next picture (see {@link PipelinedClipReader}): the conversion was
 * 10-50% of decoding time on one thread. Conversions run one at a time, in the order submitted.
 * A conversion the helper has not started when its frame is needed runs on the waiting thread
 * instead ({@link #await}): on a busy machine, where the helper may not get a core for a while,
 * reading is then never slower than converting on one thread. The thread starts with the first
 * conversion, ends after a second without work, and at once when the reader closes; it is a
 * daemon, so a reader left open never keeps the JVM alive.
 */
final class ConversionThread implements AutoCloseable {
  private final ThreadPoolExecutor executor = new ThreadPoolExecutor(0, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
      task -> {
        Thread t = new Thread(task, "sonogate-yuv-to-rgb");
        t.setDaemon(true);
        return t;
      });

  /** Queues {@code conversion} for the helper thread. */
  Future<Frame> submit(Callable<Frame> conversion) {
    Conversion c = new Conversion(conversion);
    executor.execute(c);
    return c;
  }

  /** A frame that needs no conversion, as a finished future. */
  static Future<Frame> done(Frame frame) {
    return CompletableFuture.completedFuture(frame);
  }

  /**
   * The frame of {@code conversion}: run here if the helper has not started it, else waited for;
   * its failure is rethrown as it was.
   */
  static Frame await(Future<Frame> conversion) throws IOException {
    if (conversion instanceof Conversion c) c.run();
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

  /** A conversion that runs once, on whichever thread claims it first. */
  private static final class Conversion extends CompletableFuture<Frame> implements Runnable {
    private final AtomicBoolean claimed = new AtomicBoolean();
    private final Callable<Frame> work;

    Conversion(Callable<Frame> work) {
      this.work = work;
    }

    @Override
    public void run() {
      if (!claimed.compareAndSet(false, true)) return;
      try {
        complete(work.call());
      } catch (Throwable t) {
        completeExceptionally(t);
      }
    }
  }
}
