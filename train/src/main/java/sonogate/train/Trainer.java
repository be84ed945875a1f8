package sonogate.train;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import sonogate.nn.Generator;
import sonogate.nn.ModelConfig;
import sonogate.nn.Neighbours;
import sonogate.nn.Translator;
import sonogate.tensor.Device;
import sonogate.tensor.DType;
import sonogate.tensor.Scope;
import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;
import sonogate.train.data.Augmentation;
import sonogate.train.data.MaskMixer;
import sonogate.train.metrics.Metrics;
import sonogate.train.metrics.SampleSheet;
import sonogate.train.metrics.Ssim;
import sonogate.train.perceptual.PerceptualLoss;
import sonogate.train.perceptual.PerceptualSetting;

/**
 * The training loop: {@link GanStep}s on batches from a {@link BatchLoader}, with
 * <ul>
 *   <li>a non-finite guard: the D and G losses and gradient norms are checked right before each
 *       Adam step; a NaN or Inf aborts the step (nothing of it applied when D's check fails),
 *       is reported and logged, and the model and both optimisers go back to the last good
 *       in-memory snapshot (taken every {@code snapshotEvery} steps); training then goes on with
 *       the next batch;</li>
 *   <li>{@code train.jsonl} in the run folder: per step the losses, gradient norms and step time;
 *       {@code val.jsonl}: every {@code valEvery} steps SSIM (whole frame, in mask), PSNR and
 *       in-mask L1 of the composite on a fixed validation set (held-aside clips, masks drawn from
 *       a constant seed so every run sees the same), with a sample sheet
 *       {@code samples/step_NNNNNNN.png};</li>
 *   <li>{@code checkpoint.h5}: every {@code ckptEvery} steps, at the end, and when a stop is
 *       requested ({@link #requestStop}, the SIGINT/SIGTERM hook of {@link #installShutdownHook});
 *       a run resumed from it continues exactly (the loader's batches are a function of the
 *       loader seed, saved in the checkpoint's settings, and the step).</li>
 * </ul>
 * Run-level randomness: {@code Rng(seed)} draws the model-initialisation seed and then the loader
 * seed; the run Rng's state goes into the checkpoint.
 */
public final class Trainer implements AutoCloseable {

    /** The training settings; {@link #defaults} for a config, batch and seed. */
    public record Settings(ModelConfig config, int batch, long seed, int valEvery, int ckptEvery, int snapshotEvery,
                           int valSamples, int sheetRows, int prefetch, int logEvery, boolean augment, double lr, GanStep.LossWeights weights,
                           PerceptualSetting perceptual) {
        public Settings {
            if (batch < 1) throw new IllegalArgumentException("batch must be >= 1");
            if (snapshotEvery < 1) throw new IllegalArgumentException("snapshotEvery must be >= 1");
            if (!(lr > 0 && lr < 1)) throw new IllegalArgumentException("learning rate must be in (0, 1): " + lr);
            if (perceptual == null) throw new IllegalArgumentException("perceptual setting missing (use PerceptualSetting.NONE)");
        }

        /** MODEL.md's learning rate for G and D. */
        public static final double DEFAULT_LR = 1e-4;

        public static Settings defaults(ModelConfig config, int batch, long seed) {
            return new Settings(config, batch, seed, 100, 500, 10, 16, 4, 3, 10, true, DEFAULT_LR, GanStep.LossWeights.DEFAULT, PerceptualSetting.DEFAULT);
        }

        public Settings withValEvery(int v) { return new Settings(config, batch, seed, v, ckptEvery, snapshotEvery, valSamples, sheetRows, prefetch, logEvery, augment, lr, weights, perceptual); }
        public Settings withCkptEvery(int v) { return new Settings(config, batch, seed, valEvery, v, snapshotEvery, valSamples, sheetRows, prefetch, logEvery, augment, lr, weights, perceptual); }
        public Settings withSnapshotEvery(int v) { return new Settings(config, batch, seed, valEvery, ckptEvery, v, valSamples, sheetRows, prefetch, logEvery, augment, lr, weights, perceptual); }
        public Settings withValSamples(int v) { return new Settings(config, batch, seed, valEvery, ckptEvery, snapshotEvery, v, sheetRows, prefetch, logEvery, augment, lr, weights, perceptual); }
        public Settings withAugment(boolean v) { return new Settings(config, batch, seed, valEvery, ckptEvery, snapshotEvery, valSamples, sheetRows, prefetch, logEvery, v, lr, weights, perceptual); }
        /** Adam's learning rate for G and D (MODEL.md: 1e-4; betas stay (0.5, 0.999)). */
        public Settings withLearningRate(double v) { return new Settings(config, batch, seed, valEvery, ckptEvery, snapshotEvery, valSamples, sheetRows, prefetch, logEvery, augment, v, weights, perceptual); }
        /** The generator's loss weights (MODEL.md: L1 coarse 1, L1 refined 1, adversarial 0.1). */
        public Settings withLossWeights(GanStep.LossWeights v) { return new Settings(config, batch, seed, valEvery, ckptEvery, snapshotEvery, valSamples, sheetRows, prefetch, logEvery, augment, lr, v, perceptual); }
        /** The perceptual term and its weight (default: sonogate's fixed random feature network, {@link PerceptualSetting#DEFAULT}). */
        public Settings withPerceptual(PerceptualSetting v) { return new Settings(config, batch, seed, valEvery, ckptEvery, snapshotEvery, valSamples, sheetRows, prefetch, logEvery, augment, lr, weights, v); }
        public Settings withLogEvery(int v) { return new Settings(config, batch, seed, valEvery, ckptEvery, snapshotEvery, valSamples, sheetRows, prefetch, v, augment, lr, weights, perceptual); }
    }

    /** Validation metrics, means over the validation samples (in-mask ones skip empty masks). */
    public record Validation(long step, int samples, double ssim, double ssimInMask, double psnr, double l1InMask) {}

    /** One completed step (or a skipped one, with {@code skipped} true and the non-finite reason). */
    public record StepRecord(long step, GanStep.Losses losses, double dGradNorm, double gGradNorm, double seconds, String skipped) {}

    /** Thrown by the guard inside a step: a non-finite loss or gradient norm. */
    static final class NonFiniteException extends RuntimeException {
        NonFiniteException(String message) {
            super(message, null, false, false);
        }
    }

    public static final String CHECKPOINT = "checkpoint.h5", TRAIN_LOG = "train.jsonl", VAL_LOG = "val.jsonl", SAMPLES = "samples";
    private static final long VALIDATION_MASK_SEED = 0x5EED_0F_7A11DL;

    private final Settings settings;
    private final FrameDataset data;
    private final Path runDir;
    private final Translator model;
    private final GanStep gan;
    private final Rng rng;
    private final long loaderSeed;
    private final Map<String, Object> savedSettings;
    private final float[][] valFrames, valMasks;
    private final float[][][] valNeighbours;   // temporal configs: per sample {previous, its mask, next, its mask}; else null
    private final Progress progress;
    private final PrintStream out;
    private final List<StepRecord> history = new ArrayList<>();
    private final List<Validation> validations = new ArrayList<>();
    private Validation prefillBaseline;
    private MaskMixer maskMixer = MaskMixer.defaults();
    private UnaryOperator<BatchLoader.Batch> batchFilter = UnaryOperator.identity();
    private long step;
    private Snapshot snapshot;
    private volatile boolean stopRequested;
    private final CountDownLatch finished = new CountDownLatch(1);
    private Thread hook;

    /**
     * A trainer writing into {@code runDir} (created if absent). With {@code resume} the model,
     * optimisers, step and random state come from {@code runDir/checkpoint.h5}, and the loader
     * seed from its settings.
     */
    public Trainer(Settings settings, FrameDataset data, Path runDir, boolean resume, PrintStream out, boolean tty) {
        this(settings, data, runDir, resume, out, tty, Device.CPU);
    }

    /** Trains on {@code device} (Device.CUDA needs the GPU backend registered first). */
    public Trainer(Settings settings, FrameDataset data, Path runDir, boolean resume, PrintStream out, boolean tty, Device device) {
        if (data.size() != settings.config().frameSize()) {
            throw new IllegalArgumentException("data frames are " + data.size() + "x" + data.size() + ", config " + settings.config().name()
                    + " needs " + settings.config().frameSize());
        }
        this.settings = settings;
        this.data = data;
        this.runDir = runDir;
        this.out = out;
        this.progress = new Progress(out, tty, settings.logEvery());
        try {
            Files.createDirectories(runDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create run folder " + runDir + ": " + e.getMessage(), e);
        }
        Rng runRng = new Rng(settings.seed());
        long modelSeed = runRng.nextLong();
        long freshLoaderSeed = runRng.nextLong();
        PerceptualLoss perceptual = settings.perceptual().create();   // first: a bad weights file fails before anything is allocated
        this.model = new Translator(settings.config(), device, modelSeed);
        this.gan = new GanStep(model, settings.weights(),
                new Adam(model.generatorParameters(), model.generatorGradients(), settings.lr(), 0.5, 0.999, 1e-8),
                new Adam(model.discriminatorParameters(), model.discriminatorGradients(), settings.lr(), 0.5, 0.999, 1e-8),
                perceptual, settings.perceptual().weight());
        if (resume) {
            Path ckpt = runDir.resolve(CHECKPOINT);
            CheckpointInfo info = Checkpoint.restore(ckpt, model, gan.generatorOptimizer(), gan.discriminatorOptimizer());
            Object ls = info.settings().get("loader_seed");
            Object batch = info.settings().get("batch");
            if (!(ls instanceof Long l)) throw new CheckpointException(ckpt, "has no loader_seed setting: not written by sonogate train");
            if (batch instanceof Integer b && b != settings.batch()) {
                throw new CheckpointException(ckpt, "was trained with batch " + b + ", not " + settings.batch() + " (a resume must keep the batch)");
            }
            Object p = info.settings().get("perceptual"), pw = info.settings().get("w_perceptual");
            String saved = p instanceof String str ? str : PerceptualSetting.NONE.spec();   // checkpoints from before the term had none
            double savedWeight = pw instanceof Double d ? d : 0;
            if (!saved.equals(settings.perceptual().spec()) || (settings.perceptual().enabled() && savedWeight != settings.perceptual().weight())) {
                throw new CheckpointException(ckpt, "was trained with perceptual " + saved + " (weight " + savedWeight + "), not "
                        + settings.perceptual().spec() + " (weight " + settings.perceptual().weight() + "); a resume must keep the loss");
            }
            // a resume keeps the optimisation settings (checkpoints from before they were saved had the defaults)
            double savedLr = info.settings().get("lr") instanceof Double d ? d : Settings.DEFAULT_LR;
            double savedAdv = info.settings().get("w_adversarial") instanceof Double d ? d : GanStep.LossWeights.DEFAULT.adversarial();
            if (savedLr != settings.lr()) {
                throw new CheckpointException(ckpt, "was trained with lr " + savedLr + ", not " + settings.lr() + " (a resume must keep the learning rate)");
            }
            if (savedAdv != settings.weights().adversarial()) {
                throw new CheckpointException(ckpt, "was trained with adversarial weight " + savedAdv + ", not " + settings.weights().adversarial()
                        + " (a resume must keep the loss)");
            }
            this.loaderSeed = l;
            this.rng = info.rng();
            this.step = info.step();
            JsonLog.truncateAfter(runDir.resolve(TRAIN_LOG), step);
            JsonLog.truncateAfter(runDir.resolve(VAL_LOG), step);
        } else {
            this.loaderSeed = freshLoaderSeed;
            this.rng = runRng;
            this.step = 0;
        }
        Map<String, Object> s = new TreeMap<>();
        s.put("config", settings.config().name());
        s.put("batch", settings.batch());
        s.put("seed", settings.seed());
        s.put("loader_seed", loaderSeed);
        s.put("augment", settings.augment());
        s.put("lr", settings.lr());
        s.put("w_l1_coarse", settings.weights().pixelCoarse());
        s.put("w_l1_refined", settings.weights().pixelRefined());
        s.put("w_adversarial", settings.weights().adversarial());
        s.put("perceptual", settings.perceptual().spec());
        s.put("w_perceptual", settings.perceptual().weight());
        s.putAll(data.selection());
        this.savedSettings = s;
        // the fixed validation set: up to valSamples frames spread evenly over the held-out clips
        List<FrameDataset.Clip> valClips = data.validation();
        int total = data.validationFrameCount();
        int n = Math.min(settings.valSamples(), total);
        valFrames = new float[n][];
        valMasks = new float[n][];
        valNeighbours = settings.config().temporal() ? new float[n][][] : null;
        Rng valRng = new Rng(VALIDATION_MASK_SEED);
        int size = data.size();
        for (int i = 0; i < n; i++) {
            int pick = (int) ((long) i * total / n), c = 0;
            while (pick >= valClips.get(c).frameCount()) pick -= valClips.get(c++).frameCount();
            if (valNeighbours != null) {
                BatchLoader.TemporalSample ts;
                do {
                    ts = BatchLoader.temporalSample(maskMixer, valRng, valClips.get(c), pick, size);
                } while (count(ts.masks()[1]) == 0);
                valFrames[i] = ts.frames()[1];
                valMasks[i] = ts.masks()[1];
                valNeighbours[i] = new float[][] {ts.frames()[0], ts.masks()[0], ts.frames()[2], ts.masks()[2]};
                continue;
            }
            valFrames[i] = valClips.get(c).frame(pick);
            float[] m;
            do {
                m = BatchLoader.sample(maskMixer, valRng, valFrames[i], size, valClips.get(c).sector()).masks()[0];
            } while (count(m) == 0);
            valMasks[i] = m;
        }
        this.snapshot = Snapshot.take(this);
    }

    private static int count(float[] m) {
        int c = 0;
        for (float v : m) if (v > 0.5f) c++;
        return c;
    }

    public Translator model() { return model; }
    /** The fixed validation frames and their holes (for tests: baselines on the same samples). */
    float[][] validationFrames() { return valFrames.clone(); }
    float[][] validationMasks() { return valMasks.clone(); }
    public long step() { return step; }
    public List<StepRecord> history() { return history; }
    public List<Validation> validations() { return validations; }
    public double stepsPerSecond() { return progress.stepsPerSecond(); }

    /** For tests: a change applied to each batch before its step (e.g. a NaN injected). */
    void setBatchFilter(UnaryOperator<BatchLoader.Batch> filter) {
        this.batchFilter = filter;
    }

    /** Ask the loop to stop after the current step (it then saves a checkpoint). Thread-safe. */
    public void requestStop() {
        stopRequested = true;
    }

    /**
     * On SIGINT/SIGTERM (JVM shutdown) request a stop and wait up to two minutes for the running
     * step to finish, the checkpoint to be written and the trainer to be closed: the JVM halts when
     * the hook returns, so whatever the caller does between {@link #train} and {@link #close} (the
     * command's last line and JSON summary) must happen before.
     */
    public void installShutdownHook() {
        hook = new Thread(() -> {
            requestStop();
            try {
                finished.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sonogate-train-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Trains until step {@code targetStep} (total, counting resumed steps) or a stop request. */
    public void train(long targetStep) {
        Augmentation aug = new Augmentation(settings.augment() ? Augmentation.Config.defaults() : Augmentation.Config.none());
        long lastSaved = step;
        try (BatchLoader loader = new BatchLoader(data, maskMixer, aug, loaderSeed, settings.batch(), step, settings.prefetch(), BatchLoader.defaultWorkers(),
                settings.config().temporal());
             JsonLog log = new JsonLog(runDir.resolve(TRAIN_LOG));
             JsonLog valLog = new JsonLog(runDir.resolve(VAL_LOG))) {
            while (step < targetStep && !stopRequested) {
                BatchLoader.Batch batch = batchFilter.apply(loader.next());
                StepRecord r = oneStep(batch);
                history.add(r);
                step++;
                var rec = JsonLog.record();
                rec.put("step", step);
                if (r.skipped() != null) {
                    rec.put("skipped", r.skipped());
                    rec.put("rolled_back_to", snapshot.step);
                    progress.message("step " + step + ": " + r.skipped() + "; step skipped, model rolled back to its state at step " + snapshot.step);
                } else {
                    GanStep.Losses l = r.losses();
                    rec.put("d_loss", l.dLoss());
                    rec.put("g_loss", l.gLoss());
                    rec.put("l1_coarse", l.l1Coarse());
                    rec.put("l1_refined", l.l1Refined());
                    rec.put("g_adv", l.gAdv());
                    rec.put("perceptual", l.perceptual());
                    rec.put("d_grad_norm", r.dGradNorm());
                    rec.put("g_grad_norm", r.gGradNorm());
                }
                rec.put("seconds", r.seconds());
                log.write(rec);
                progress.step(step, targetStep, r.seconds(), r.skipped() != null ? "skipped"
                        : String.format(Locale.ROOT, "d %.3f  g %.3f  l1 %.4f", r.losses().dLoss(), r.losses().gLoss(), r.losses().l1Refined()));
                if (step % settings.snapshotEvery() == 0 && r.skipped() == null) snapshot = Snapshot.take(this);
                if (settings.valEvery() > 0 && step % settings.valEvery() == 0 && valFrames.length > 0) {
                    Validation v = validate();
                    writeValidation(valLog, v);
                }
                if (settings.ckptEvery() > 0 && step % settings.ckptEvery() == 0) {
                    save();
                    lastSaved = step;
                }
            }
            if (step != lastSaved) save();
            if (stopRequested) progress.message("stopped at step " + step + "; checkpoint saved to " + runDir.resolve(CHECKPOINT));
        }
    }

    private StepRecord oneStep(BatchLoader.Batch b) {
        int n = b.batch(), s = b.size();
        double[] norms = {Double.NaN, Double.NaN};
        long t0 = System.nanoTime();
        GanStep.Probe guard = new GanStep.Probe() {
            @Override
            public void beforeDiscriminatorUpdate(Tensor dLoss) {
                double loss = dLoss.item();
                norms[0] = norm(model.discriminatorGradients());
                if (!Double.isFinite(loss)) throw new NonFiniteException("non-finite d_loss " + loss);
                if (!Double.isFinite(norms[0])) throw new NonFiniteException("non-finite discriminator gradient norm");
            }

            @Override
            public void beforeGeneratorUpdate(Tensor gLoss) {
                double loss = gLoss.item();
                norms[1] = norm(model.generatorGradients());
                if (!Double.isFinite(loss)) throw new NonFiniteException("non-finite g_loss " + loss);
                if (!Double.isFinite(norms[1])) throw new NonFiniteException("non-finite generator gradient norm");
            }
        };
        try (Scope scope = Scope.open()) {
            Tensor frames = onModelDevice(Tensor.of(b.frames(), n, 1, s, s));
            Tensor masks = onModelDevice(Tensor.of(b.masks(), n, 1, s, s));
            Neighbours neighbours = !b.temporal() ? null
                    : Neighbours.of(new float[][] {b.previousFrames(), b.previousMasks(), b.nextFrames(), b.nextMasks()}, n, s, this::onModelDevice);
            GanStep.Losses losses = gan.step(frames, masks, neighbours, guard);
            if (!losses.allFinite()) throw new NonFiniteException("non-finite loss " + losses);
            return new StepRecord(step + 1, losses, norms[0], norms[1], (System.nanoTime() - t0) * 1e-9, null);
        } catch (NonFiniteException e) {
            Tape.clear();
            snapshot.restore(this);
            return new StepRecord(step + 1, null, norms[0], norms[1], (System.nanoTime() - t0) * 1e-9, e.getMessage());
        }
    }

    /** A host tensor moved to the model's device (itself on the CPU). */
    private Tensor onModelDevice(Tensor host) {
        if (model.device() == Device.CPU) return host;
        try (host) {
            return host.to(model.device());
        }
    }

    /** The L2 norm of a gradient slab (double accumulation); NaN/Inf when any value is. */
    static double norm(Tensor g) {
        double sum = 0;
        if (g.device() == Device.CPU && g.dtype() == DType.F32 && g.isContiguous()) {
            MemorySegment seg = g.cpuSegment();
            long n = g.numel();
            for (long i = 0; i < n; i++) {
                double v = seg.getAtIndex(ValueLayout.JAVA_FLOAT, i);
                sum += v * v;
            }
        } else {
            for (float v : g.toFloatArray()) sum += (double) v * v;
        }
        return Math.sqrt(sum);
    }

    /** Saves {@code checkpoint.h5} (atomically). */
    public void save() {
        Checkpoint.save(runDir.resolve(CHECKPOINT), model, gan.generatorOptimizer(), gan.discriminatorOptimizer(), step, rng, savedSettings);
    }

    /**
     * Metrics of the current generator on the fixed validation set, and its sample sheet (first
     * {@code sheetRows} samples) under {@code samples/}. NaN metrics when there is no validation data.
     */
    public Validation validate() {
        int n = valFrames.length, s = data.size(), hw = s * s;
        if (n == 0) return new Validation(step, 0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        ValidationSums translated = new ValidationSums(s), diffusion = new ValidationSums(s);
        List<SampleSheet.Row> rows = new ArrayList<>();
        int chunk = Math.max(1, settings.batch());
        for (int from = 0; from < n; from += chunk) {
            int k = Math.min(chunk, n - from);
            float[] f = new float[k * hw], m = new float[k * hw];
            float[][] nb = valNeighbours == null ? null : new float[4][k * hw];
            for (int i = 0; i < k; i++) {
                System.arraycopy(valFrames[from + i], 0, f, i * hw, hw);
                System.arraycopy(valMasks[from + i], 0, m, i * hw, hw);
                if (nb != null) for (int j = 0; j < 4; j++) System.arraycopy(valNeighbours[from + i][j], 0, nb[j], i * hw, hw);
            }
            float[] coarse, refined, composite, filled = null;
            try (Scope scope = Scope.open(); var ng = Tape.noGrad()) {
                Neighbours neighbours = nb == null ? null : Neighbours.of(nb, k, s, this::onModelDevice);
                Generator.Output o = model.generator().forward(onModelDevice(Tensor.of(f, k, 1, s, s)), onModelDevice(Tensor.of(m, k, 1, s, s)), neighbours);
                coarse = o.coarse().toFloatArray();
                refined = o.refined().toFloatArray();
                composite = o.composite().toFloatArray();
                if (o.prefill() != null) filled = o.prefill().toFloatArray();
            }
            for (int i = 0; i < k; i++) {
                float[] truth = valFrames[from + i], mask = valMasks[from + i];
                translated.add(java.util.Arrays.copyOfRange(composite, i * hw, (i + 1) * hw), truth, mask);
                if (filled != null) diffusion.add(java.util.Arrays.copyOfRange(filled, i * hw, (i + 1) * hw), truth, mask);
                if (rows.size() < settings.sheetRows()) {
                    float[] input = truth.clone();
                    for (int p = 0; p < hw; p++) if (mask[p] > 0.5f) input[p] = -1f;
                    rows.add(new SampleSheet.Row(input, mask, java.util.Arrays.copyOfRange(coarse, i * hw, (i + 1) * hw),
                            java.util.Arrays.copyOfRange(refined, i * hw, (i + 1) * hw), truth));
                }
            }
        }
        Validation v = translated.result(step);
        prefillBaseline = diffusion.samples == 0 ? null : diffusion.result(step);
        try {
            Path dir = Files.createDirectories(runDir.resolve(SAMPLES));
            SampleSheet.write(dir.resolve(String.format(Locale.ROOT, "step_%07d.png", step)), rows, s, s, true);
        } catch (IOException e) {
            progress.message("warning: cannot write sample sheet: " + e.getMessage());
        }
        validations.add(v);
        return v;
    }

    /** For a prefill model, the last validation's figures of its diffusion fill alone (what the model corrects); else null. */
    public Validation prefillBaseline() {
        return prefillBaseline;
    }

    /** Sums of the validation metrics over samples of size x size frames. */
    private static final class ValidationSums {
        private final int size;
        private double ssim, ssimMask, psnr, l1;
        private int samples, masked;

        ValidationSums(int size) {
            this.size = size;
        }

        void add(float[] composite, float[] truth, float[] mask) {
            samples++;
            ssim += Ssim.mean(composite, truth, size, size);
            psnr += Math.min(100, Metrics.psnr(composite, truth, size, size));
            double sm = Ssim.meanInMask(composite, truth, mask, size, size), lm = Metrics.l1InMask(composite, truth, mask, size, size);
            if (!Double.isNaN(lm)) {
                ssimMask += sm;
                l1 += lm;
                masked++;
            }
        }

        Validation result(long step) {
            return new Validation(step, samples, ssim / samples, masked == 0 ? Double.NaN : ssimMask / masked, psnr / samples,
                    masked == 0 ? Double.NaN : l1 / masked);
        }
    }

    private void writeValidation(JsonLog valLog, Validation v) {
        var rec = JsonLog.record();
        rec.put("step", v.step());
        rec.put("samples", v.samples());
        rec.put("ssim", v.ssim());
        rec.put("ssim_mask", v.ssimInMask());
        rec.put("psnr", v.psnr());
        rec.put("l1_mask", v.l1InMask());
        Validation base = prefillBaseline;
        if (base != null) {
            rec.put("diffusion_ssim", base.ssim());
            rec.put("diffusion_ssim_mask", base.ssimInMask());
            rec.put("diffusion_psnr", base.psnr());
            rec.put("diffusion_l1_mask", base.l1InMask());
        }
        valLog.write(rec);
        progress.message(String.format(Locale.ROOT, "validation at step %d: SSIM %.4f (in mask %.4f)  PSNR %.2f dB  in-mask L1 %.4f",
                v.step(), v.ssim(), v.ssimInMask(), v.psnr(), v.l1InMask()));
        if (base != null) {
            progress.message(String.format(Locale.ROOT, "  the diffusion fill alone:  SSIM %.4f (in mask %.4f)  PSNR %.2f dB  in-mask L1 %.4f",
                    base.ssim(), base.ssimInMask(), base.psnr(), base.l1InMask()));
        }
    }

    /** An in-memory copy of everything a step changes: parameters, buffers, both Adams. */
    private record Snapshot(long step, float[] params, float[] buffers, float[] gm, float[] gv, float[] dm, float[] dv, int gSteps, int dSteps) {
        static Snapshot take(Trainer t) {
            var store = t.model.parameters();
            Adam g = t.gan.generatorOptimizer(), d = t.gan.discriminatorOptimizer();
            return new Snapshot(t.step, Checkpoint.download(store.slab()), Checkpoint.download(store.bufferSlab()),
                    Checkpoint.download(g.firstMoment()), Checkpoint.download(g.secondMoment()),
                    Checkpoint.download(d.firstMoment()), Checkpoint.download(d.secondMoment()), g.stepCount(), d.stepCount());
        }

        void restore(Trainer t) {
            var store = t.model.parameters();
            Adam g = t.gan.generatorOptimizer(), d = t.gan.discriminatorOptimizer();
            Checkpoint.upload(params, store.slab());
            Checkpoint.upload(buffers, store.bufferSlab());
            Checkpoint.upload(gm, g.firstMoment());
            Checkpoint.upload(gv, g.secondMoment());
            Checkpoint.upload(dm, d.firstMoment());
            Checkpoint.upload(dv, d.secondMoment());
            g.setStepCount(gSteps);
            d.setStepCount(dSteps);
            store.zeroGrad();
        }
    }

    @Override
    public void close() {
        try {
            if (hook != null) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException ignored) {
                    // already shutting down: the hook waits for this close
                }
            }
            gan.close();
            model.close();
        } finally {
            finished.countDown();
        }
    }
}
