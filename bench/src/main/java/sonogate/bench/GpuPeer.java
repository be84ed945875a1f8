package sonogate.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The PyTorch worker of {@code bench gpu} ({@code scripts/reference/bench_gpu_peer.py}) and its line
 * protocol. Python is {@code $SONOGATE_PYTHON}, else {@code python3} on the PATH (on the GPU machines
 * that is the interpreter with PyTorch and CUDA).
 */
final class GpuPeer implements AutoCloseable {
    static final String SCRIPT = "scripts/reference/bench_gpu_peer.py";

    private final Process process;
    private final BufferedWriter in;
    private final BufferedReader out;

    private GpuPeer(Process process) {
        this.process = process;
        this.in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static String python() {
        String p = System.getenv("SONOGATE_PYTHON");
        return p != null && !p.isBlank() ? p : "python3";
    }

    /** The peer script ({@link PeerScript#find}). */
    static Path findScript() {
        return PeerScript.find(SCRIPT);
    }

    /** {@code device}: cuda:0 for the benchmark; cpu for the protocol test on machines without a GPU. */
    static GpuPeer start(Path script, String device) throws IOException {
        return start(script, device, python());
    }

    static GpuPeer start(Path script, String device, String python) throws IOException {
        if (!Files.isRegularFile(script)) throw new IOException("cannot find " + script + " (run from the repository root or the GPU bundle)");
        ProcessBuilder pb = new ProcessBuilder(python, script.toString(), "--device", device);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        return new GpuPeer(pb.start());
    }

    /** Sends one request line, returns the reply without its leading word {@code expect}. */
    String call(String request, String expect) throws IOException {
        in.write(request);
        in.write('\n');
        in.flush();
        String reply = out.readLine();
        if (reply == null) throw new IOException("PyTorch worker (" + python() + ") exited (request '" + request + "')");
        if (reply.startsWith("error ")) throw new IOException("PyTorch worker: " + reply.substring(6) + " (request '" + request + "')");
        if (!(reply.equals(expect) || reply.startsWith(expect + " "))) {
            throw new IOException("PyTorch worker: unexpected reply '" + reply + "' to '" + request + "'");
        }
        return reply.substring(expect.length()).trim();
    }

    double[] time(ModelBench.Case c, int reps) throws IOException {
        String[] w = call("case " + c.config() + " " + c.mode() + " " + c.batch() + " " + reps, "seconds").split(" ");
        double[] t = new double[w.length];
        for (int i = 0; i < w.length; i++) t[i] = Double.parseDouble(w[i]);
        return t;
    }

    /** {max reserved, max allocated} device bytes since the last {@code peakreset}. */
    long[] peakBytes() throws IOException {
        String[] w = call("peakmem", "bytes").split(" ");
        return new long[] {Long.parseLong(w[0]), Long.parseLong(w[1])};
    }

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
