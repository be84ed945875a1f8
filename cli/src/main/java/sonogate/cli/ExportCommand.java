package sonogate.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import sonogate.nn.Translator;
import sonogate.tensor.Device;
import sonogate.train.Checkpoint;
import sonogate.train.CheckpointException;
import sonogate.train.CheckpointInfo;

/**
 * {@code sonogate export}: a training checkpoint to the weights file inference needs (the generator
 * alone, no discriminator or optimiser state: a fifth of the size). This is how the bundled default
 * model is made from a training run.
 */
final class ExportCommand {
    private ExportCommand() {}

    static final String USAGE = """
            usage: sonogate export --model CKPT OUT [--force]
              --model CKPT   a training checkpoint (or a weights file) written by sonogate train
              OUT            the HDF5 weights file to write: the generator's parameters, the configuration, the
                             training settings and step; written atomically
              --force        replace an existing OUT (never CKPT)
            translate, eval and demo load OUT with --model; it cannot resume training.
            examples:
              sonogate export --model runs/small/checkpoint.h5 small-weights.h5""";

    static int run(String[] args, PrintStream out, PrintStream err) {
        Path model = null, target = null;
        boolean force = false;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "-h", "--help" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    case "--model" -> model = Path.of(UsageError.value(args, ++i, "--model"));
                    case "--force" -> force = true;
                    default -> {
                        if (args[i].startsWith("-")) throw new UsageError("unknown option '" + args[i] + "'");
                        if (target != null) throw new UsageError("unexpected argument '" + args[i] + "'");
                        target = Path.of(args[i]);
                    }
                }
            }
            if (model == null) throw new UsageError("--model is required");
            if (target == null) throw new UsageError("OUT is required");
        } catch (UsageError e) {
            return UsageError.report(err, "export", e.getMessage());
        }
        if (OutputPaths.overlaps(model, target)) {
            err.println("sonogate export: " + target + ": is the checkpoint itself, or holds it; choose another file");
            return 1;
        }
        if (Files.exists(target) && !force) {
            err.println("sonogate export: " + target + ": already exists (use --force to replace it)");
            return 1;
        }
        try {
            CheckpointInfo info = Checkpoint.readConfig(model);
            try (Translator generator = Translator.forInference(info.config(), Device.CPU, 0)) {
                Checkpoint.loadWeights(model, generator);
                Map<String, Object> settings = new TreeMap<>(info.settings());
                settings.put("exported_from", model.getFileName().toString());
                Checkpoint.saveWeights(target, generator, info.step(), settings);
            }
            out.println("wrote " + target + ": " + Checkpoint.readConfig(target).summary());
            return 0;
        } catch (CheckpointException e) {
            err.println("sonogate export: " + e.getMessage());
            return 1;
        }
    }
}
