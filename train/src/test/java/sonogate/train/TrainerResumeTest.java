package sonogate.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sonogate.nn.ModelConfig;
import sonogate.tensor.KernelTrace;

/**
 * 6 steps straight equal 3 steps + resume from the checkpoint + 3 steps, bit for bit: every loss,
 * both gradient norms and every parameter afterwards; also when the first 3 steps ran in another
 * JVM, on one kernel thread. The straight run goes first in a JVM whose kernels are not compiled
 * yet, so this also checks that results do not depend on the JIT tier.
 * Both runs' kernel calls of steps 4 to 6 are traced ({@link KernelTrace}): on a mismatch the
 * failure names the first kernel output that differs.
 */
class TrainerResumeTest {
    @TempDir Path tmp;

    static Trainer.Settings settings() {
        return Trainer.Settings.defaults(ModelConfig.TINY, 2, 42).withValEvery(0).withCkptEvery(0).withValSamples(2);
    }

    static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream());
    }

    @Test
    void resumedRunRepeatsTheStraightRunBitForBit() throws Exception {
        FrameDataset data = TrainFixtures.syntheticDataset(tmp.resolve("data"), 64);
        Run straight, resumed;
        try (Trainer t = new Trainer(settings(), data, tmp.resolve("a"), false, quiet(), false)) {
            straight = Run.traceFromStep4(t);
        }
        try (Trainer t = new Trainer(settings(), data, tmp.resolve("b"), false, quiet(), false)) {
            t.train(3);
        }
        assertTrue(Files.exists(tmp.resolve("b").resolve(Trainer.CHECKPOINT)));
        try (Trainer t = new Trainer(settings(), data, tmp.resolve("b"), true, quiet(), false)) {
            assertEquals(3, t.step());
            resumed = Run.traceFromStep4(t);
        }
        assertEquals(6, straight.history.size());
        assertEquals(3, resumed.history.size());
        assertSameAsStraight(straight, resumed, "the resumed run");
        // the resumed run's log has each step once
        List<String> log = Files.readAllLines(tmp.resolve("b").resolve(Trainer.TRAIN_LOG));
        assertEquals(6, log.size());
        assertTrue(log.get(5).startsWith("{\"step\":6,"), log.get(5));

        // Steps 1-3 in another, freshly started JVM with one kernel thread, resumed here: the same again.
        Path c = tmp.resolve("c");
        runInFreshJvm(tmp.resolve("data"), c, 3);
        try (Trainer t = new Trainer(settings(), data, c, true, quiet(), false)) {
            assertEquals(3, t.step());
            assertSameAsStraight(straight, Run.traceFromStep4(t), "a run begun in another JVM and resumed in this one");
        }
    }

    private static void assertSameAsStraight(Run straight, Run resumed, String what) {
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Trainer.StepRecord a = straight.history.get(3 + i), b = resumed.history.get(i);
            assertEquals(a.step(), b.step());
            same(a.losses().dLoss(), b.losses().dLoss(), "d_loss of step " + a.step(), mismatches);
            same(a.losses().l1Coarse(), b.losses().l1Coarse(), "l1_coarse of step " + a.step(), mismatches);
            same(a.losses().l1Refined(), b.losses().l1Refined(), "l1_refined of step " + a.step(), mismatches);
            same(a.losses().gAdv(), b.losses().gAdv(), "g_adv of step " + a.step(), mismatches);
            same(a.losses().gLoss(), b.losses().gLoss(), "g_loss of step " + a.step(), mismatches);
            same(a.dGradNorm(), b.dGradNorm(), "D gradient norm of step " + a.step(), mismatches);
            same(a.gGradNorm(), b.gGradNorm(), "G gradient norm of step " + a.step(), mismatches);
        }
        sameBits(straight.generator, resumed.generator, "generator parameters after step 6", mismatches);
        sameBits(straight.discriminator, resumed.discriminator, "discriminator parameters after step 6", mismatches);
        String firstKernel = KernelTrace.firstDifference(straight.trace, resumed.trace);
        if (!mismatches.isEmpty() || firstKernel != null) {
            fail(what + " differs from the straight run: " + String.join("; ", mismatches)
                    + "\nkernel trace of steps 4-6: " + (firstKernel == null ? "identical" : firstKernel));
        }
    }

    /**
     * Trains {@code steps} steps into {@code runDir} in a new JVM ({@link FreshJvm}) with this JVM's
     * class path and one kernel thread: no result may depend on how kernels split their work.
     */
    private static void runInFreshJvm(Path dataDir, Path runDir, int steps) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-Dsonogate.threads=1", "-cp", System.getProperty("java.class.path"),
                FreshJvm.class.getName(), dataDir.toString(), runDir.toString(), Integer.toString(steps))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "the other JVM did not finish");
        assertEquals(0, p.exitValue(), "the other JVM failed:\n" + out);
    }

    /** The other JVM's entry point: trains the first steps of the test's run. */
    static final class FreshJvm {
        public static void main(String[] args) throws Exception {
            FrameDataset data = FrameDataset.load(List.of(Path.of(args[0])), 64, 0);
            try (Trainer t = new Trainer(settings(), data, Path.of(args[1]), false, quiet(), false)) {
                t.train(Integer.parseInt(args[2]));
            }
        }
    }

    /** A run to step 6: its step records, its parameters afterwards and the kernel trace of steps 4 to 6. */
    private record Run(List<Trainer.StepRecord> history, float[] generator, float[] discriminator, List<KernelTrace.Entry> trace) {
        /**
         * Trains {@code t} to step 6 in one call, tracing its kernel calls (and the batches it is
         * given) from step 4 on: the trace names the first kernel whose output differs between runs.
         */
        static Run traceFromStep4(Trainer t) {
            int s = t.model().config().frameSize();
            t.setBatchFilter(b -> {
                if (t.step() == 3) KernelTrace.start();
                KernelTrace.note("batch frames", b.frames(), b.batch(), s, s);
                KernelTrace.note("batch masks", b.masks(), b.batch(), s, s);
                return b;
            });
            List<KernelTrace.Entry> trace;
            try {
                t.train(6);
            } finally {
                trace = KernelTrace.stop();
            }
            return new Run(List.copyOf(t.history()), t.model().generatorParameters().toFloatArray(),
                    t.model().discriminatorParameters().toFloatArray(), trace);
        }
    }

    private static void same(double expected, double actual, String what, List<String> mismatches) {
        if (Double.doubleToRawLongBits(expected) != Double.doubleToRawLongBits(actual)) {
            mismatches.add(what + ": " + expected + " straight, " + actual + " resumed");
        }
    }

    private static void sameBits(float[] expected, float[] actual, String what, List<String> mismatches) {
        int differ = 0;
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) differ++;
        }
        if (differ > 0) mismatches.add(what + ": " + differ + " of " + expected.length + " differ");
    }
}
