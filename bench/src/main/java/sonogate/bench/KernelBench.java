package sonogate.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import sonogate.bench.ModelShapes.Config;
import sonogate.bench.ModelShapes.Gate;
import sonogate.bench.ModelShapes.Gemm;
import sonogate.bench.ModelShapes.Layer;
import sonogate.kernels.Conv2d;
import sonogate.kernels.ConvGeometry;
import sonogate.kernels.GateActivation;
import sonogate.kernels.Gating;
import sonogate.kernels.Parallel;
import sonogate.kernels.Sgemm;
import sonogate.kernels.Simd;

/**
 * {@code sonogate bench kernels}: our CPU kernels against a peer in one run, in a minute or three.
 *
 * <p>Rows (all at the shapes of {@link ModelShapes}):
 * <ul>
 * <li>{@code gemm.*}: our {@link Sgemm} vs OpenBLAS {@code cblas_sgemm}, C = A B (no transposes, beta 0),
 *     GFLOP/s = 2 M N K / time.</li>
 * <li>{@code conv.fwd|bwd-data|bwd-weight.CONFIG.LAYER.bN}: our {@link Conv2d} pass vs our own SGEMM on the
 *     equivalent im2col GEMMs (one per sample; fwd C[M,N] = W[M,K] col[K,N]; bwd-data col = W^T dY;
 *     bwd-weight dW += dY col^T), both rated at the conv's {@link ConvGeometry#flops()}; the ratio is the
 *     "conv at >= 70% of the GEMM rate" target. OpenBLAS on the same GEMMs is the extra field
 *     {@code openblas}.</li>
 * <li>{@code gate.fwd|bwd.*}: our {@link Gating} (ELU) in GB/s of compulsory traffic (fwd: read 2C, write C;
 *     bwd: read 2C + C, read and write 2C) vs {@code MemorySegment.copy} moving as many bytes.</li>
 * </ul>
 * Method: a global warm-up, then per row each side is warmed up, calibrated so one repetition lasts at
 * least {@code minRep}, and timed for several repetitions, the sides interleaved repetition by
 * repetition; the rate reported is the MEDIAN repetition. A side whose kernel throws (not implemented
 * yet) shows n/a.
 */
public final class KernelBench {
    private KernelBench() {}

    public static final String USAGE = """
            usage: sonogate bench kernels [--json FILE] [--threads N] [--quick] [--filter TEXT]
              Times our CPU kernels against OpenBLAS (SGEMM) and our own SGEMM (conv) at the model's shapes.
              --json FILE    also write the rows as a JSON array (fields name, ours, peer, peer_name, unit, ratio, ...)
              --threads N    threads for our kernels and OpenBLAS (default: all cores)
              --quick        fewer shapes and repetitions (batch 1 convs, 3 repetitions)
              --filter TEXT  only rows whose name contains TEXT (e.g. gemm, conv.fwd.base, gate)
            examples:
              sonogate bench kernels
              sonogate bench kernels --quick --filter gemm --json kernels.json""";


    /** Parsed command line. */
    public record Options(Path json, int threads, boolean quick, String filter, boolean help) {}

    public static Options parse(String[] args) throws UsageException {
        Path json = null;
        int threads = 0;
        boolean quick = false, help = false;
        String filter = "";
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--json" -> json = Path.of(UsageException.value(args, ++i, a));
                case "--threads" -> threads = UsageException.positiveInt(args, ++i, a);
                case "--quick" -> quick = true;
                case "--filter" -> filter = UsageException.value(args, ++i, a);
                case "-h", "--help" -> help = true;
                default -> throw new UsageException("unknown option '" + a + "'");
            }
        }
        return new Options(json, threads, quick, filter, help);
    }


    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; returns the exit code (0 ok, 1 failure, 2 usage error). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options o;
        try {
            o = parse(args);
        } catch (UsageException e) {
            return e.report(err, "kernels");
        }
        if (o.help()) {
            out.println(USAGE);
            return 0;
        }
        // Parallel reads sonogate.threads once, when it loads: set it before touching any kernel.
        if (o.threads() > 0) System.setProperty("sonogate.threads", Integer.toString(o.threads()));
        if (o.threads() > 0 && Parallel.threads() != o.threads()) {
            err.println("sonogate bench kernels: the kernel pool already started with " + Parallel.threads()
                    + " threads; pass -Dsonogate.threads=" + o.threads() + " to the JVM instead");
            return 1;
        }
        var blas = OpenBlas.find();
        if (blas.isEmpty()) {
            err.println("sonogate bench kernels: " + OpenBlas.loadError());
            return 1;
        }
        try {
            List<BenchRow> rows = new KernelBench.Runner(o, blas.get(), out).runAll();
            if (o.json() != null) {
                JsonRows.write(o.json(), rows);
                out.println("wrote " + rows.size() + " rows to " + o.json());
            }
            return 0;
        } catch (IOException e) {
            err.println("sonogate bench kernels: cannot write " + o.json() + ": " + e.getMessage());
            return 1;
        }
    }

    /** One side of a row: what to call and the work one call does (FLOPs or bytes). */
    record Side(String label, Runnable op, double work) {}

    static final class Runner {
        private final Options o;
        private final OpenBlas blas;
        private final PrintStream out;
        private final int reps;
        private final double minRep;
        private final double warmSeconds;
        private final double maxSideSeconds;
        private final List<BenchRow> rows = new ArrayList<>();
        private int unavailable;
        private String firstFailure;

        Runner(Options o, OpenBlas blas, PrintStream out) {
            this.o = o;
            this.blas = blas;
            this.out = out;
            this.reps = o.quick() ? 3 : 5;
            this.minRep = o.quick() ? 0.010 : 0.020;
            this.warmSeconds = o.quick() ? 0.5 : 1.0;
            this.maxSideSeconds = o.quick() ? 1.0 : 2.5;
        }

        List<BenchRow> runAll() {
            blas.setNumThreads(Parallel.threads());
            header();
            long t0 = System.nanoTime();
            globalWarmup();
            for (Gemm g : ModelShapes.allGemms()) {
                if (wanted("gemm." + g.name())) gemmRow(g);
            }
            for (Config cfg : ModelShapes.CONFIGS) {
                for (int batch : ModelShapes.BATCHES) {
                    if (o.quick() && batch > 1) continue;
                    for (Layer l : ModelShapes.layers(cfg, batch)) {
                        for (String pass : List.of("fwd", "bwd-data", "bwd-weight")) {
                            if (wanted("conv." + pass + "." + l.id())) convRow(l, pass);
                        }
                    }
                }
            }
            for (Config cfg : ModelShapes.CONFIGS) {
                for (int batch : ModelShapes.BATCHES) {
                    for (Gate g : ModelShapes.gates(cfg, batch)) {
                        for (String pass : List.of("fwd", "bwd")) {
                            if (wanted("gate." + pass + "." + g.name())) gateRow(g, pass);
                        }
                    }
                }
            }
            out.printf(Locale.ROOT, "%d rows in %.0f s%n", rows.size(), (System.nanoTime() - t0) * 1e-9);
            if (unavailable > 0) {
                out.println(unavailable + " measurement(s) n/a; first reason: " + firstFailure);
            }
            return rows;
        }

        private boolean wanted(String name) {
            return name.contains(o.filter());
        }

        private void header() {
            out.println("# sonogate bench kernels" + (o.quick() ? " (quick)" : ""));
            out.println("# cpu:      " + SystemInfo.cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cpus");
            out.println("# threads:  sonogate " + Parallel.threads() + ", OpenBLAS " + blas.numThreads());
            out.println("# jdk:      " + SystemInfo.jdk());
            out.println("# vector:   " + Simd.F + " (" + Simd.LANES + " floats)");
            out.println("# openblas: " + blas.config() + " [core " + blas.corename() + ", " + blas.library()
                    + ", OPENBLAS_THREAD_TIMEOUT=" + OpenBlas.threadTimeout() + "]");
            out.println("# method:   median of " + reps + " repetitions (each >= " + Math.round(minRep * 1000)
                    + " ms), sides interleaved; GFLOP/s = 2*M*N*K (conv: 2*out*cin*k*k) per second");
            out.printf(Locale.ROOT, "%-30s %-24s %9s %9s  %-15s %6s%n", "name", "shape", "ours", "peer", "peer", "ratio");
        }

        /**
         * Runs every kernel path (GEMM, the three conv passes of every small-config layer, gating) until
         * the JIT has compiled them. A cold Vector API kernel runs interpreted or C1-compiled with every
         * vector boxed, 100x slower than compiled; measuring that would say nothing about the kernel.
         */
        private void globalWarmup() {
            Gemm g = new Gemm("warmup", 128, 1024, 576);
            Config small = ModelShapes.CONFIGS.get(0);
            try (Arena arena = Arena.ofShared()) {
                List<Runnable> work = new ArrayList<>();
                MemorySegment a = Buffers.random(arena, (long) g.m() * g.k(), 1);
                MemorySegment b = Buffers.random(arena, (long) g.k() * g.n(), 2);
                MemorySegment c = Buffers.zeros(arena, (long) g.m() * g.n());
                work.add(() -> Sgemm.sgemm(false, false, g.m(), g.n(), g.k(), 1f, a, 0, g.k(), b, 0, g.n(), 0f, c, 0, g.n()));
                work.add(() -> blas.sgemm(false, false, g.m(), g.n(), g.k(), 1f, a, 0, g.k(), b, 0, g.n(), 0f, c, 0, g.n()));
                for (Layer l : ModelShapes.layers(small, 1)) {
                    ConvGeometry geo = l.geometry();
                    MemorySegment x = Buffers.random(arena, geo.inputSize(), 3), w = Buffers.random(arena, geo.weightSize(), 4);
                    MemorySegment bias = Buffers.random(arena, geo.outChannels(), 5), y = Buffers.zeros(arena, geo.outputSize());
                    MemorySegment dx = Buffers.zeros(arena, geo.inputSize()), dw = Buffers.zeros(arena, geo.weightSize());
                    MemorySegment db = Buffers.zeros(arena, geo.outChannels());
                    work.add(() -> Conv2d.forward(geo, x, w, bias, y));
                    work.add(() -> Conv2d.backwardData(geo, y, w, dx));
                    work.add(() -> Conv2d.backwardWeight(geo, x, y, dw, db));
                }
                for (Gate gate : ModelShapes.gates(small, 1)) {
                    MemorySegment x = Buffers.random(arena, 2L * gate.n() * gate.c() * gate.hw(), 6);
                    MemorySegment y = Buffers.zeros(arena, (long) gate.n() * gate.c() * gate.hw());
                    MemorySegment dx = Buffers.zeros(arena, 2L * gate.n() * gate.c() * gate.hw());
                    work.add(() -> Gating.forward(GateActivation.ELU, gate.n(), gate.c(), gate.hw(), x, y));
                    work.add(() -> Gating.backward(GateActivation.ELU, gate.n(), gate.c(), gate.hw(), x, y, dx));
                }
                long until = System.nanoTime() + (long) ((o.quick() ? 3.0 : 6.0) * 1e9);
                boolean[] broken = new boolean[work.size()];
                while (System.nanoTime() < until) {
                    for (int i = 0; i < work.size(); i++) {
                        if (broken[i]) continue;
                        try {
                            work.get(i).run();
                        } catch (RuntimeException e) {
                            broken[i] = true;   // reported by the row that measures it
                        }
                    }
                }
            }
        }

        private void gemmRow(Gemm g) {
            try (Arena arena = Arena.ofShared()) {
                int m = g.m(), n = g.n(), k = g.k();
                MemorySegment a = Buffers.random(arena, (long) m * k, 1);
                MemorySegment b = Buffers.random(arena, (long) k * n, 2);
                MemorySegment c = Buffers.zeros(arena, (long) m * n);
                double[] r = measure(List.of(
                        new Side("sonogate", () -> Sgemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n), g.flops()),
                        new Side("openblas", () -> blas.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n), g.flops())));
                Map<String, Object> extra = new LinkedHashMap<>();
                extra.put("shape", g.shape());
                extra.put("gflop", g.flops() * 1e-9);
                add(new BenchRow("gemm." + g.name(), r[0], r[1], "openblas", "GFLOP/s", extra), "");
            }
        }

        private void convRow(Layer l, String pass) {
            ConvGeometry geo = l.geometry();
            int batch = geo.batch();
            int m = geo.outChannels(), k = geo.patchSize(), n = geo.outH() * geo.outW();
            long inPer = (long) geo.inChannels() * geo.inH() * geo.inW();
            try (Arena arena = Arena.ofShared()) {
                MemorySegment x = Buffers.random(arena, geo.inputSize(), 1);
                MemorySegment w = Buffers.random(arena, geo.weightSize(), 2);
                MemorySegment bias = Buffers.random(arena, m, 3);
                MemorySegment y = Buffers.random(arena, geo.outputSize(), 4);
                MemorySegment col = Buffers.random(arena, (long) k * n, 5);
                Runnable conv, ours, peer;
                switch (pass) {
                    case "fwd" -> {
                        conv = () -> Conv2d.forward(geo, x, w, bias, y);
                        ours = () -> { for (int s = 0; s < batch; s++) Sgemm.sgemm(false, false, m, n, k, 1f, w, 0, k, col, 0, n, 0f, y, (long) s * m * n, n); };
                        peer = () -> { for (int s = 0; s < batch; s++) blas.sgemm(false, false, m, n, k, 1f, w, 0, k, col, 0, n, 0f, y, (long) s * m * n, n); };
                    }
                    case "bwd-data" -> {
                        MemorySegment dx = Buffers.zeros(arena, geo.inputSize());
                        conv = () -> Conv2d.backwardData(geo, y, w, dx);
                        ours = () -> { for (int s = 0; s < batch; s++) Sgemm.sgemm(true, false, k, n, m, 1f, w, 0, k, y, (long) s * m * n, n, 0f, col, 0, n); };
                        peer = () -> { for (int s = 0; s < batch; s++) blas.sgemm(true, false, k, n, m, 1f, w, 0, k, y, (long) s * m * n, n, 0f, col, 0, n); };
                    }
                    default -> {
                        MemorySegment dw = Buffers.zeros(arena, geo.weightSize());
                        MemorySegment db = Buffers.zeros(arena, m);
                        conv = () -> Conv2d.backwardWeight(geo, x, y, dw, db);
                        ours = () -> { for (int s = 0; s < batch; s++) Sgemm.sgemm(false, true, m, k, n, 1f, y, (long) s * m * n, n, col, 0, n, 1f, dw, 0, k); };
                        peer = () -> { for (int s = 0; s < batch; s++) blas.sgemm(false, true, m, k, n, 1f, y, (long) s * m * n, n, col, 0, n, 1f, dw, 0, k); };
                    }
                }
                double flops = geo.flops();
                double[] r = measure(List.of(new Side("conv", conv, flops), new Side("sonogate-sgemm", ours, flops),
                        new Side("openblas", peer, flops)));
                Map<String, Object> extra = new LinkedHashMap<>();
                extra.put("shape", l.shape());
                extra.put("gemm", gemmText(pass, m, n, k));
                extra.put("openblas", r[2]);
                extra.put("openblas_ratio", r[0] / r[2]);
                extra.put("gflop", flops * 1e-9);
                add(new BenchRow("conv." + pass + "." + l.id(), r[0], r[1], "sonogate-sgemm", "GFLOP/s", extra),
                        String.format(Locale.ROOT, "  openblas %s (%s)", num(r[2]), ratio(r[0] / r[2])));
            }
        }

        private static String gemmText(String pass, int m, int n, int k) {
            return switch (pass) {
                case "fwd" -> m + "x" + k + "x" + n;
                case "bwd-data" -> k + "x" + m + "x" + n + " (A^T)";
                default -> m + "x" + n + "x" + k + " (B^T, beta 1)";
            };
        }

        private void gateRow(Gate g, String pass) {
            try (Arena arena = Arena.ofShared()) {
                long half = (long) g.n() * g.c() * g.hw();
                MemorySegment x = Buffers.random(arena, 2 * half, 1);
                MemorySegment y = Buffers.random(arena, half, 2);
                MemorySegment dx = Buffers.zeros(arena, 2 * half);
                boolean fwd = pass.equals("fwd");
                double bytes = fwd ? g.forwardBytes() : g.backwardBytes();
                long copyBytes = (long) (bytes / 2) & ~63L;
                MemorySegment src = Buffers.random(arena, copyBytes / Float.BYTES, 3);
                MemorySegment dst = Buffers.zeros(arena, copyBytes / Float.BYTES);
                Runnable ours = fwd
                        ? () -> Gating.forward(GateActivation.ELU, g.n(), g.c(), g.hw(), x, y)
                        : () -> Gating.backward(GateActivation.ELU, g.n(), g.c(), g.hw(), x, y, dx);
                Runnable copy = () -> MemorySegment.copy(src, 0, dst, 0, copyBytes);
                double[] r = measure(List.of(new Side("gate", ours, bytes), new Side("copy", copy, 2.0 * copyBytes)));
                Map<String, Object> extra = new LinkedHashMap<>();
                extra.put("shape", g.shape());
                extra.put("mbyte", bytes * 1e-6);
                add(new BenchRow("gate." + pass + "." + g.name(), r[0], r[1], "segment-copy", "GB/s", extra), "");
            }
        }

        /**
         * Rates (work per second / 1e9) of the sides: warm-up and calibration per side, then {@code reps}
         * rounds, each timing one repetition of every side in turn (the order rotating per round); the
         * median repetition per side. NaN for a side that throws.
         */
        double[] measure(List<Side> sides) {
            int s = sides.size();
            int[] calls = new int[s];
            boolean[] ok = new boolean[s];
            double[][] times = new double[s][];
            int rounds = reps;
            for (int i = 0; i < s; i++) {
                Side side = sides.get(i);
                try {
                    // Warm until three timings in a row agree within 10% (the JIT has settled) or the budget ends.
                    double t = Median.timeOnce(side.op()), previous = Double.NaN, before = Double.NaN;
                    long until = System.nanoTime() + (long) (warmSeconds * 1e9);
                    while (System.nanoTime() < until && !(settled(t, previous) && settled(previous, before))) {
                        before = previous;
                        previous = t;
                        t = Median.timeOnce(side.op());
                    }
                    calls[i] = (int) Math.max(1, Math.min(100_000, Math.ceil(minRep / Math.max(t, 1e-7))));
                    // Slow kernels (a first, naive version) get fewer repetitions so the run stays short.
                    rounds = (int) Math.max(1, Math.min(rounds, Math.floor(maxSideSeconds / (t * calls[i]))));
                    ok[i] = true;
                } catch (RuntimeException e) {
                    unavailable++;
                    if (firstFailure == null) firstFailure = side.label() + ": " + e;
                }
            }
            for (int i = 0; i < s; i++) times[i] = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                for (int j = 0; j < s; j++) {
                    int i = (j + r) % s;
                    if (ok[i]) times[i][r] = Median.timeCalls(sides.get(i).op(), calls[i]);
                }
            }
            double[] rate = new double[s];
            for (int i = 0; i < s; i++) rate[i] = ok[i] ? sides.get(i).work() / Median.of(times[i]) * 1e-9 : Double.NaN;
            return rate;
        }

        private static boolean settled(double a, double b) {
            return Math.abs(a - b) <= 0.1 * Math.min(a, b);
        }

        private void add(BenchRow row, String tail) {
            rows.add(row);
            out.printf(Locale.ROOT, "%-30s %-24s %9s %9s  %-15s %6s%s%n", row.name(), row.shape(), num(row.ours()),
                    num(row.peer()), row.peerName(), ratio(row.ratio()), tail);
            out.flush();
        }

        private static String num(double v) {
            return Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f", v) : "n/a";
        }

        private static String ratio(double v) {
            return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f", v) : "n/a";
        }
    }
}
