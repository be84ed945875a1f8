package sonogate.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The PyTorch worker of {@code bench gpu} ({@code scripts/reference/bench_gpu_peer.py}) and its line
 * protocol. Python is {@code $SONOGATE_PYTHON}, else {@code python3} on the PATH (on the GPU machines
 * that is the interpreter with PyTorch and CUDA).
 */
final class GpuPeer implements AutoCloseable {
    static final String SCRIPT = "scripts/reference/bench_gpu_peer.py";

    private final PeerProcess process;

    private GpuPeer(Process process) {
        this.process = new PeerProcess(process, "PyTorch worker (" + python() + ")");
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
        return process.call(request, expect);
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
        process.close();
    }
}
