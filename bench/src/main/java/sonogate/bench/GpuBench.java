package sonogate.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import sonogate.gpu.CudaDevice;
import sonogate.gpu.GpuBackend;
import sonogate.gpu.GpuUnavailableException;
import sonogate.gpu.Precision;
import sonogate.nn.Generator;
import sonogate.nn.ModelConfig;
import sonogate.nn.Translator;
import sonogate.tensor.Device;
import sonogate.tensor.OpProfile;
import sonogate.tensor.Scope;
import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;
import sonogate.train.Checkpoint;
import sonogate.train.GanStep;

/**
 * {@code sonogate bench gpu}: the translator on the GPU beside the same model in PyTorch on the same
 * GPU, in one run: inference frames/s (batch 1, 8, 32) and one training step (GAN step: G forward,
 * D step, G step, both Adam updates; batch 8 and 16) for configs small and base, each at FP32 and
 * TF32 on both sides, plus peak device memory of both.
 *
 * <p>Method per config and precision (as {@link ModelBench}): the Java model is built with a fixed
 * seed on the GPU and its weights saved to a temporary HDF5 file that the PyTorch worker
 * ({@code scripts/reference/bench_gpu_peer.py}) loads; both get the same inputs; outputs are checked
 * once (refined output relative error; training: both losses of the first step); both warm up; then
 * the sides alternate repetition by repetition, each repetition synchronised before and after (host
 * clock), and the median is reported. Peak memory per case: ours = the caching allocator's peak
 * reserved device bytes (cache emptied and peaks reset before the timed repetitions), PyTorch's =
 * torch.cuda.max_memory_reserved (the same reset). Both include weights and optimiser state.
 *
 * <p>Without a GPU it prints {@code sonogate: no GPU: <why>} and returns 1.
 */
public final class GpuBench {
    private GpuBench() {}

    public static final String USAGE = """
            usage: sonogate bench gpu [--json FILE] [--quick] [--configs small,base] [--precisions fp32,tf32]
              The translator on the GPU beside PyTorch on the same GPU, same weights and inputs: inference
              frames/s (batch 1, 8, 32), one training step (batch 8 and 16), peak device memory.
              --json FILE        also write the rows as a JSON array
              --quick            3 repetitions; inference batch 1 and 8, training batch 8
              --configs LIST     comma-separated configs (default small,base; tiny also works)
              --precisions LIST  fp32 and/or tf32 (default both), the same on both sides
              Needs an NVIDIA GPU (driver, cuBLAS 12/13, cuDNN 8/9) and python3 with PyTorch + CUDA
              ($SONOGATE_PYTHON to choose the interpreter).
            examples:
              sonogate bench gpu --quick
              sonogate bench gpu --configs base --precisions fp32,tf32 --json gpu.json""";

    public record Options(Path json, boolean quick, List<String> configs, List<Precision> precisions, boolean help) {}

    public static Options parse(String[] args) throws UsageException {
        Path json = null;
        boolean quick = false, help = false;
        List<String> configs = List.of("small", "base");
        List<Precision> precisions = List.of(Precision.FP32, Precision.TF32);
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--json" -> json = Path.of(UsageException.value(args, ++i, a));
                case "--quick" -> quick = true;
                case "--configs" -> {
                    List<String> list = new ArrayList<>();
                    for (String c : UsageException.value(args, ++i, a).split(",")) {
                        String t = c.trim().toLowerCase(Locale.ROOT);
                        if (!List.of("tiny", "small", "base").contains(t)) throw new UsageException("--configs: unknown config '" + c.trim() + "'");
                        if (!list.contains(t)) list.add(t);
                    }
                    configs = List.copyOf(list);
                }
                case "--precisions" -> {
                    List<Precision> list = new ArrayList<>();
                    for (String p : UsageException.value(args, ++i, a).split(",")) {
                        String t = p.trim().toLowerCase(Locale.ROOT);
                        Precision pr = switch (t) {
                            case "fp32" -> Precision.FP32;
                            case "tf32" -> Precision.TF32;
                            case "bf16" -> throw new UsageException("--precisions: bf16 is not built on our side yet (fp32, tf32)");
                            default -> throw new UsageException("--precisions: unknown precision '" + p.trim() + "' (fp32, tf32)");
                        };
                        if (!list.contains(pr)) list.add(pr);
                    }
                    precisions = List.copyOf(list);
                }
                case "-h", "--help" -> help = true;
                default -> throw new UsageException("unknown option '" + a + "'");
            }
        }
        return new Options(json, quick, configs, precisions, help);
    }

    /** Inference before training (training changes the weights). */
    public static List<ModelBench.Case> cases(String config, boolean quick) {
        List<ModelBench.Case> list = new ArrayList<>();
        for (int b : quick ? new int[] {1, 8} : new int[] {1, 8, 32}) list.add(new ModelBench.Case(config, "infer", b));
        for (int b : quick ? new int[] {8} : new int[] {8, 16}) list.add(new ModelBench.Case(config, "train", b));
        return list;
    }

    /** Runs the command; returns the exit code (0 ok, 1 failure or no GPU, 2 usage error). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options o;
        try {
            o = parse(args);
        } catch (UsageException e) {
            return e.report(err, "gpu");
        }
        if (o.help()) {
            out.println(USAGE);
            return 0;
        }
        try {
            CudaDevice.start(o.precisions().get(0));
        } catch (GpuUnavailableException e) {
            err.println("sonogate: no GPU: " + e.getMessage());
            return 1;
        }
        try (GpuPeer peer = GpuPeer.start(GpuPeer.findScript(), "cuda:0")) {
            List<BenchRow> rows = new Runner(o, peer, out).runAll();
            if (o.json() != null) {
                JsonRows.write(o.json(), rows);
                out.println("wrote " + rows.size() + " rows to " + o.json());
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("sonogate bench gpu: " + e.getMessage());
            return 1;
        }
    }

    static final class Runner {
        private final Options o;
        private final GpuPeer peer;
        private final PrintStream out;
        private final int reps;
        private final List<BenchRow> rows = new ArrayList<>();

        Runner(Options o, GpuPeer peer, PrintStream out) {
            this.o = o;
            this.peer = peer;
            this.out = out;
            this.reps = o.quick() ? 3 : 11;
        }

        List<BenchRow> runAll() throws IOException {
            long t0 = System.nanoTime();
            GpuBackend first = CudaDevice.start(o.precisions().get(0));
            out.println("# sonogate bench gpu" + (o.quick() ? " (quick)" : ""));
            out.println("# gpu:     " + first.describe());
            out.println("# peer:    " + peer.call("version", "torch").replaceFirst("^", "torch ") + ", cudnn.benchmark on");
            out.println("# jdk:     " + SystemInfo.jdk());
            out.println("# method:  same weights (seed " + ModelBench.SEED + ") and inputs; median of " + reps
                    + " repetitions, sides alternated, each synchronised; memory = peak reserved device bytes (ours: caching allocator; torch: max_memory_reserved)");
            out.printf(Locale.ROOT, "%-30s %10s %10s %-9s %6s %9s %9s %10s %6s%n", "name", "ours", "pytorch", "unit", "ratio", "mem ours", "mem torch", "check", "host");
            Path dir = Files.createTempDirectory("sonogate-bench-gpu");
            try {
                for (Precision p : o.precisions()) {
                    GpuBackend gpu = CudaDevice.start(p);
                    for (String name : o.configs()) runConfig(gpu, p, ModelConfig.named(name), dir);
                }
            } finally {
                try (var files = Files.list(dir)) {
                    for (Path f : files.toList()) Files.deleteIfExists(f);
                }
                Files.deleteIfExists(dir);
            }
            out.printf(Locale.ROOT, "%d rows in %.0f s%n", rows.size(), (System.nanoTime() - t0) * 1e-9);
            return rows;
        }

        private void runConfig(GpuBackend gpu, Precision p, ModelConfig cfg, Path dir) throws IOException {
            try (Translator model = new Translator(cfg, Device.CUDA, ModelBench.SEED)) {
                Path weights = dir.resolve(cfg.name() + ".h5");
                Checkpoint.saveWeights(weights, model, 0, Map.of("purpose", "bench gpu"));
                for (ModelBench.Case c : cases(cfg.name(), o.quick())) {
                    // every case starts from the saved weights and fresh optimisers on both sides: after
                    // one case's training steps the two sides' weights have drifted apart (GAN steps
                    // amplify the last bits), and the next case's check would measure that drift
                    Checkpoint.loadWeights(weights, model);
                    peer.call("load " + weights + " " + p.name().toLowerCase(Locale.ROOT), "ok");
                    try (GanStep step = c.mode().equals("train") ? GanStep.withSpecDefaults(model) : null) {
                        runCase(gpu, p, cfg, model, step, c, dir);
                    }
                }
            }
        }

        private void runCase(GpuBackend gpu, Precision p, ModelConfig cfg, Translator model, GanStep step, ModelBench.Case c, Path dir)
                throws IOException {
            int n = c.batch(), s = cfg.frameSize();
            float[][] in = ModelBench.inputs(n, s, ModelBench.SEED + n);
            Path input = dir.resolve("input.bin");
            ModelBench.writeRaw(input, in[0], in[1]);
            peer.call("input " + input + " " + n, "ok");
            Tensor frames, masks;
            try (Tensor f = Tensor.of(in[0], n, 1, s, s); Tensor m = Tensor.of(in[1], n, 1, s, s)) {
                frames = f.to(Device.CUDA);
                masks = m.to(Device.CUDA);
            }
            try {
                timeCase(gpu, p, cfg, model, step, c, frames, masks, dir);
            } finally {
                frames.close();
                masks.close();
            }
        }

        private void timeCase(GpuBackend gpu, Precision p, ModelConfig cfg, Translator model, GanStep step, ModelBench.Case c,
                              Tensor frames, Tensor masks, Path dir) throws IOException {
            boolean train = c.mode().equals("train");
            Runnable enqueue;
            double check;
            if (train) {
                GanStep.Losses l = step.step(frames, masks);
                String[] w = peer.call("trainstep", "losses").split(" ");
                double d = Double.parseDouble(w[0]), g = Double.parseDouble(w[1]);
                check = Math.max(Math.abs(l.dLoss() - d) / Math.max(Math.abs(d), 1e-30), Math.abs(l.gLoss() - g) / Math.max(Math.abs(g), 1e-30));
                enqueue = () -> step.step(frames, masks);
            } else {
                Generator gen = model.generator();
                float[] mine;
                try (Scope sc = Scope.open(); var ng = Tape.noGrad()) {
                    mine = gen.forward(frames, masks).refined().toFloatArray();
                }
                Path outFile = dir.resolve("refined.bin");
                peer.call("forward " + outFile, "ok");
                check = ModelBench.relativeError(mine, ModelBench.readRaw(outFile));
                enqueue = () -> {
                    try (Scope sc = Scope.open(); var ng = Tape.noGrad()) {
                        gen.forward(frames, masks);
                    }
                };
            }
            // ours: the host's time to issue one repetition, then until the GPU has finished it
            double[] host = new double[reps];
            int[] rep = {-1};
            Runnable ours = () -> {
                long t0 = System.nanoTime();
                enqueue.run();
                if (rep[0] >= 0) host[rep[0]] = (System.nanoTime() - t0) * 1e-9;
                gpu.synchronize();
            };
            for (int i = 0; i < 3; i++) Median.timeOnce(ours);      // warm-up: algorithm finds, allocator, JIT
            peer.time(c, 3);
            gpu.synchronize();
            gpu.allocator().trim();
            gpu.allocator().resetPeaks();
            peer.call("peakreset", "ok");
            double[] mineT = new double[reps], theirs = new double[reps];
            for (int r = 0; r < reps; r++) {
                rep[0] = r;
                if (r % 2 == 0) {
                    mineT[r] = Median.timeOnce(ours);
                    theirs[r] = peer.time(c, 1)[0];
                } else {
                    theirs[r] = peer.time(c, 1)[0];
                    mineT[r] = Median.timeOnce(ours);
                }
            }
            rep[0] = -1;
            long memOurs = gpu.allocator().peakReservedBytes();
            long[] memPeer = peer.peakBytes();
            double ms = Median.of(mineT), ps = Median.of(theirs), hs = Median.of(host);
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("config", cfg.name());
            extra.put("mode", c.mode());
            extra.put("batch", c.batch());
            extra.put("precision", p.name().toLowerCase(Locale.ROOT));
            extra.put("ours_s", ms);
            extra.put("peer_s", ps);
            extra.put("ours_host_s", hs);
            extra.put("reps", reps);
            extra.put("check_rel_err", check);
            extra.put("check", train ? "first-step losses" : "refined output");
            extra.put("ours_peak_reserved_bytes", memOurs);
            extra.put("peer_peak_reserved_bytes", memPeer[0]);
            extra.put("peer_peak_allocated_bytes", memPeer[1]);
            extra.put("mem_ratio", memPeer[0] > 0 ? (double) memOurs / memPeer[0] : Double.NaN);
            extra.put("gpu", gpu.describe());
            double work = train ? 1 : c.batch();
            String name = "gpu." + cfg.name() + "." + p.name().toLowerCase(Locale.ROOT) + "." + c.mode() + ".b" + c.batch();
            BenchRow row = new BenchRow(name, work / ms, work / ps, "pytorch-cuda-" + p.name().toLowerCase(Locale.ROOT),
                    train ? "steps/s" : "frames/s", extra);
            rows.add(row);
            double bound = p == Precision.FP32 ? 1e-4 : 3e-3;
            out.printf(Locale.ROOT, "%-30s %10.2f %10.2f %-9s %5.2fx %8.0fM %8.0fM %10s %5.0f%%%n", name, row.ours(), row.peer(), row.unit(), row.ratio(),
                    memOurs / 1048576.0, memPeer[0] / 1048576.0, String.format(Locale.ROOT, "%.1e%s", check, check <= bound ? "" : "!"), 100 * hs / ms);
            if (OpProfile.ENABLED) {
                OpProfile.reset();
                long t0 = OpProfile.now();
                for (int r = 0; r < reps; r++) ours.run();
                out.print(OpProfile.report(OpProfile.now() - t0, reps, 30));
            }
            out.flush();
        }
    }
}
