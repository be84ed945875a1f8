package sonogate.bench;

import java.util.Locale;
import sonogate.nn.ModelConfig;
import sonogate.nn.Translator;
import sonogate.tensor.Device;
import sonogate.tensor.OpProfile;
import sonogate.tensor.Scope;
import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;
import sonogate.train.GanStep;

/**
 * Where one {@code bench model} case spends its time, by backend call: a diagnostic, not a benchmark.
 * Run with {@code -Dsonogate.profile=true} (wall time) or {@code =cpu} (the calling thread's CPU time):
 * <pre>  java -Dsonogate.profile=true -cp cli/target/sonogate.jar sonogate.bench.ModelProfile small infer 1 [REPS] [ROWS]</pre>
 * The case runs untimed until the JIT has compiled it, then REPS timed repetitions; the table lists
 * each kind of call per repetition, largest first.
 */
public final class ModelProfile {
    private ModelProfile() {}

    public static void main(String[] args) {
        if (args.length < 3 || !OpProfile.ENABLED) {
            System.err.println("usage: java -Dsonogate.profile=true|cpu ... sonogate.bench.ModelProfile CONFIG infer|train BATCH [REPS] [ROWS]");
            System.exit(2);
        }
        ModelConfig cfg = ModelConfig.named(args[0]);
        boolean train = args[1].equals("train");
        int n = Integer.parseInt(args[2]);
        int reps = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        int rows = args.length > 4 ? Integer.parseInt(args[4]) : 40;
        int s = cfg.frameSize();
        float[][] in = ModelBench.inputs(n, s, ModelBench.SEED + n);
        try (Translator model = new Translator(cfg, Device.CPU, ModelBench.SEED);
             GanStep step = train ? GanStep.withSpecDefaults(model) : null;
             Tensor frames = Tensor.of(in[0], n, 1, s, s); Tensor masks = Tensor.of(in[1], n, 1, s, s)) {
            Runnable once = train ? () -> step.step(frames, masks) : () -> {
                try (Scope sc = Scope.open(); var ng = Tape.noGrad()) {
                    model.generator().forward(frames, masks);
                }
            };
            // warm up by repetitions and JIT quiet, not wall time: on a loaded machine a wall-time
            // warm-up ends before C2 has compiled the kernels
            var jit = java.lang.management.ManagementFactory.getCompilationMXBean();
            int warm = 0, quiet = 0;
            long compiled = jit.getTotalCompilationTime();
            while (warm < 8 || quiet < 3) {
                once.run();
                warm++;
                long now = jit.getTotalCompilationTime();
                quiet = now == compiled ? quiet + 1 : 0;
                compiled = now;
            }
            OpProfile.reset();
            long t0 = OpProfile.now();
            for (int r = 0; r < reps; r++) once.run();
            long total = OpProfile.now() - t0;
            System.out.printf(Locale.ROOT, "%s %s b%d: %d warm-up runs, %d timed%n", cfg.name(), args[1], n, warm, reps);
            System.out.print(OpProfile.report(total, reps, rows));
        }
    }
}
