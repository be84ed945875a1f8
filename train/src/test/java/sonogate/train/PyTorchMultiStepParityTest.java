package sonogate.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.jhdf.HdfFile;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import sonogate.nn.Generator;
import sonogate.nn.ModelConfig;
import sonogate.nn.ParameterStore;
import sonogate.nn.Translator;
import sonogate.tensor.Device;
import sonogate.tensor.Scope;
import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;
import sonogate.tensor.ops.Ops;

/**
 * Several consecutive GAN steps against PyTorch ({@code fixtures/tiny_multistep.h5}, written by
 * {@code scripts/reference/make_multistep_fixture.py} through {@code scripts/make-fixtures}):
 * what one step leaves for the next (Adam's moments and step count, cleared gradients, the
 * spectral-norm vectors, the tape) must match, not only one step ({@link PyTorchParityTest}).
 * Same weights (sonogate's initialisation), same two batches taken in turn, MODEL.md's Adam.
 * Compared: every step's loss terms and every parameter's gradient norm; after the last step each
 * parameter's change (norm and sum), the spectral-norm buffers and the generator's outputs.
 *
 * <p>Tolerances, from measurements (fixture seed 1; bugs injected one at a time): float32
 * summation order differs between the engines, and Adam turns a gradient element that is zero up
 * to rounding into a step of up to lr of either sign, so the states drift apart a little with
 * every step: losses 1e-6 after step 1 and 1.5e-5 after step 6, gradient norms 1e-5, outputs and
 * spectral-norm buffers 4e-6, parameter changes 4.5e-3 (the last D bias, whose first gradient is
 * 0 up to rounding). Injected bugs moved them far more: Adam's bias correction stuck at step 1:
 * losses 4e-3 at step 2, changes 6.5e-2, outputs 9e-3; Adam's moments reset every step: changes
 * 0.42; G's gradients not cleared between steps: gradient norms 1.6 at step 2; no power iteration:
 * buffers 1.8. So: losses and gradient norms {@code k * STEP_TOL} at step k, parameter changes
 * {@code CHANGE_TOL}, outputs and buffers {@code FINAL_TOL}.
 * {@code SONOGATE_MULTISTEP_FIXTURE} names another fixture.
 */
class PyTorchMultiStepParityTest {

    static final String[] LOSSES = {"d_loss", "l1_coarse", "l1_refined", "g_adv", "g_loss"};
    /** Per step k (1-based): losses and gradient norms within {@code k * STEP_TOL} relative error. */
    static final double STEP_TOL = 1e-4;
    /** After the last step: each parameter's change (norm, and sum against its largest possible value). */
    static final double CHANGE_TOL = 2e-2;
    /** After the last step: spectral-norm buffers and the generator's outputs. */
    static final double FINAL_TOL = 1e-4;

    @Test
    void consecutiveGanStepsMatchPyTorch() throws Exception {
        Path fixture = fixture();
        try (HdfFile h5 = new HdfFile(fixture);
             Translator model = new Translator(ModelConfig.TINY, Device.CPU, 1L);
             GanStep gan = GanStep.withSpecDefaults(model);
             Scope scope = Scope.open()) {
            assertEquals("tiny", h5.getAttribute("config").getData(), "fixture config");
            int steps = ((Number) h5.getAttribute("steps").getData()).intValue();
            String[] names = ((String) h5.getAttribute("param_names").getData()).split("\n");
            ParameterStore store = model.parameters();
            PyTorchParityTest.load(h5, "params", store.parameters());
            PyTorchParityTest.load(h5, "buffers", store.buffers());
            Map<String, ParameterStore.Entry> entries = store.parameters();
            for (String n : names) assertTrue(entries.containsKey(n), "fixture parameter " + n + " is not in the Java model");
            assertEquals(entries.size(), names.length, "parameter count");
            Map<String, float[]> before = new HashMap<>();
            for (String n : names) before.put(n, entries.get(n).tensor().toFloatArray());

            Tensor[] frames = split(PyTorchParityTest.tensor(h5, "batches/frames"));
            Tensor[] masks = split(PyTorchParityTest.tensor(h5, "batches/masks"));
            List<String> failures = new ArrayList<>();
            StringBuilder report = new StringBuilder(String.format(Locale.ROOT, "PyTorch multi-step parity, %s (seed %s, torch %s), %d steps:%n",
                    fixture.getFileName(), h5.getAttribute("seed").getData(), h5.getAttribute("torch_version").getData(), steps));
            for (int k = 1; k <= steps; k++) {
                double[] gradNorms = new double[names.length];
                GanStep.Losses l = gan.step(frames[(k - 1) % 2], masks[(k - 1) % 2], new GanStep.Probe() {
                    @Override public void discriminatorBackward() { norms("disc."); }
                    @Override public void generatorBackward(Tensor gScores) { norms("coarse."); norms("refine."); }
                    private void norms(String prefix) {
                        for (int i = 0; i < names.length; i++) {
                            if (names[i].startsWith(prefix)) gradNorms[i] = norm(entries.get(names[i]).tensor().grad().toFloatArray());
                        }
                    }
                });
                double tol = k * STEP_TOL;
                float[] refLosses = Hdf5Arrays.read(h5, "step_" + k + "/losses").data();
                double[] ours = {l.dLoss(), l.l1Coarse(), l.l1Refined(), l.gAdv(), l.gLoss()};
                double worstLoss = 0;
                for (int i = 0; i < LOSSES.length; i++) {
                    double err = Math.abs(ours[i] - refLosses[i]) / Math.max(Math.abs(refLosses[i]), 1e-30);
                    worstLoss = Math.max(worstLoss, err);
                    if (!(err <= tol)) failures.add(String.format(Locale.ROOT, "step %d %s: %.7g, PyTorch %.7g (relative error %.2e > %.1e)",
                            k, LOSSES[i], ours[i], refLosses[i], err, tol));
                }
                float[] refNorms = Hdf5Arrays.read(h5, "step_" + k + "/grad_norms").data();
                double worstGrad = compare("step " + k + " gradient norm of ", names, gradNorms, refNorms, tol, failures);
                report.append(String.format(Locale.ROOT, "  step %d: losses %.2e, gradient norms %.2e (tolerance %.1e)%n", k, worstLoss, worstGrad, tol));
            }

            double[] deltaNorms = new double[names.length], deltaSums = new double[names.length];
            for (int i = 0; i < names.length; i++) {
                float[] now = entries.get(names[i]).tensor().toFloatArray(), was = before.get(names[i]);
                double sq = 0, sum = 0;
                for (int j = 0; j < now.length; j++) {
                    double d = (double) now[j] - was[j];
                    sq += d * d;
                    sum += d;
                }
                deltaNorms[i] = Math.sqrt(sq);
                deltaSums[i] = sum;
            }
            float[] refDeltaNorms = Hdf5Arrays.read(h5, "final/delta_norms").data();
            double dn = compare("parameter change norm of ", names, deltaNorms, refDeltaNorms, CHANGE_TOL, failures);
            // a sum can cancel to near 0: measure its error against the change's largest possible sum, norm * sqrt(numel)
            float[] refDeltaSums = Hdf5Arrays.read(h5, "final/delta_sums").data();
            double ds = 0;
            for (int i = 0; i < names.length; i++) {
                double scale = refDeltaNorms[i] * Math.sqrt(entries.get(names[i]).numel());
                double err = Math.abs(deltaSums[i] - refDeltaSums[i]) / Math.max(scale, 1e-30);
                ds = Math.max(ds, err);
                if (!(err <= CHANGE_TOL)) failures.add(String.format(Locale.ROOT, "parameter change sum of %s: %.6g, PyTorch %.6g (error %.2e of its scale > %.1e)",
                        names[i], deltaSums[i], refDeltaSums[i], err, CHANGE_TOL));
            }
            double buffers = 0;
            for (ParameterStore.Entry e : store.buffers().values()) {
                double err = PyTorchParityTest.relativeError(e.tensor().toFloatArray(), Hdf5Arrays.read(h5, "final/buffers/" + e.name()).data());
                buffers = Math.max(buffers, err);
                if (!(err <= FINAL_TOL)) failures.add(String.format(Locale.ROOT, "spectral-norm buffer %s after step %d: relative error %.2e > %.1e", e.name(), steps, err, FINAL_TOL));
            }
            double coarse, composite;
            try (var ng = Tape.noGrad()) {
                Generator.Output out = model.generator().forward(frames[0], masks[0]);
                coarse = PyTorchParityTest.relativeError(out.coarse().toFloatArray(), Hdf5Arrays.read(h5, "final/coarse").data());
                composite = PyTorchParityTest.relativeError(out.composite().toFloatArray(), Hdf5Arrays.read(h5, "final/composite").data());
            }
            if (!(coarse <= FINAL_TOL)) failures.add(String.format(Locale.ROOT, "coarse output after step %d: relative error %.2e > %.1e", steps, coarse, FINAL_TOL));
            if (!(composite <= FINAL_TOL)) failures.add(String.format(Locale.ROOT, "composite output after step %d: relative error %.2e > %.1e", steps, composite, FINAL_TOL));
            report.append(String.format(Locale.ROOT, "  after step %d: parameter change norms %.2e, sums %.2e (tolerance %.1e); spectral-norm buffers %.2e, coarse %.2e, composite %.2e (tolerance %.1e)%n",
                    steps, dn, ds, CHANGE_TOL, buffers, coarse, composite, FINAL_TOL));
            System.out.print(report);
            if (!failures.isEmpty()) fail("multi-step parity with PyTorch fails in " + failures.size() + " places:\n" + String.join("\n", failures));
        }
    }

    /**
     * Worst relative error of per-parameter scalars; each one over {@code tol} is a failure. A value
     * below 1e-4 of the largest one (the last D bias's gradient at the first step, 0 up to rounding:
     * its real and fake terms cancel) is compared with that floor as its scale.
     */
    private static double compare(String what, String[] names, double[] ours, float[] ref, double tol, List<String> failures) {
        double largest = 0;
        for (float r : ref) largest = Math.max(largest, Math.abs(r));
        double worst = 0;
        for (int i = 0; i < names.length; i++) {
            double err = Math.abs(ours[i] - ref[i]) / Math.max(Math.max(Math.abs(ref[i]), 1e-4 * largest), 1e-30);
            worst = Math.max(worst, err);
            if (!(err <= tol)) failures.add(String.format(Locale.ROOT, "%s%s: %.6g, PyTorch %.6g (relative error %.2e > %.1e)", what, names[i], ours[i], ref[i], err, tol));
        }
        return worst;
    }

    private static double norm(float[] v) {
        double s = 0;
        for (float x : v) s += (double) x * x;
        return Math.sqrt(s);
    }

    /** [2, N, 1, H, W] -> two [N, 1, H, W] batches. */
    private static Tensor[] split(Tensor t) {
        Tensor[] out = new Tensor[t.dim(0)];
        for (int i = 0; i < out.length; i++) {
            Tensor one = Ops.narrow(t, 0, i, 1);
            out[i] = Ops.contiguous(Ops.reshape(Ops.contiguous(one), t.dim(1), t.dim(2), t.dim(3), t.dim(4)));
        }
        return out;
    }

    static Path fixture() throws URISyntaxException {
        String override = System.getenv("SONOGATE_MULTISTEP_FIXTURE");
        if (override != null && !override.isBlank()) return Path.of(override);
        var url = PyTorchMultiStepParityTest.class.getResource("/fixtures/tiny_multistep.h5");
        assertTrue(url != null, "fixtures/tiny_multistep.h5 is missing from the test resources: run scripts/make-fixtures");
        Path p = Path.of(url.toURI());
        assertTrue(Files.isRegularFile(p), p + " is not a file");
        return p;
    }
}
