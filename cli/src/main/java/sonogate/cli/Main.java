package sonogate.cli;

import java.io.PrintStream;
import java.util.Arrays;
import sonogate.bench.JmhMain;
import sonogate.bench.KernelBench;

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
              info --config NAME [--params]
                                  a model configuration (tiny, small, base; -noattn): parameters, FLOPs
              translate --model CKPT IN OUT [--batch N] [--threshold T] [--format png|h5] [--force]
                                  a CFD clip (DICOM, MHA, PNG/JPEG folder) to B-mode PNG frames or HDF5
              masks IN OUT [--threshold T] [--previews N|all] [--json FILE] [--force]
                                  colour-flow mask previews and coverage of a clip or a folder of clips
              train --config NAME --data DIR_OR_H5 [--steps N] [--out RUN_DIR] [--resume] ...
                                  train the translator (sonogate train --help)
              bench kernels [--json FILE] [--threads N] [--quick] [--filter TEXT]
                                  our CPU kernels vs OpenBLAS / our SGEMM at the model's shapes
              bench model [--json FILE] [--quick] [--configs tiny,small,base]
                                  the translator (inference, training step, memory) vs PyTorch CPU
              bench jmh [JMH args]  the JMH benchmarks (-l lists them, -h shows JMH's options)
            sonogate --help, sonogate <command> --help""";

    static final String BENCH_USAGE = """
            usage: sonogate bench <kernels|model|jmh> [options]
              kernels   our CPU kernels vs OpenBLAS / our SGEMM (sonogate bench kernels --help)
              model     the translator vs PyTorch CPU, same weights (sonogate bench model --help)
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
        if (args.length == 0) return usageError(err, "bench: missing subcommand (kernels or jmh)", BENCH_USAGE);
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
                return sonogate.bench.ModelBench.run(rest, out, err);
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

    private static int usageError(PrintStream err, String message, String usage) {
        err.println("sonogate: " + message);
        err.println(usage);
        return 2;
    }
}
