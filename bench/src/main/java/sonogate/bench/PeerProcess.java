package sonogate.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * A PyTorch peer process and the Java end of its line protocol ({@code scripts/reference/line_protocol.py}):
 * one request line, one reply line; {@code error MESSAGE} replies become {@link IOException}s.
 */
final class PeerProcess implements AutoCloseable {
    private final Process process;
    private final String name;
    private final BufferedWriter in;
    private final BufferedReader out;

    /** {@code name} says which worker in error messages (e.g. the interpreter it runs on). */
    PeerProcess(Process process, String name) {
        this.process = process;
        this.name = name;
        this.in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Sends one request line, returns the reply without its leading word {@code expect}. */
    String call(String request, String expect) throws IOException {
        in.write(request);
        in.write('\n');
        in.flush();
        String reply = out.readLine();
        if (reply == null) throw new IOException(name + " exited (request '" + request + "')");
        if (reply.startsWith("error ")) throw new IOException(name + ": " + reply.substring(6) + " (request '" + request + "')");
        if (!(reply.equals(expect) || reply.startsWith(expect + " "))) {
            throw new IOException(name + ": unexpected reply '" + reply + "' to '" + request + "'");
        }
        return reply.substring(expect.length()).trim();
    }

    /**
     * Waits until the worker's threads have stopped using the CPU: no CPU time added for 2 ms, at
     * most 250 ms in all. With OMP_WAIT_POLICY unset libgomp's threads spin for several milliseconds
     * after each parallel region, and a core they spin on is a core the next timed repetition on our
     * side lacks (measured on 2 cores: small's batch-1 forward ran at 20 frames/s right after a
     * PyTorch repetition and at 44 with the worker's threads asleep). Linux only (per-thread
     * schedstat); elsewhere it returns at once.
     */
    void awaitIdle() {
        long last = cpuNanos();
        if (last < 0) return;
        long start = System.nanoTime(), quietSince = start;
        while (System.nanoTime() - start < 250_000_000L) {
            LockSupport.parkNanos(500_000);
            long now = cpuNanos();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince >= 2_000_000L) {
                return;
            }
        }
    }

    /** CPU nanoseconds of all the worker's threads so far, or -1 where /proc does not tell. */
    private long cpuNanos() {
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
            long sum = 0;
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    sum += Long.parseLong(Files.readString(t.resolve("schedstat")).trim().split(" ")[0]);
                } catch (NoSuchFileException gone) {
                    // a thread that just ended
                }
            }
            return sum;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Asks the worker to quit; kills it when it has not gone after 10 s. */
    @Override
    public void close() {
        try {
            call("quit", "bye");
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
