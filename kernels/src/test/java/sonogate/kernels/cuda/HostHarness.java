package sonogate.kernels.cuda;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The CUDA kernels' element functions compiled for the CPU ({@code kernels/src/test/cuda/host_harness.cu})
 * and a client for its stdin/stdout protocol. Built once per JVM with nvcc (as CUDA, host side),
 * else with g++ as plain C++.
 */
final class HostHarness {
    private final Path binary;
    final String compiler;

    private HostHarness(Path binary, String compiler) {
        this.binary = binary;
        this.compiler = compiler;
    }

    /** Null when no compiler is installed (the caller skips with that reason). */
    static HostHarness build(Path dir) throws IOException, InterruptedException {
        Path src = CudaTools.cudaSources().resolveSibling("../test/cuda/host_harness.cu").normalize();
        Path bin = dir.resolve("host_harness");
        Path nvcc = CudaTools.nvcc();
        if (nvcc != null) {
            CudaTools.run(List.of(nvcc.toString(), "-O1", "-std=c++17", "-DSG_HOST_HARNESS", "-x", "cu", "-o", bin.toString(), src.toString()), dir, 300);
            return new HostHarness(bin, "nvcc " + CudaTools.nvccVersion(nvcc));
        }
        Path gpp = CudaTools.onPath("g++");
        if (gpp == null) return null;
        CudaTools.run(List.of(gpp.toString(), "-O1", "-std=c++17", "-DSG_HOST_HARNESS", "-x", "c++", "-o", bin.toString(), src.toString()), dir, 300);
        return new HostHarness(bin, "g++ (plain C++; nvcc not installed)");
    }

    /** One reply array: floats or doubles. */
    record Out(float[] floats, double[] doubles) {}

    /**
     * Runs {@code op}. Arrays are float[] (elements), byte[] (a packed struct) or null (an empty
     * array: a null pointer for the kernel).
     */
    List<Out> call(String op, long[] ints, double[] doubles, Object... arrays) throws IOException, InterruptedException {
        int bytes = 12 + 8 * ints.length + 8 * doubles.length;
        for (Object a : arrays) bytes += 8 + length(a);
        ByteBuffer req = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        req.putInt(ints.length);
        for (long v : ints) req.putLong(v);
        req.putInt(doubles.length);
        for (double v : doubles) req.putDouble(v);
        req.putInt(arrays.length);
        for (Object a : arrays) {
            req.putLong(length(a));
            if (a instanceof float[] f) for (float v : f) req.putFloat(v);
            else if (a instanceof byte[] b) req.put(b);
        }
        Process p = new ProcessBuilder(binary.toString(), op).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(req.array());
        }
        byte[] reply;
        try (InputStream out = p.getInputStream()) {
            reply = out.readAllBytes();
        }
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("host_harness " + op + " failed");
        ByteBuffer r = ByteBuffer.wrap(reply).order(ByteOrder.LITTLE_ENDIAN);
        int n = r.getInt();
        List<Out> outs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int size = r.getInt();
            int count = Math.toIntExact(r.getLong());
            if (size == 4) {
                float[] f = new float[count];
                for (int j = 0; j < count; j++) f[j] = r.getFloat();
                outs.add(new Out(f, null));
            } else {
                double[] d = new double[count];
                for (int j = 0; j < count; j++) d[j] = r.getDouble();
                outs.add(new Out(null, d));
            }
        }
        return outs;
    }

    float[] floats(String op, long[] ints, double[] doubles, Object... arrays) throws IOException, InterruptedException {
        return call(op, ints, doubles, arrays).get(0).floats();
    }

    private static int length(Object a) {
        if (a == null) return 0;
        if (a instanceof float[] f) return 4 * f.length;
        if (a instanceof byte[] b) return b.length;
        throw new IllegalArgumentException("array of " + a.getClass());
    }
}
