package sonogate.kernels;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one fixed thread pool every CPU kernel shares: {@code threads() - 1} daemon workers plus the
 * calling thread. Workers spin briefly before parking, because the model issues many small
 * kernels back to back and waking a parked thread costs more than a small GEMM.
 *
 * <p>Calls from inside a parallel region, or while another thread holds the pool, run serially on
 * the caller, so nesting can never deadlock.
 */
public final class Parallel {

    /** Body of a parallel loop: processes indices {@code [lo, hi)}. */
    @FunctionalInterface
    public interface RangeBody {
        void run(int lo, int hi);
    }

    /** Body of a parallel loop over chunks: {@code chunk} in {@code [0, chunks)}. */
    @FunctionalInterface
    public interface ChunkBody {
        void run(int chunk);
    }

    private static final int THREADS = Math.max(1,
            Integer.getInteger("sonogate.threads", Runtime.getRuntime().availableProcessors()));
    private static final long SPIN_NANOS = 200_000;

    private static final ReentrantLock POOL = new ReentrantLock();
    private static final ThreadLocal<Boolean> IN_REGION = ThreadLocal.withInitial(() -> false);
    private static final Worker[] WORKERS = startWorkers();

    private Parallel() {}

    /** Number of threads kernels may use (cores by default; {@code -Dsonogate.threads=N}). */
    public static int threads() {
        return THREADS;
    }

    /** Runs {@code body} over {@code [0, n)} split into at most {@link #threads()} ranges of at least {@code grain}. */
    public static void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) return;
        int chunks = Math.min(THREADS, Math.max(1, n / Math.max(1, grain)));
        if (chunks == 1) {
            body.run(0, n);
            return;
        }
        forChunks(chunks, c -> body.run((int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks)));
    }

    /** Runs {@code body(c)} for every {@code c} in {@code [0, chunks)}, chunks handed out dynamically. */
    public static void forChunks(int chunks, ChunkBody body) {
        if (chunks <= 0) return;
        if (chunks == 1 || THREADS == 1 || IN_REGION.get() || !POOL.tryLock()) {
            for (int c = 0; c < chunks; c++) body.run(c);
            return;
        }
        try {
            Job job = new Job(chunks, body);
            int helpers = Math.min(WORKERS.length, chunks - 1);
            for (int i = 0; i < helpers; i++) WORKERS[i].submit(job);
            IN_REGION.set(true);
            try {
                job.work();
            } finally {
                IN_REGION.set(false);
            }
            job.awaitChunks();
            job.rethrow();
        } finally {
            POOL.unlock();
        }
    }

    private static Worker[] startWorkers() {
        Worker[] ws = new Worker[THREADS - 1];
        for (int i = 0; i < ws.length; i++) {
            ws[i] = new Worker();
            Thread t = new Thread(ws[i], "sonogate-kernel-" + (i + 1));
            t.setDaemon(true);
            ws[i].thread = t;
            t.start();
        }
        return ws;
    }

    private static final class Job {
        final int chunks;
        final ChunkBody body;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger completed = new AtomicInteger();
        volatile Throwable failure;
        volatile Thread owner = Thread.currentThread();

        Job(int chunks, ChunkBody body) {
            this.chunks = chunks;
            this.body = body;
        }

        void work() {
            int c;
            while ((c = next.getAndIncrement()) < chunks) {
                try {
                    body.run(c);
                } catch (Throwable t) {
                    failure = t;
                }
                if (completed.incrementAndGet() == chunks && Thread.currentThread() != owner) LockSupport.unpark(owner);
            }
        }

        /**
         * Waits for every chunk, not for every helper: a helper the OS has not scheduled yet
         * finds no chunk left when it wakes, and the caller, having done its share, need not wait for it.
         */
        void awaitChunks() {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            while (completed.get() < chunks) {
                if (System.nanoTime() < spinUntil) Thread.onSpinWait();
                else LockSupport.parkNanos(this, 50_000);
            }
        }

        void rethrow() {
            Throwable t = failure;
            if (t instanceof RuntimeException re) throw re;
            if (t instanceof Error e) throw e;
            if (t != null) throw new RuntimeException(t);
        }
    }

    private static final class Worker implements Runnable {
        Thread thread;
        private final AtomicReference<Job> pending = new AtomicReference<>();

        void submit(Job job) {
            pending.set(job);
            LockSupport.unpark(thread);
        }

        @Override
        public void run() {
            IN_REGION.set(true);
            while (true) {
                // A late helper may still be in an old job's work() (finding nothing) when the next
                // job arrives; taking with getAndSet means that next job is never dropped.
                awaitJob().work();
            }
        }

        private Job awaitJob() {
            long spinUntil = System.nanoTime() + SPIN_NANOS;
            Job job;
            while ((job = pending.getAndSet(null)) == null) {
                if (System.nanoTime() < spinUntil) Thread.onSpinWait();
                else {
                    LockSupport.park(this);
                    spinUntil = System.nanoTime() + SPIN_NANOS;
                }
            }
            return job;
        }
    }
}
