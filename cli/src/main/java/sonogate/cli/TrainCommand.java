package sonogate.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import sonogate.gpu.DeviceSelection;
import sonogate.nn.ModelConfig;
import sonogate.tensor.Device;
import sonogate.train.Checkpoint;
import sonogate.train.CheckpointException;
import sonogate.train.CheckpointInfo;
import sonogate.train.DataExclusions;
import sonogate.train.FrameDataset;
import sonogate.train.GanStep;
import sonogate.train.Progress;
import sonogate.train.Trainer;
import sonogate.train.perceptual.FeatureWeightsException;
import sonogate.train.perceptual.PerceptualSetting;

/** {@code sonogate train}: trains the translator on a folder or HDF5 file of frames. */
final class TrainCommand {
    private TrainCommand() {}

    /** The train/validation split does not follow --seed: runs with other seeds validate on the same clips. */
    static final long SPLIT_SEED = 0;

    static final String USAGE = """
            usage: sonogate train --config NAME --data DIR_OR_H5 [options]
              --config NAME     tiny, small or base (optionally -noattn and/or -temporal; -prefill: the hole enters
                                filled by diffusion and the model learns a correction, README "The prefill option")
              --data PATH       a folder (scanned recursively: every clip format sonogate reads - DICOM, MetaImage,
                                MP4/MOV, MPEG, AVI, GIF, HDF5 - and PNG/JPEG/BMP images; up to 256 frames a clip,
                                evenly strided; frames showing colour flow left out) or an HDF5 file with a
                                frames x H x W dataset; repeatable
              --exclude GLOB    leave out files whose path relative to the --data folder, or whose name, matches
                                GLOB (e.g. 'cfd/**', '*.gif'); repeatable. The clips of the bundled evaluation
                                hold-out list and *_Annotation.png label images are always left out
              --no-holdout      train on the hold-out list's clips too
              --lr R            Adam's learning rate for G and D (default 1e-4)
              --adv-weight W    weight of the adversarial term in the generator loss (default 0.1)
              --steps N         train until step N in all (default 1000)
              --batch B         frames per batch (default 4)
              --out RUN_DIR     run folder: checkpoint.h5, train.jsonl, val.jsonl, samples/ (default runs/train)
              --resume          continue from RUN_DIR/checkpoint.h5 (config, batch and seed come from it)
              --force           start afresh in a non-empty RUN_DIR (its logs, samples and checkpoint are replaced)
              --seed S          run seed: weights, batches, masks, augmentation (default 1)
              --val-every M     validation metrics and a sample sheet every M steps (default 100; 0 = off)
              --ckpt-every K    checkpoint every K steps (default 500; also at the end and on Ctrl-C/SIGTERM)
              --no-augment      no rotation, flips, gain/gamma or noise
              --device D        cpu (default), cuda (fail if no GPU) or auto (GPU if it starts, else CPU)
              --perceptual P    perceptual loss on the composite: features (default: sonogate's fixed random
                                feature network, no file needed), vgg16:PATH (VGG16 up to conv4_3 from a
                                Keras-format .h5, e.g. vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5) or none
              --perceptual-weight W   weight of that term in the generator loss (default 10)
              --json FILE       at the end, a JSON summary: step, checkpoint, seconds, last losses and validation
                                (replaced with --force or --resume)
            examples:
              sonogate train --config tiny --data shared/data/ultrasound --steps 300 --out runs/tiny
              sonogate train --config tiny --data shared/data/ultrasound --steps 600 --out runs/tiny --resume""";

    static int run(String[] args, PrintStream out, PrintStream err) {
        String config = null, outDir = "runs/train";
        List<Path> data = new java.util.ArrayList<>();
        long steps = 1000, seed = 1;
        int batch = 4, valEvery = 100, ckptEvery = 500;
        boolean resume = false, force = false, augment = true, batchGiven = false, seedGiven = false, configGiven = false;
        DeviceSelection deviceSelection = DeviceSelection.CPU;
        String perceptualSpec = null;
        Double perceptualWeight = null, lr = null, advWeight = null;
        List<String> excludes = new java.util.ArrayList<>();
        boolean holdout = true, holdoutGiven = false;
        Path json = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "-h", "--help" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    case "--config" -> { config = UsageError.value(args, ++i, a); configGiven = true; }
                    case "--data" -> data.add(Path.of(UsageError.value(args, ++i, a)));
                    case "--steps" -> steps = UsageError.longValue(args, ++i, a, 1);
                    case "--batch" -> { batch = UsageError.intValue(args, ++i, a, 1, 4096); batchGiven = true; }
                    case "--out" -> outDir = UsageError.value(args, ++i, a);
                    case "--seed" -> { seed = UsageError.longValue(args, ++i, a); seedGiven = true; }
                    case "--val-every" -> valEvery = UsageError.intValue(args, ++i, a, 0, Integer.MAX_VALUE);
                    case "--ckpt-every" -> ckptEvery = UsageError.intValue(args, ++i, a, 0, Integer.MAX_VALUE);
                    case "--resume" -> resume = true;
                    case "--force" -> force = true;
                    case "--no-augment" -> augment = false;
                    case "--device" -> {
                        try {
                            deviceSelection = DeviceSelection.parse(UsageError.value(args, ++i, a));
                        } catch (IllegalArgumentException e) {
                            throw new UsageError(e.getMessage());
                        }
                    }
                    case "--perceptual" -> perceptualSpec = UsageError.value(args, ++i, a);
                    case "--perceptual-weight" -> perceptualWeight = UsageError.nonNegativeReal(args, ++i, a);
                    case "--json" -> json = Path.of(UsageError.value(args, ++i, a));
                    case "--lr" -> {
                        lr = UsageError.nonNegativeReal(args, ++i, a);
                        if (!(lr > 0 && lr < 1)) throw new UsageError("--lr must be in (0, 1), got " + args[i]);
                    }
                    case "--adv-weight" -> advWeight = UsageError.nonNegativeReal(args, ++i, a);
                    case "--exclude" -> {
                        String glob = UsageError.value(args, ++i, a);
                        try {
                            DataExclusions.checkGlob(glob);
                        } catch (IllegalArgumentException e) {
                            throw new UsageError(e.getMessage());
                        }
                        excludes.add(glob);
                    }
                    case "--no-holdout" -> { holdout = false; holdoutGiven = true; }
                    default -> throw new UsageError("unknown option '" + a + "'");
                }
            }
            if (resume && force) throw new UsageError("--resume and --force exclude each other");
            if (data.isEmpty()) throw new UsageError("--data is required");
            if (!resume && config == null) throw new UsageError("--config is required");
            if (perceptualSpec != null) {
                try {
                    PerceptualSetting.parse(perceptualSpec, 0);
                } catch (IllegalArgumentException e) {
                    throw new UsageError(e.getMessage());
                }
            }
        } catch (UsageError u) {
            return usage(err, u.getMessage());
        }
        JsonReport report;
        try {
            report = JsonReport.open(json, force || resume, data, List.of());
        } catch (IOException e) {
            return fail(err, e.getMessage());
        }
        Device device = DeviceOption.resolve(deviceSelection, err);
        if (device == null) return 1;
        Path run = Path.of(outDir);
        ModelConfig cfg;
        try {
            if (resume) {
                Path ckpt = run.resolve(Trainer.CHECKPOINT);
                if (!Files.exists(ckpt)) return fail(err, "nothing to resume: " + ckpt + " does not exist");
                CheckpointInfo info = Checkpoint.readConfig(ckpt);
                Map<String, Object> saved = info.settings();
                cfg = info.config();
                if (configGiven && !ModelConfig.named(config).equals(cfg)) {
                    return fail(err, "--config " + config + " differs from the checkpoint's " + Checkpoint.describe(cfg));
                }
                if (saved.get("batch") instanceof Integer b) {
                    if (batchGiven && b != batch) return fail(err, "--batch " + batch + " differs from the checkpoint's batch " + b);
                    batch = b;
                }
                if (saved.get("seed") instanceof Long s) {
                    if (seedGiven && s != seed) return fail(err, "--seed " + seed + " differs from the checkpoint's seed " + s);
                    seed = s;
                }
                if (saved.get("augment") instanceof Boolean b) augment = b;
                // the loss a run was trained with; checkpoints from before the perceptual term had none
                String savedPerceptual = saved.get("perceptual") instanceof String p ? p : PerceptualSetting.NONE.spec();
                double savedWeight = saved.get("w_perceptual") instanceof Double w ? w : 0;
                PerceptualSetting fromCheckpoint = PerceptualSetting.parse(savedPerceptual, savedWeight);
                if (perceptualSpec != null && !PerceptualSetting.parse(perceptualSpec, savedWeight).spec().equals(fromCheckpoint.spec())) {
                    return fail(err, "--perceptual " + perceptualSpec + " differs from the checkpoint's " + savedPerceptual);
                }
                if (perceptualWeight != null && perceptualWeight != savedWeight) {
                    return fail(err, "--perceptual-weight " + perceptualWeight + " differs from the checkpoint's " + savedWeight);
                }
                perceptualSpec = savedPerceptual;
                perceptualWeight = savedWeight;
                // learning rate, adversarial weight and file selection come from the checkpoint (defaults when it predates them)
                double savedLr = saved.get("lr") instanceof Double d ? d : Trainer.Settings.DEFAULT_LR;
                double savedAdv = saved.get("w_adversarial") instanceof Double d ? d : GanStep.LossWeights.DEFAULT.adversarial();
                if (lr != null && lr != savedLr) return fail(err, "--lr " + lr + " differs from the checkpoint's " + savedLr);
                if (advWeight != null && advWeight != savedAdv) return fail(err, "--adv-weight " + advWeight + " differs from the checkpoint's " + savedAdv);
                lr = savedLr;
                advWeight = savedAdv;
                List<String> savedExcludes = saved.get(FrameDataset.SETTING_EXCLUDE) instanceof String e && !e.isEmpty() ? List.of(e.split("\n")) : List.of();
                boolean savedHoldout = !(saved.get(FrameDataset.SETTING_HOLDOUT) instanceof Boolean b) || b;
                if (!excludes.isEmpty() && !excludes.equals(savedExcludes)) {
                    return fail(err, "--exclude " + String.join(" ", excludes) + " differs from the checkpoint's " + (savedExcludes.isEmpty() ? "(none)" : String.join(" ", savedExcludes)));
                }
                if (holdoutGiven && holdout != savedHoldout) return fail(err, "--no-holdout differs from the checkpoint, which left the hold-out clips out");
                excludes = savedExcludes;
                holdout = savedHoldout;
                if (info.step() >= steps) {
                    out.println("checkpoint is at step " + info.step() + ", already at or past --steps " + steps + "; nothing to do");
                    return 0;
                }
            } else {
                try {
                    cfg = ModelConfig.named(config);
                } catch (IllegalArgumentException e) {
                    return usage(err, e.getMessage());
                }
                if (nonEmpty(run)) {
                    if (!force) return fail(err, "run folder " + run + " is not empty; use --resume to continue it or --force to start afresh");
                    clear(run);
                }
            }
            PerceptualSetting perceptual = perceptualSpec == null && perceptualWeight == null ? PerceptualSetting.DEFAULT
                    : PerceptualSetting.parse(perceptualSpec == null ? PerceptualSetting.DEFAULT.spec() : perceptualSpec,
                            perceptualWeight == null ? PerceptualSetting.DEFAULT_WEIGHT : perceptualWeight);
            String unsupported = unsupportedOn(device, perceptual);
            if (unsupported != null) return usage(err, unsupported);
            DataExclusions exclusions = holdout ? DataExclusions.defaults(excludes) : DataExclusions.withoutHoldout(excludes);
            FrameDataset dataset = FrameDataset.load(data, cfg.frameSize(), SPLIT_SEED, FrameDataset.Options.defaults().withExclusions(exclusions));
            dataset.printNotes(out);
            out.printf(Locale.ROOT, "data: %d training clips (%d frames), %d validation clips (%d frames) at %dx%d%n", dataset.train().size(),
                    dataset.trainFrameCount(), dataset.validation().size(), dataset.validationFrameCount(), cfg.frameSize(), cfg.frameSize());
            GanStep.LossWeights weights = GanStep.LossWeights.DEFAULT;
            if (advWeight != null) weights = new GanStep.LossWeights(weights.pixelCoarse(), weights.pixelRefined(), advWeight);
            Trainer.Settings settings = Trainer.Settings.defaults(cfg, batch, seed).withValEvery(valEvery).withCkptEvery(ckptEvery).withAugment(augment)
                    .withPerceptual(perceptual).withLearningRate(lr == null ? Trainer.Settings.DEFAULT_LR : lr).withLossWeights(weights);
            try (Trainer trainer = new Trainer(settings, dataset, run, resume, out, Progress.isTerminal(), device)) {
                out.println((resume ? "resuming at step " + trainer.step() : "training") + " " + Checkpoint.describe(cfg) + ", batch " + batch
                        + ", seed " + seed + ", lr " + settings.lr() + ", adversarial weight " + weights.adversarial() + ", perceptual " + perceptual.spec() + (perceptual.enabled() ? " (weight " + perceptual.weight() + ")" : "")
                        + (device == Device.CPU ? "" : ", on " + device) + " -> " + run);
                trainer.installShutdownHook();
                long t0 = System.nanoTime();
                trainer.train(steps);
                out.printf(Locale.ROOT, "done: step %d, checkpoint %s%n", trainer.step(), run.resolve(Trainer.CHECKPOINT));
                if (report != null) report.write(TrainSummary.of(trainer, cfg, run, device, (System.nanoTime() - t0) / 1e9));
            }
            return 0;
        } catch (CheckpointException | FeatureWeightsException e) {
            return fail(err, e.getMessage());
        } catch (IOException | UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            return fail(err, e.getMessage());
        }
    }

    /**
     * Why {@code perceptual} cannot train on {@code device}, or null: the feature networks max-pool,
     * which has no CUDA kernel yet, and failing before the data loads beats a stack trace at step 1.
     */
    static String unsupportedOn(Device device, PerceptualSetting perceptual) {
        if (device == Device.CPU || !perceptual.enabled()) return null;
        return "--perceptual " + perceptual.spec() + " needs 2x2 max pooling, which has no CUDA kernel yet; add --perceptual none to train on the GPU";
    }

    private static boolean nonEmpty(Path dir) throws IOException {
        if (!Files.exists(dir)) return false;
        if (!Files.isDirectory(dir)) throw new IOException(dir + " exists and is not a folder");
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isPresent();
        }
    }

    /** Removes what a previous run wrote (only the trainer's own files, nothing else). */
    private static void clear(Path run) throws IOException {
        for (String name : List.of(Trainer.CHECKPOINT, Trainer.TRAIN_LOG, Trainer.VAL_LOG)) Files.deleteIfExists(run.resolve(name));
        Path samples = run.resolve(Trainer.SAMPLES);
        if (Files.isDirectory(samples)) {
            try (Stream<Path> s = Files.list(samples)) {
                for (Path p : s.toList()) if (p.getFileName().toString().endsWith(".png")) Files.delete(p);
            }
        }
    }

    private static int usage(PrintStream err, String message) {
        return UsageError.report(err, "train", message);
    }

    private static int fail(PrintStream err, String message) {
        err.println("sonogate train: " + message);
        return 1;
    }
}
