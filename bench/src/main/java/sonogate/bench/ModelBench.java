package sonogate.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import sonogate.kernels.Parallel;
import sonogate.nn.Generator;
import sonogate.nn.ModelConfig;
import sonogate.nn.Neighbours;
import sonogate.nn.Translator;
import sonogate.nn.VggFeatures;
import sonogate.tensor.DType;
import sonogate.tensor.Device;
import sonogate.tensor.MemoryPool;
import sonogate.tensor.Scope;
import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;
import sonogate.train.Checkpoint;
import sonogate.train.Adam;
import sonogate.train.GanStep;
import sonogate.train.perceptual.PerceptualLoss;
import sonogate.train.perceptual.PerceptualSetting;

/**
 * {@code sonogate bench model}: the whole translator, ours against the PyTorch reference
 * ({@code scripts/reference/translator_reference.py}, CPU) in the same run, same weights, same inputs,
 * same thread count.
 *
 * <p>Cases per config: inference (generator forward, no grad) at batch 1 and 8 in frames/s, and one full
 * training step (GAN step: G forward, D step, G step, both Adam updates) at batch 4 in steps/s; base (and
 * base-temporal) does inference only. A temporal config (MODEL.md "Video": 9 input channels) runs the
 * cases of its size, both sides also getting each frame's previous and next frames and masks
 * ({@link #neighbourInputs}). Method per config: the Java model is built with a fixed seed and its weights saved to a
 * temporary HDF5 file that ONE PyTorch worker ({@code scripts/reference/bench_model_peer.py}, a line
 * protocol on stdin/stdout) loads; per case both sides get the same frames and masks, the outputs are
 * checked once (refined output relative error = max|ours - ref| / max|ref|; training: both losses of the
 * first step, which both sides take from the same weights), both sides are warmed up (Java until its
 * repetition times settle: cold Vector API code runs ~100x slower until C2 compiles it), then the sides
 * alternate repetition by repetition and the MEDIAN repetition is reported.
 *
 * <p>Peak memory, per case (over the timed repetitions; the peaks are reset just before them):
 * {@code ours} = peak RSS of this JVM (VmHWM after {@code /proc/self/clear_refs} 5), {@code peer} = peak RSS
 * of the PyTorch worker, measured the same way; the Java breakdown fields are the tensor pool's peak
 * reserved native bytes ({@link MemoryPool#peakReservedBytes()}, after a trim and reset) and the sum of the
 * heap pools' peak used bytes (an upper bound of the heap's peak). RSS includes each runtime's fixed cost
 * (JVM: code cache, metaspace, heap; Python: interpreter, libtorch) and pages kept from earlier cases.
 */
public final class ModelBench {
    private ModelBench() {}

    public static final String PYTHON = "/usr/bin/python3";
    public static final String PEER_SCRIPT = "scripts/reference/bench_model_peer.py";
    public static final long SEED = 20240607L;

    public static final String USAGE = """
            usage: sonogate bench model [--json FILE] [--quick] [--configs LIST] [--threads N] [--torch-default-denormals]
                                        [--torch-omp-wait auto|passive|default] [--perceptual features|none]
              The translator end to end beside the PyTorch reference (CPU) in the same run, same weights and threads:
              inference frames/s (batch 1 and 8), one training step (G + D, batch 4; not base), peak memory.
              --json FILE     also write the rows as a JSON array (fields name, ours, peer, peer_name, unit, ratio, ...)
              --quick         3 repetitions, shorter warm-up, base at batch 1 only
              --configs LIST  comma-separated configs of tiny, small, base, tiny-temporal, small-temporal, base-temporal
                              (default tiny,tiny-temporal,small,small-temporal,base); a -temporal config (MODEL.md
                              "Video") also gets each frame's previous and next frames and masks, on both sides
              --threads N     threads for both sides (default 2)
              --torch-default-denormals  leave PyTorch's denormal handling at its default (off: slow on denormals);
                              by default the worker calls torch.set_flush_denormal(True), PyTorch's best case
              --torch-omp-wait W  the worker's OpenMP waiting: passive (OMP_WAIT_POLICY=PASSIVE), default (libgomp's
                              spin-then-sleep), or auto (default): passive when the load average is at least the
                              CPU count, where spinning threads wait for descheduled ones (PyTorch's best case)
              --perceptual P  the training step's perceptual term: features (default, as sonogate train: the fixed random
                              feature network, weight 10; PyTorch gets the same network) or none (pixel and adversarial terms only)
              Needs /usr/bin/python3 with torch and h5py (scripts/setup-reference installs them).
            examples:
              sonogate bench model --quick --configs tiny
              sonogate bench model --configs small,base --json model.json""";


    /** The configs the bench runs: the three sizes, each also with the temporal option (MODEL.md "Video"). */
    public static final List<String> CONFIGS = List.of("tiny", "small", "base", "tiny-temporal", "small-temporal", "base-temporal");

    /**
     * Without {@code --configs}: every size, and the temporal option (which MODEL.md wants reported
     * separately in every benchmark) on tiny and small; base-temporal only on request, as it would
     * add the slowest case again.
     */
    public static final List<String> DEFAULT_CONFIGS = List.of("tiny", "tiny-temporal", "small", "small-temporal", "base");

    public record Options(Path json, boolean quick, List<String> configs, int threads, boolean flushDenormal, String ompWait,
                          boolean perceptual, boolean help) {}

    /** Wall seconds and process CPU seconds per repetition. */
    public record Timing(double[] seconds, double[] cpuSeconds) {}

    /** One timed case. */
    public record Case(String config, String mode, int batch) {
        public String name() {
            return "model." + config + "." + mode + ".b" + batch;
        }
    }

    public static Options parse(String[] args) throws UsageException {
        Path json = null;
        boolean quick = false, help = false, flush = true;
        String ompWait = "auto";
        boolean perceptual = true;
        List<String> configs = DEFAULT_CONFIGS;
        int threads = 2;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--json" -> json = Path.of(UsageException.value(args, ++i, a));
                case "--quick" -> quick = true;
                case "--configs" -> {
                    String v = UsageException.value(args, ++i, a);
                    List<String> list = new ArrayList<>();
                    for (String c : v.split(",")) {
                        String t = c.trim().toLowerCase(Locale.ROOT);
                        if (!CONFIGS.contains(t)) {
                            throw new UsageException("--configs: unknown config '" + c.trim() + "' (" + String.join(", ", CONFIGS) + ")");
                        }
                        if (!list.contains(t)) list.add(t);
                    }
                    configs = List.copyOf(list);
                }
                case "--threads" -> threads = UsageException.positiveInt(args, ++i, a);
                case "--torch-default-denormals" -> flush = false;
                case "--torch-omp-wait" -> {
                    ompWait = UsageException.value(args, ++i, a);
                    if (!List.of("auto", "passive", "default").contains(ompWait)) {
                        throw new UsageException("--torch-omp-wait: '" + ompWait + "' is not auto, passive or default");
                    }
                }
                case "--perceptual" -> {
                    String v = UsageException.value(args, ++i, a);
                    if (!List.of("features", "none").contains(v)) {
                        throw new UsageException("--perceptual: '" + v + "' is not features or none");
                    }
                    perceptual = v.equals("features");
                }
                case "-h", "--help" -> help = true;
                default -> throw new UsageException("unknown option '" + a + "'");
            }
        }
        return new Options(json, quick, configs, threads, flush, ompWait, perceptual, help);
    }


    /**
     * The cases of one config, in run order (inference before training: training changes the weights);
     * a temporal config has the cases of its size.
     */
    public static List<Case> cases(String config, boolean quick) {
        boolean base = config.replace("-temporal", "").equals("base");
        List<Case> list = new ArrayList<>();
        list.add(new Case(config, "infer", 1));
        if (!(quick && base)) list.add(new Case(config, "infer", 8));
        if (!base) list.add(new Case(config, "train", 4));
        return list;
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
            return e.report(err, "model");
        }
        if (o.help()) {
            out.println(USAGE);
            return 0;
        }
        System.setProperty("sonogate.threads", Integer.toString(o.threads()));
        if (Parallel.threads() != o.threads()) {
            err.println("sonogate bench model: the kernel pool already started with " + Parallel.threads()
                    + " threads; pass -Dsonogate.threads=" + o.threads() + " to the JVM instead");
            return 1;
        }
        Path script = findScript();
        String missing = Peer.unavailable(script);
        if (missing != null) {
            err.println("sonogate bench model: " + missing);
            return 1;
        }
        boolean passive = passiveOmpWait(o.ompWait(), loadAverage(), Runtime.getRuntime().availableProcessors());
        try (Peer peer = Peer.start(script, o.threads(), o.flushDenormal(), passive)) {
            List<BenchRow> rows = new Runner(o, peer, passive, out).runAll();
            if (o.json() != null) {
                JsonRows.write(o.json(), rows);
                out.println("wrote " + rows.size() + " rows to " + o.json());
            }
            return 0;
        } catch (IOException | RuntimeException e) {
            err.println("sonogate bench model: " + e.getMessage());
            return 1;
        }
    }

    /** Whether the worker's OpenMP threads wait passively: {@code auto} picks passive on a busy machine (load >= cpus). */
    static boolean passiveOmpWait(String mode, double load, int cpus) {
        return switch (mode) {
            case "passive" -> true;
            case "default" -> false;
            default -> load >= cpus;
        };
    }

    /** The 1-minute load average (Linux /proc/loadavg), or 0 when unknown. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The peer script ({@link PeerScript#find}). */
    public static Path findScript() {
        return PeerScript.find(PEER_SCRIPT);
    }

    /** The row of one case: rate = work / median seconds (frames for inference, steps for training). */
    static BenchRow row(Case c, double oursSeconds, double peerSeconds, Map<String, Object> extra) {
        boolean train = c.mode().equals("train");
        double work = train ? 1 : c.batch();
        return new BenchRow(c.name(), work / oursSeconds, work / peerSeconds, "pytorch-cpu", train ? "steps/s" : "frames/s", extra);
    }

    // ---- the PyTorch worker -------------------------------------------------------------------

    /** One PyTorch worker process and its line protocol (see bench_model_peer.py). */
    public static final class Peer implements AutoCloseable {
        private final PeerProcess process;

        private Peer(Process process) {
            this.process = new PeerProcess(process, "PyTorch worker");
        }

        /** Null when the worker can run; else a one-line reason. */
        public static String unavailable(Path script) {
            if (!Files.isRegularFile(script)) {
                return "cannot find " + script + " (run from the repository root)";
            }
            if (!Files.isExecutable(Path.of(PYTHON))) {
                return PYTHON + " not found; the PyTorch reference needs it with torch and h5py (run scripts/setup-reference)";
            }
            try {
                Process p = new ProcessBuilder(PYTHON, "-c", "import torch, h5py").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (!p.waitFor(120, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    return PYTHON + " -c 'import torch, h5py' hangs";
                }
                if (p.exitValue() != 0) {
                    return PYTHON + " cannot import torch and h5py; run scripts/setup-reference to install them";
                }
                return null;
            } catch (IOException | InterruptedException e) {
                return "cannot run " + PYTHON + ": " + e.getMessage() + " (scripts/setup-reference installs torch and h5py)";
            }
        }

        public static Peer start(Path script, int threads, boolean flushDenormal, boolean passiveOmpWait) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(PYTHON, script.toString(), "--threads", Integer.toString(threads)));
            if (flushDenormal) cmd.add("--flush-denormal");
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
            pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
            // the launcher tunes glibc's malloc for the JVM; the peer runs with the defaults it ships with
            pb.environment().remove("MALLOC_MMAP_THRESHOLD_");
            // libgomp spins before it sleeps: on a busy machine a barrier then waits for threads the OS
            // has descheduled (measured: tiny b1 forward 870 ms spinning, 23 ms passive, load 9 on 2 cpus)
            if (passiveOmpWait) pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
            else pb.environment().remove("OMP_WAIT_POLICY");
            return new Peer(pb.start());
        }

        /** Sends one request line, returns the reply without its leading word {@code expect}. */
        public String call(String request, String expect) throws IOException {
            return process.call(request, expect);
        }

        /** Wall and process-CPU seconds of each of {@code reps} repetitions of a case. */
        public Timing time(Case c, int reps) throws IOException {
            String[] w = call("case " + c.config() + " " + c.mode() + " " + c.batch() + " " + reps, "seconds").split(" ");
            if (w.length != 2 * reps + 1 || !w[reps].equals("cpu")) {
                throw new IOException("PyTorch worker: malformed timing reply '" + String.join(" ", w) + "'");
            }
            double[] t = new double[reps], cpu = new double[reps];
            for (int i = 0; i < reps; i++) {
                t[i] = Double.parseDouble(w[i]);
                cpu[i] = Double.parseDouble(w[reps + 1 + i]);
            }
            return new Timing(t, cpu);
        }

        /** Returns when the worker's threads have stopped spinning ({@link PeerProcess#awaitIdle}). */
        public void awaitIdle() {
            process.awaitIdle();
        }

        /** Peak RSS since the last {@code peakreset}, bytes. */
        public long peakBytes() throws IOException {
            return Long.parseLong(call("peakmem", "bytes").split(" ")[0]);
        }

        @Override
        public void close() {
            process.close();
        }
    }

    // ---- inputs, checks, memory ---------------------------------------------------------------

    /** Frames in [-1, 1] (smooth field plus noise) and masks with one rectangular hole per sample. */
    static float[][] inputs(int n, int s, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] frames = new float[n * s * s], masks = new float[n * s * s];
        for (int b = 0; b < n; b++) {
            double fx = 1 + rng.nextDouble() * 3, fy = 1 + rng.nextDouble() * 3, ph = rng.nextDouble() * 6.28;
            int h0 = s / 4 + rng.nextInt(s / 8), w0 = s / 4 + rng.nextInt(s / 8);
            int h1 = h0 + s / 4 + rng.nextInt(s / 8), w1 = w0 + s / 4 + rng.nextInt(s / 8);
            for (int y = 0; y < s; y++) {
                for (int x = 0; x < s; x++) {
                    int i = (b * s + y) * s + x;
                    double v = 0.6 * Math.sin(fx * x * 6.28 / s + ph) * Math.cos(fy * y * 6.28 / s) + 0.3 * (rng.nextDouble() * 2 - 1);
                    frames[i] = (float) Math.max(-1, Math.min(1, v));
                    masks[i] = y >= h0 && y < h1 && x >= w0 && x < w1 ? 1f : 0f;
                }
            }
        }
        return new float[][] {frames, masks};
    }

    /**
     * A temporal config's neighbours of {@link #inputs}' frames and masks, as a clip whose content drifts
     * diagonally: {previous frames, previous masks, next frames, next masks}, each the current plane
     * shifted by {@code s / 32} pixels (at least 1) one way for the previous frame and the other way
     * for the next (edges repeated), so all three frames and all three masks differ.
     */
    static float[][] neighbourInputs(float[] frames, float[] masks, int n, int s) {
        int d = Math.max(1, s / 32);
        return new float[][] {shifted(frames, n, s, -d), shifted(masks, n, s, -d), shifted(frames, n, s, d), shifted(masks, n, s, d)};
    }

    /** Each [s, s] plane of {@code planes} moved by {@code d} pixels down and right (up and left when negative), edges repeated. */
    static float[] shifted(float[] planes, int n, int s, int d) {
        float[] out = new float[planes.length];
        for (int b = 0; b < n; b++) {
            for (int y = 0; y < s; y++) {
                int sy = Math.max(0, Math.min(s - 1, y - d));
                for (int x = 0; x < s; x++) {
                    int sx = Math.max(0, Math.min(s - 1, x - d));
                    out[(b * s + y) * s + x] = planes[(b * s + sy) * s + sx];
                }
            }
        }
        return out;
    }

    static void writeRaw(Path file, float[]... arrays) throws IOException {
        int total = 0;
        for (float[] a : arrays) total += a.length;
        ByteBuffer buf = ByteBuffer.allocate(4 * total).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] a : arrays) for (float v : a) buf.putFloat(v);
        Files.write(file, buf.array());
    }

    static float[] toFloats(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) f[i] = (float) a[i];
        return f;
    }

    static float[] readRaw(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] a = new float[buf.remaining() / 4];
        buf.asFloatBuffer().get(a);
        return a;
    }

    /** max|ours - ref| / max(max|ref|, 1e-30); NaN anywhere in ours gives NaN. */
    static double relativeError(float[] ours, float[] ref) {
        if (ours.length != ref.length) return Double.POSITIVE_INFINITY;
        double diff = 0, scale = 0;
        for (int i = 0; i < ref.length; i++) {
            diff = Math.max(diff, Math.abs((double) ours[i] - ref[i]));
            if (Float.isNaN(ours[i])) diff = Double.NaN;
            scale = Math.max(scale, Math.abs((double) ref[i]));
        }
        return diff / Math.max(scale, 1e-30);
    }

    /** Resets the JVM's peak RSS (Linux), the tensor pool's peak and the heap pools' peaks. */
    static void resetJavaPeaks() {
        // trim first: the peak RSS restarts from the resident set after the trim, so blocks cached
        // from the warm-up or an earlier case do not count. Likewise the heap: the training case's
        // step-long garbage (tape nodes, tensor headers) outlives the 16 MB young generation, is
        // promoted, and SerialGC grows the old generation rather than collect it (measured: 211 MB
        // committed, 24 MB live, before base b1); a full collection now, which the launcher's
        // -XX:-ShrinkHeapInSteps lets shrink the heap at once, gives those pages back. The peer runs
        // Python's gc.collect() at its reset for the same reason.
        System.gc();
        MemoryPool.CPU.trim();
        MemoryPool.CPU.resetPeak();
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
        } catch (IOException | RuntimeException ignored) {
            // not Linux: VmHWM then covers the whole run
        }
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) p.resetPeakUsage();
        }
    }

    static long javaPeakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return 1024 * Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux
        }
        return -1;
    }

    static long javaHeapPeak() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP && p.getPeakUsage() != null) sum += p.getPeakUsage().getUsed();
        }
        return sum;
    }

    // ---- the run ------------------------------------------------------------------------------

    static final class Runner {
        private final Options o;
        private final Peer peer;
        private final boolean passiveOmpWait;
        private final PrintStream out;
        private final int reps;
        private final int maxReps;
        private final double sideSeconds;
        private final double warmCap;
        private final double warmMin;
        private final List<BenchRow> rows = new ArrayList<>();

        Runner(Options o, Peer peer, boolean passiveOmpWait, PrintStream out) {
            this.o = o;
            this.peer = peer;
            this.passiveOmpWait = passiveOmpWait;
            this.out = out;
            this.reps = o.quick() ? 3 : 5;
            this.maxReps = o.quick() ? 9 : 25;
            this.sideSeconds = o.quick() ? 1.5 : 4;
            this.warmCap = o.quick() ? 20 : 60;
            this.warmMin = o.quick() ? 1.5 : 3;
        }

        List<BenchRow> runAll() throws IOException {
            long t0 = System.nanoTime();
            header();
            Path dir = Files.createTempDirectory("sonogate-bench-model");
            try {
                globalWarmup();
                for (String name : o.configs()) runConfig(ModelConfig.named(name), dir);
            } finally {
                try (var files = Files.list(dir)) {
                    for (Path p : files.toList()) Files.deleteIfExists(p);
                }
                Files.deleteIfExists(dir);
            }
            out.printf(Locale.ROOT, "%d rows in %.0f s%n", rows.size(), (System.nanoTime() - t0) * 1e-9);
            return rows;
        }

        private void header() throws IOException {
            out.println("# sonogate bench model" + (o.quick() ? " (quick)" : ""));
            out.println("# cpu:     " + SystemInfo.cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cpus");
            out.println("# inference: small configs run in concurrent parts: " + System.getProperty("sonogate.concurrentInference", "auto")
                    + " (-Dsonogate.concurrentInference=auto|all|samples|none; auto: all while the load average is below three times the CPU count)");
            out.println("# threads: sonogate " + Parallel.threads() + ", " + peer.call("version", "torch").replaceFirst("^", "torch "));
            out.println("# jdk:     " + SystemInfo.jdk() + "; torch flush_denormal " + (o.flushDenormal() ? "on (PyTorch's best case)" : "off (PyTorch default)"));
            out.printf(Locale.ROOT, "# load:    %.2f (1-minute average) on %d cpus; torch OMP_WAIT_POLICY %s%n", loadAverage(),
                    Runtime.getRuntime().availableProcessors(), passiveOmpWait ? "PASSIVE" : "unset (libgomp spins, then sleeps)");
            out.println("# method:  same weights (seed " + SEED + ") and inputs; median of >= " + reps
                    + " repetitions (more for fast cases, up to " + maxReps + " or ~" + Math.round(sideSeconds) + " s a side), sides alternated, ours timed once the worker's threads stopped spinning; inference frames/s = batch / time, train steps/s (G + D step, Adam"
                    + (o.perceptual() ? ", perceptual term: fixed feature network, weight " + PerceptualSetting.DEFAULT_WEIGHT + ", as sonogate train's default"
                                      : "; perceptual term EXCLUDED on both sides (--perceptual none)") + ")");
            if (o.configs().stream().anyMatch(c -> c.endsWith("-temporal"))) {
                out.println("# temporal: -temporal configs (9 input channels) also get each frame's previous and next frames and masks"
                        + " (the frames and masks shifted by frame size / 32 pixels either way), on both sides");
            }
            out.println("# memory:  peak RSS of each process over the timed repetitions (VmHWM, reset per case); pool = our tensor pool's peak native bytes");
            out.println("# cpu x:   PyTorch's process CPU seconds per repetition / ours (spinning pool threads included on both sides): the");
            out.println("#          efficiency ratio that survives a loaded machine, where the wall-clock ratio mostly measures CPU shares");
            out.printf(Locale.ROOT, "%-29s %10s %10s %-9s %6s %6s %9s %9s %9s %10s%n",
                    "name", "ours", "pytorch", "unit", "ratio", "cpu x", "rss ours", "rss torch", "pool", "check");
        }

        private void runConfig(ModelConfig cfg, Path dir) throws IOException {
            GanStep step = null;
            try (Translator model = new Translator(cfg, Device.CPU, SEED)) {
                Path weights = dir.resolve(cfg.name() + ".h5");
                Checkpoint.saveWeights(weights, model, 0, Map.of("purpose", "bench model"));
                peer.call("load " + weights, "ok");
                for (Case c : cases(cfg.name(), o.quick())) {
                    // the optimiser state (Adam's moments: twice the weights) only when a training case
                    // needs it, as PyTorch's Adam creates its state on the first step
                    if (step == null && c.mode().equals("train")) step = trainingStep(model, dir);
                    runCase(cfg, model, step, c, dir);
                }
            } finally {
                if (step != null) step.close();
            }
        }

        /**
         * The training step as {@code sonogate train} runs it by default: spec loss weights and Adam, plus
         * the perceptual term on sonogate's fixed random feature network (unless {@code --perceptual none}),
         * whose weights go to the worker too, so both sides compute the same loss.
         */
        private GanStep trainingStep(Translator model, Path dir) throws IOException {
            if (!o.perceptual()) {
                peer.call("perceptual none", "ok");
                return GanStep.withSpecDefaults(model);
            }
            // record the drawn weights in the layout's order: the worker splits the file by the same layout
            List<VggFeatures.ConvWeights> drawn = new ArrayList<>();
            Function<VggFeatures.Conv, VggFeatures.ConvWeights> source = VggFeatures.randomWeights(PerceptualSetting.FEATURES_SEED);
            VggFeatures net = new VggFeatures(VggFeatures.Layout.FEATURES, DType.F32, c -> {
                VggFeatures.ConvWeights w = source.apply(c);
                drawn.add(w);
                return w;
            });
            Path file = dir.resolve("perceptual.bin");
            List<float[]> arrays = new ArrayList<>();
            for (VggFeatures.ConvWeights w : drawn) {
                arrays.add(toFloats(w.weight()));
                arrays.add(toFloats(w.bias()));
            }
            writeRaw(file, arrays.toArray(new float[0][]));
            peer.call("perceptual " + file + " " + PerceptualSetting.DEFAULT_WEIGHT, "ok");
            return new GanStep(model, GanStep.LossWeights.DEFAULT,
                    Adam.withSpecDefaults(model.generatorParameters(), model.generatorGradients()),
                    Adam.withSpecDefaults(model.discriminatorParameters(), model.discriminatorGradients()),
                    new PerceptualLoss(net), PerceptualSetting.DEFAULT_WEIGHT);
        }

        private void runCase(ModelConfig cfg, Translator model, GanStep step, Case c, Path dir) throws IOException {
            int n = c.batch(), s = cfg.frameSize();
            float[][] in = inputs(n, s, SEED + n);
            Path input = dir.resolve("input.bin");
            // a temporal config: the worker reads the neighbours' four planes after frames and masks
            float[][] around = cfg.temporal() ? neighbourInputs(in[0], in[1], n, s) : null;
            if (around == null) writeRaw(input, in[0], in[1]);
            else writeRaw(input, in[0], in[1], around[0], around[1], around[2], around[3]);
            peer.call("input " + input + " " + n, "ok");
            Tensor frames = Tensor.of(in[0], n, 1, s, s), masks = Tensor.of(in[1], n, 1, s, s);
            Neighbours nb = around == null ? null : Neighbours.of(around, n, s, t -> t);
            try {
                boolean train = c.mode().equals("train");
                Runnable ours;
                double check;
                if (train) {
                    // both sides' first step starts from the same weights: compare its losses
                    GanStep.Losses l = step.step(frames, masks, nb, GanStep.Probe.NONE);
                    String[] w = peer.call("trainstep", "losses").split(" ");
                    double d = Double.parseDouble(w[0]), g = Double.parseDouble(w[1]);
                    check = Math.max(Math.abs(l.dLoss() - d) / Math.max(Math.abs(d), 1e-30), Math.abs(l.gLoss() - g) / Math.max(Math.abs(g), 1e-30));
                    ours = () -> step.step(frames, masks, nb, GanStep.Probe.NONE);
                } else {
                    Generator gen = model.generator();
                    float[] mine;
                    try (Scope sc = Scope.open(); var ng = Tape.noGrad()) {
                        mine = gen.forward(frames, masks, nb).refined().toFloatArray();
                    }
                    Path outFile = dir.resolve("refined.bin");
                    peer.call("forward " + outFile, "ok");
                    check = relativeError(mine, readRaw(outFile));
                    ours = () -> {
                        try (Scope sc = Scope.open(); var ng = Tape.noGrad()) {
                            gen.forward(frames, masks, nb);
                        }
                    };
                }
                double warm = warmUp(ours);
                double peerWarm = peer.time(c, 1).seconds()[0];    // peer warm-up (allocator, lazy init)
                double oursOnce = Median.timeOnce(ours);
                // a shared, noisy machine: fast cases get more repetitions (odd count: a true median)
                int reps = (int) Math.max(this.reps, Math.min(maxReps, Math.floor(sideSeconds / Math.max(oursOnce, peerWarm))));
                if (reps % 2 == 0) reps++;
                peer.call("peakreset", "ok");
                resetJavaPeaks();
                double[] mineT = new double[reps], theirs = new double[reps], mineCpu = new double[reps], theirCpu = new double[reps];
                for (int r = 0; r < reps; r++) {
                    for (int side = 0; side < 2; side++) {
                        if ((side + r) % 2 == 0) {
                            peer.awaitIdle();
                            long cpu0 = ProcessCpu.nanos();
                            mineT[r] = Median.timeOnce(ours);
                            mineCpu[r] = (ProcessCpu.nanos() - cpu0) * 1e-9;
                        } else {
                            Timing t = peer.time(c, 1);
                            theirs[r] = t.seconds()[0];
                            theirCpu[r] = t.cpuSeconds()[0];
                        }
                    }
                }
                long rssOurs = javaPeakRss(), rssPeer = peer.peakBytes();
                long pool = MemoryPool.CPU.peakReservedBytes(), heap = javaHeapPeak();
                double ms = Median.of(mineT), ps = Median.of(theirs);
                Map<String, Object> extra = new LinkedHashMap<>();
                extra.put("config", cfg.name());
                extra.put("temporal", cfg.temporal());
                extra.put("mode", c.mode());
                extra.put("batch", n);
                extra.put("ours_s", ms);
                extra.put("peer_s", ps);
                double mc = Median.of(mineCpu), pc = Median.of(theirCpu);
                extra.put("ours_cpu_s", mc);
                extra.put("peer_cpu_s", pc);
                extra.put("cpu_ratio", pc / mc);
                extra.put("reps", reps);
                extra.put("ours_warmup_s", warm);
                extra.put("check_rel_err", check);
                extra.put("check", train ? "first-step losses" : "refined output");
                extra.put("ours_peak_rss_bytes", rssOurs);
                extra.put("peer_peak_rss_bytes", rssPeer);
                extra.put("mem_ratio", rssPeer > 0 && rssOurs > 0 ? (double) rssOurs / rssPeer : Double.NaN);
                extra.put("ours_pool_peak_bytes", pool);
                extra.put("ours_heap_peak_bytes", heap);
                if (train) extra.put("perceptual", o.perceptual() ? "features" : "none");
                extra.put("threads", o.threads());
                extra.put("torch_flush_denormal", o.flushDenormal());
                extra.put("torch_omp_wait", passiveOmpWait ? "passive" : "default");
                extra.put("load_average", loadAverage());
                BenchRow row = row(c, ms, ps, extra);
                rows.add(row);
                out.printf(Locale.ROOT, "%-29s %10.3f %10.3f %-9s %5.2fx %5.2fx %8.0fM %8.0fM %8.0fM %10s%n", c.name(), row.ours(), row.peer(),
                        row.unit(), row.ratio(), pc / mc, rssOurs / 1048576.0, rssPeer / 1048576.0, pool / 1048576.0,
                        String.format(Locale.ROOT, "%.1e%s", check, check <= 1e-4 ? "" : "!"));
                out.flush();
            } finally {
                frames.close();
                masks.close();
                if (nb != null) nb.close();
            }
        }

        /**
         * Runs the tiny model's forward (batch 1 and 2) and training step (batch 2) for a few seconds so C2
         * compiles the kernels and ops before the first timed case (cold Vector API code is ~100x slower).
         */
        private void globalWarmup() {
            long until = System.nanoTime() + (long) ((o.quick() ? 5 : 10) * 1e9);
            try (Translator model = new Translator(ModelConfig.TINY, Device.CPU, SEED + 1); GanStep step = GanStep.withSpecDefaults(model)) {
                List<Tensor> held = new ArrayList<>();
                try {
                    for (int n : new int[] {1, 2}) {
                        float[][] in = inputs(n, 64, SEED + 7);
                        held.add(Tensor.of(in[0], n, 1, 64, 64));
                        held.add(Tensor.of(in[1], n, 1, 64, 64));
                    }
                    while (System.nanoTime() < until) {
                        for (int i = 0; i < held.size(); i += 2) {
                            try (Scope sc = Scope.open(); var ng = Tape.noGrad()) {
                                model.generator().forward(held.get(i), held.get(i + 1));
                            }
                        }
                        step.step(held.get(2), held.get(3));
                    }
                } finally {
                    for (Tensor t : held) t.close();
                }
            }
        }

        /**
         * Runs {@code op} until its times settle (>= 3 runs and warmMin seconds, the last within 10% of
         * the best) and the JIT has gone quiet (no compilation for two repetitions, at least 0.5 s), or
         * the cap; seconds spent. On a loaded machine C2 can still be compiling when the times already
         * agree, and its threads' CPU would count against the timed repetitions.
         */
        private double warmUp(Runnable op) {
            CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
            boolean canWatchJit = jit != null && jit.isCompilationTimeMonitoringSupported();
            long t0 = System.nanoTime(), quietSince = t0;
            long compiled = canWatchJit ? jit.getTotalCompilationTime() : 0;
            double best = Double.POSITIVE_INFINITY;
            for (int i = 0; ; i++) {
                double t = Median.timeOnce(op);
                long now = System.nanoTime();
                if (canWatchJit && jit.getTotalCompilationTime() != compiled) {
                    compiled = jit.getTotalCompilationTime();
                    quietSince = now;
                }
                double spent = (now - t0) * 1e-9;
                boolean jitQuiet = (now - quietSince) * 1e-9 >= Math.max(0.5, 2 * t);
                boolean settled = i >= 2 && t <= 1.10 * best && spent >= warmMin && jitQuiet;
                best = Math.min(best, t);
                if (settled || spent > warmCap) break;
            }
            return (System.nanoTime() - t0) * 1e-9;
        }
    }

}
