package sonogate.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sonogate.nn.ModelConfig;

/** 6 steps straight equal 3 steps + resume from the checkpoint + 3 steps, bit for bit. */
class TrainerResumeTest {
    @TempDir Path tmp;

    static Trainer.Settings settings() {
        return Trainer.Settings.defaults(ModelConfig.TINY, 2, 42).withValEvery(0).withCkptEvery(0).withValSamples(2);
    }

    static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream());
    }

    @Test
    void resumedRunRepeatsTheStraightRunExactly() throws Exception {
        FrameDataset data = TrainFixtures.syntheticDataset(tmp.resolve("data"), 64);
        // Warm-up, discarded: the CPU gating kernel's vector exp differs in the last bit between
        // interpreted and JIT-compiled code (a deterministic polynomial is on its way), so the
        // very first steps of a JVM can differ from later ones. Both runs compared below run warm.
        try (Trainer t = new Trainer(settings(), data, tmp.resolve("warm"), false, quiet(), false)) {
            t.train(6);
        }
        List<Trainer.StepRecord> straight;
        try (Trainer t = new Trainer(settings(), data, tmp.resolve("a"), false, quiet(), false)) {
            t.train(6);
            straight = t.history();
        }
        try (Trainer t = new Trainer(settings(), data, tmp.resolve("b"), false, quiet(), false)) {
            t.train(3);
        }
        assertTrue(Files.exists(tmp.resolve("b").resolve(Trainer.CHECKPOINT)));
        List<Trainer.StepRecord> resumed;
        try (Trainer t = new Trainer(settings(), data, tmp.resolve("b"), true, quiet(), false)) {
            assertEquals(3, t.step());
            t.train(6);
            resumed = t.history();
        }
        assertEquals(6, straight.size());
        assertEquals(3, resumed.size());
        for (int i = 0; i < 3; i++) {
            Trainer.StepRecord a = straight.get(3 + i), b = resumed.get(i);
            assertEquals(a.step(), b.step());
            assertEquals(a.losses(), b.losses(), "losses of step " + a.step());
            assertEquals(a.dGradNorm(), b.dGradNorm(), "D gradient norm of step " + a.step());
            assertEquals(a.gGradNorm(), b.gGradNorm(), "G gradient norm of step " + a.step());
        }
        // the resumed run's log has each step once
        List<String> log = Files.readAllLines(tmp.resolve("b").resolve(Trainer.TRAIN_LOG));
        assertEquals(6, log.size());
        assertTrue(log.get(5).startsWith("{\"step\":6,"), log.get(5));
    }
}
