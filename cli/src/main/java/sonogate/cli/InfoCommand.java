package sonogate.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sonogate.nn.ModelConfig;
import sonogate.nn.ModelSummary;
import sonogate.nn.ParameterStore;
import sonogate.nn.Translator;
import sonogate.tensor.Device;

/** {@code sonogate info}: a model configuration's layout, parameter counts and FLOPs. */
final class InfoCommand {
    private InfoCommand() {}

    static final String USAGE = """
            usage: sonogate info --config NAME [--params] [--json FILE [--force]]
              --config NAME  tiny, small or base, optionally with -noattn (attention branch off) and/or
                             -prefill (the hole enters filled by diffusion, the model learns a correction)
              --params       also list every parameter and buffer with its shape
              --json FILE    also write the figures as JSON (config, frame size, parameter counts, GFLOP/frame;
                             with --params every parameter's shape)
              --force        replace an existing --json FILE
            examples:
              sonogate info --config small
              sonogate info --config base-noattn --params --json base-noattn.json""";

    static int run(String[] args, PrintStream out, PrintStream err) {
        String config = null;
        Path json = null;
        boolean params = false, force = false;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "-h", "--help" -> {
                        out.println(USAGE);
                        return 0;
                    }
                    case "--config" -> config = UsageError.value(args, ++i, "--config");
                    case "--json" -> json = Path.of(UsageError.value(args, ++i, "--json"));
                    case "--params" -> params = true;
                    case "--force" -> force = true;
                    default -> throw new UsageError(args[i].startsWith("-") ? "unknown option '" + args[i] + "'" : "unexpected argument '" + args[i] + "'");
                }
            }
            if (config == null) throw new UsageError("--config is required");
        } catch (UsageError e) {
            return UsageError.report(err, "info", e.getMessage());
        }
        ModelConfig cfg;
        try {
            cfg = ModelConfig.named(config);
        } catch (IllegalArgumentException e) {
            return UsageError.report(err, "info", e.getMessage());
        }
        JsonReport report;
        try {
            report = JsonReport.open(json, force, List.of(), List.of());
        } catch (IOException e) {
            err.println("sonogate info: " + e.getMessage());
            return 1;
        }
        out.print(ModelSummary.describe(cfg, params));
        if (report == null) return 0;
        try {
            report.write(figures(cfg, params));
            return 0;
        } catch (IOException e) {
            err.println("sonogate info: " + e.getMessage());
            return 1;
        }
    }

    /** What the text shows, as JSON fields (counted on a freshly built model, as the text is). */
    static Map<String, Object> figures(ModelConfig cfg, boolean params) {
        Map<String, Object> m = new LinkedHashMap<>();
        try (Translator t = new Translator(cfg, Device.CPU, 0)) {
            ParameterStore p = t.parameters();
            int size = cfg.frameSize();
            long coarse = p.count("coarse."), refine = p.count("refine."), disc = p.count("disc.");
            m.put("command", "info");
            m.put("config", cfg.name());
            m.put("width", cfg.width());
            m.put("frame_size", size);
            m.put("attention", cfg.attention());
            m.put("temporal", cfg.temporal());
            m.put("prefill", cfg.prefill());
            m.put("generator_parameters", coarse + refine);
            m.put("coarse_parameters", coarse);
            m.put("refinement_parameters", refine);
            m.put("discriminator_parameters", disc);
            m.put("generator_gflop_per_frame", t.generator().flops(size, size) / 1e9);
            m.put("discriminator_gflop_per_frame", t.discriminator().flops(size, size) / 1e9);
            if (params) {
                Map<String, Object> shapes = new LinkedHashMap<>();
                for (ParameterStore.Entry e : p.parameters().values()) shapes.put(e.name(), shape(e.shape()));
                m.put("parameters", shapes);
                Map<String, Object> buffers = new LinkedHashMap<>();
                for (ParameterStore.Entry e : p.buffers().values()) buffers.put(e.name(), shape(e.shape()));
                m.put("buffers", buffers);
            }
        }
        return m;
    }

    private static List<Integer> shape(int[] dims) {
        return java.util.Arrays.stream(dims).boxed().toList();
    }
}
