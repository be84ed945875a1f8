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
              info --config NAME [--params] [--json FILE]
                                  a model configuration (tiny, small, base; -noattn): parameters, FLOPs
              translate [--model CKPT] IN OUT [--format png|h5|avi|gif] [--compare FILE] [--batch N]
                        [--threshold T] [--json FILE] [--force] [--device D]
                                  CFD clips (DICOM, MetaImage, PNG/JPEG, MP4/MOV, MPEG-1/2, AVI, GIF, HDF5;
                                  one clip or a folder of clips) to B-mode PNG frames, HDF5, MJPEG AVI or GIF;
                                  optionally an input | mask | output comparison clip
              masks IN OUT [--threshold T] [--previews N|all] [--json FILE] [--force]
                                  colour-flow mask previews and coverage of a clip or a folder of clips
              eval [IN...] [--model CKPT] [--max-frames N] [--seed S] [--json FILE] ...
                                  quality on real B-mode clips with painted colour flow vs Telea, diffusion
                                  and the untrained model (default: the hold-out clips; sonogate eval --help)
              train --config NAME --data DIR_OR_H5 [--steps N] [--out RUN_DIR] [--resume] [--json FILE] ...
                                  train the translator (sonogate train --help)
              export --model CKPT OUT [--force]
                                  a training checkpoint to the generator-only weights file inference loads
              bench kernels [--json FILE] [--threads N] [--quick] [--filter TEXT]
                                  our CPU kernels vs OpenBLAS / our SGEMM at the model's shapes
              bench model [--json FILE] [--quick] [--configs LIST] [--device D]
                                  the translator (inference, training step, memory) vs PyTorch CPU
              bench gpu [--json FILE] [--quick] [--configs small,base] [--precisions fp32,tf32]
                                  the translator on the GPU vs PyTorch on the same GPU
              bench io [--json FILE] [--quick] [--data DIR]
                                  clip decoding frames/s per format vs ffmpeg (DCMTK for compressed DICOM)
              bench jmh [JMH args]  the JMH benchmarks (-l lists them, -h shows JMH's options)
            --device D: cpu (default), cuda (fail with one line if no GPU) or auto (the GPU if it starts, else
                        the CPU, saying why); on the GPU, train needs --perceptual none (README, GPU section)
            --json FILE: a machine-readable summary of the run, written atomically when the command ends
                        (replaced only with --force, except bench's, which are rewritten every run)
            exit codes: 0 success, 1 failure (a bad file, a missing model...), 2 bad usage
            examples:
              sonogate info --config small
              sonogate translate --model weights.h5 echo.dcm echo-bmode.avi
              sonogate translate --model weights.h5 --json run.json scans/ scans-bmode/
              sonogate masks echo.dcm echo-masks
            sonogate --help, sonogate <command> --help""";

    static final String BENCH_USAGE = """
            usage: sonogate bench <kernels|model|gpu|io|jmh> [options]
              kernels   our CPU kernels vs OpenBLAS / our SGEMM (sonogate bench kernels --help)
              model     the translator vs PyTorch CPU, same weights (sonogate bench model --help);
                        --device cuda runs bench gpu, --device auto that or, without a GPU, the CPU benchmark
              gpu       the translator on the GPU vs PyTorch on the same GPU (sonogate bench gpu --help)
              io        clip decoding per format vs ffmpeg on the same files (sonogate bench io --help)
              jmh       the JMH benchmarks with JMH's options (sonogate bench jmh -h)
            examples:
              sonogate bench kernels --quick
              sonogate bench io --json io.json""";

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) return UsageError.report(err, "", "no command");
        String cmd = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return switch (cmd) {
            case "-h", "--help", "help" -> {
                out.println(USAGE);
                yield 0;
            }
            case "bench" -> bench(rest, out, err);
            case "info" -> InfoCommand.run(rest, out, err);
            case "translate" -> TranslateCommand.run(rest, out, err);
            case "masks" -> MasksCommand.run(rest, out, err);
            case "train" -> TrainCommand.run(rest, out, err);
            case "eval" -> EvalCommand.run(rest, out, err);
            case "demo" -> DemoCommand.run(rest, out, err);
            case "export" -> ExportCommand.run(rest, out, err);
            default -> UsageError.report(err, "", "unknown command '" + cmd + "'");
        };
    }

    private static int bench(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) return UsageError.report(err, "bench", "missing subcommand (kernels, model, gpu, io or jmh)");
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
                return UsageError.report(err, "bench", "unknown subcommand '" + sub + "'");
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
            if (i + 1 >= args.length) return UsageError.report(err, "bench model", "--device needs a value");
            try {
                selection = DeviceSelection.parse(args[++i]);
            } catch (IllegalArgumentException e) {
                return UsageError.report(err, "bench model", e.getMessage());
            }
        }
        Device device = DeviceOption.resolve(selection, err);
        if (device == null) return 1;
        String[] r = rest.toArray(String[]::new);
        return device == Device.CUDA ? sonogate.bench.GpuBench.run(r, out, err) : sonogate.bench.ModelBench.run(r, out, err);
    }
}
