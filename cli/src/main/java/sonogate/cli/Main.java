package sonogate.cli;

import java.io.PrintStream;
import java.util.Arrays;
import sonogate.bench.JmhMain;
import sonogate.bench.KernelBench;
import sonogate.gpu.DeviceSelection;
import sonogate.tensor.Device;

/**
 * Entry point of the sonogate command line: a minimal dispatcher (the commands' logic lives in
 * their modules). {@link #run} returns the exit code so tests need no System.exit:
 * 0 success, 1 failure, 2 usage error.
 */
public final class Main {
    private Main() {}

    static final String USAGE = """
            usage: sonogate <command> [options]
            commands:
              demo [--out DIR] [--model CKPT]
                                  translate the two bundled real clips; writes out/demo/index.html with pictures
              info --config NAME [--params]
                                  a model configuration (tiny, small, base; -noattn): parameters, FLOPs
              translate --model CKPT IN OUT [--batch N] [--threshold T] [--format png|h5|avi|gif]
                        [--compare FILE] [--force] [--device D]
                                  a CFD clip (DICOM, MHA, PNG/JPEG folder) to B-mode PNG frames, HDF5,
                                  MJPEG AVI or GIF; optionally an input | mask | output comparison clip
              masks IN OUT [--threshold T] [--previews N|all] [--json FILE] [--force]
                                  colour-flow mask previews and coverage of a clip or a folder of clips
              eval [IN...] [--model CKPT] [--max-frames N] [--seed S] [--json FILE] ...
                                  quality on real B-mode clips with painted colour flow vs Telea, diffusion
                                  and the untrained model (default: the hold-out clips; sonogate eval --help)
              train --config NAME --data DIR_OR_H5 [--steps N] [--out RUN_DIR] [--resume] [--device D] ...
                                  train the translator (sonogate train --help)
              bench kernels [--json FILE] [--threads N] [--quick] [--filter TEXT]
                                  our CPU kernels vs OpenBLAS / our SGEMM at the model's shapes
              bench model [--json FILE] [--quick] [--configs tiny,small,base] [--device D]
                                  the translator (inference, training step, memory) vs PyTorch CPU
              bench gpu [--json FILE] [--quick] [--configs small,base] [--precisions fp32,tf32]
                                  the translator on the GPU vs PyTorch on the same GPU
              bench io [--json FILE] [--quick] [--data DIR]
                                  clip decoding frames/s per format vs ffmpeg (DCMTK for compressed DICOM)
              bench jmh [JMH args]  the JMH benchmarks (-l lists them, -h shows JMH's options)
            --device D: cpu (default), cuda (fail with one line if no GPU) or auto (the GPU if it starts, else
                        the CPU, saying why); the GPU path has not yet run on a GPU (README, GPU section)
            sonogate --help, sonogate <command> --help""";

    static final String BENCH_USAGE = """
            usage: sonogate bench <kernels|model|gpu|io|jmh> [options]
              kernels   our CPU kernels vs OpenBLAS / our SGEMM (sonogate bench kernels --help)
              model     the translator vs PyTorch CPU, same weights (sonogate bench model --help);
                        --device cuda runs bench gpu, --device auto that or, without a GPU, the CPU benchmark
              gpu       the translator on the GPU vs PyTorch on the same GPU (sonogate bench gpu --help)
              io        clip decoding per format vs ffmpeg on the same files (sonogate bench io --help)
              jmh       the JMH benchmarks with JMH's options (sonogate bench jmh -h)""";

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) return usageError(err, "no command", USAGE);
        String cmd = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return switch (cmd) {
            case "-h", "--help", "help" -> {
                out.println(USAGE);
                yield 0;
            }
            case "bench" -> bench(rest, out, err);
            case "info" -> info(rest, out, err);
            case "translate" -> TranslateCommand.run(rest, out, err);
            case "masks" -> MasksCommand.run(rest, out, err);
            case "train" -> TrainCommand.run(rest, out, err);
            case "eval" -> EvalCommand.run(rest, out, err);
            case "demo" -> DemoCommand.run(rest, out, err);
            default -> usageError(err, "unknown command '" + cmd + "'", USAGE);
        };
    }

    static final String INFO_USAGE = """
            usage: sonogate info --config NAME [--params]
              NAME      tiny, small or base, optionally with -noattn (attention branch off)
              --params  also list every parameter and buffer with its shape
            example: sonogate info --config small""";

    private static int info(String[] args, PrintStream out, PrintStream err) {
        String config = null;
        boolean params = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "-h", "--help" -> {
                    out.println(INFO_USAGE);
                    return 0;
                }
                case "--config" -> {
                    if (i + 1 >= args.length) return usageError(err, "info: --config needs a value", INFO_USAGE);
                    config = args[++i];
                }
                case "--params" -> params = true;
                default -> {
                    return usageError(err, "info: unknown option '" + args[i] + "'", INFO_USAGE);
                }
            }
        }
        if (config == null) return usageError(err, "info: --config is required", INFO_USAGE);
        try {
            out.print(sonogate.nn.ModelSummary.describe(sonogate.nn.ModelConfig.named(config), params));
            return 0;
        } catch (IllegalArgumentException e) {
            return usageError(err, "info: " + e.getMessage(), INFO_USAGE);
        }
    }

    private static int bench(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) return usageError(err, "bench: missing subcommand (kernels, model, gpu, io or jmh)", BENCH_USAGE);
        String sub = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (sub) {
            case "-h", "--help" -> {
                out.println(BENCH_USAGE);
                return 0;
            }
            case "kernels" -> {
                return KernelBench.run(rest, out, err);
            }
            case "model" -> {
                return benchModel(rest, out, err);
            }
            case "gpu" -> {
                return sonogate.bench.GpuBench.run(rest, out, err);
            }
            case "io" -> {
                return sonogate.bench.IoBench.run(rest, out, err);
            }
            case "jmh" -> {
                if (rest.length == 1 && rest[0].equals("--help")) {
                    out.println(JmhMain.USAGE);
                    return 0;
                }
                try {
                    return JmhMain.run(rest);
                } catch (Exception e) {
                    err.println("sonogate bench jmh: " + e.getMessage());
                    return 1;
                }
            }
            default -> {
                return usageError(err, "bench: unknown subcommand '" + sub + "'", BENCH_USAGE);
            }
        }
    }

    /** {@code bench model [--device D]}: the CPU benchmark, or on a GPU {@code bench gpu} (its options). */
    private static int benchModel(String[] args, PrintStream out, PrintStream err) {
        java.util.List<String> rest = new java.util.ArrayList<>();
        DeviceSelection selection = DeviceSelection.CPU;
        for (int i = 0; i < args.length; i++) {
            if (!args[i].equals("--device")) {
                rest.add(args[i]);
                continue;
            }
            if (i + 1 >= args.length) return usageError(err, "bench model: --device needs a value", BENCH_USAGE);
            try {
                selection = DeviceSelection.parse(args[++i]);
            } catch (IllegalArgumentException e) {
                return usageError(err, "bench model: " + e.getMessage(), BENCH_USAGE);
            }
        }
        Device device = DeviceOption.resolve(selection, err);
        if (device == null) return 1;
        String[] r = rest.toArray(String[]::new);
        return device == Device.CUDA ? sonogate.bench.GpuBench.run(r, out, err) : sonogate.bench.ModelBench.run(r, out, err);
    }

    private static int usageError(PrintStream err, String message, String usage) {
        err.println("sonogate: " + message);
        err.println(usage);
        return 2;
    }
}
