package sonogate.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import sonogate.inference.SonogateModel;
import sonogate.io.mask.ColourMask;
import sonogate.nn.ModelConfig;
import sonogate.nn.Translator;
import sonogate.tensor.Device;

/** The evaluation on a short real clip: seeded, the user's pipeline, the metrics' meaning, the JSON schema. */
class EvaluationTest {
    static final String CLIP = "bmode-video/pocus_Reg_Image_18122_crop.mp4";
    static final String CFD = "cfd/dcm4che_US-RGB-8-esopecho.dcm";
    static final Evaluation.Settings SETTINGS = new Evaluation.Settings(3, 5, 2);

    @TempDir
    Path tmp;

    static Path data() {
        Path d = EvalFixtures.realData();
        assumeTrue(d != null, "SKIPPED: no shared/data/ultrasound folder");
        return d;
    }

    static EvalReport evaluate(Path data, Translator untrained) {
        List<HarvestedShape> shapes = EvalRun.harvest(List.of(new EvalRun.Clip(data.resolve(CFD), CFD)), 3, line -> {});
        List<FillMethod> methods = List.of(FillMethod.telea(), FillMethod.diffusion(), FillMethod.model("untrained", SonogateModel.of(untrained), 2));
        return EvalRun.run(List.of(new EvalRun.Clip(data.resolve(CLIP), CLIP)), shapes, methods, SETTINGS, List.of(), line -> {});
    }

    @Test
    void twoRunsGiveIdenticalTablesAndJson() {
        Path data = data();
        EvalReport a, b;
        try (Translator t = Translator.forInference(ModelConfig.TINY, Device.CPU, 1)) {
            a = evaluate(data, t);
        }
        try (Translator t = Translator.forInference(ModelConfig.TINY, Device.CPU, 1)) {
            b = evaluate(data, t);
        }
        System.out.print(a.table());
        assertEquals(2, a.cases().size(), "a synthetic and a real-CFD case");
        assertEquals(a.table(), b.table());
        assertEquals(a.json(), b.json());
        for (CaseResult c : a.cases()) {
            assertTrue(MethodScores.mean(c.maskIou()) > 0.9, c.input().overlay() + ": mask IoU " + MethodScores.mean(c.maskIou()));
            assertTrue(c.input().coverage() > 0.05 && c.input().coverage() <= 0.3 + 1e-9, "coverage " + c.input().coverage());
        }
        // Another seed paints other flow.
        EvalReport other;
        try (Translator t = Translator.forInference(ModelConfig.TINY, Device.CPU, 1)) {
            List<FillMethod> methods = List.of(FillMethod.telea());
            other = EvalRun.run(List.of(new EvalRun.Clip(data.resolve(CLIP), CLIP)), List.of(), methods,
                    new Evaluation.Settings(3, 6, 2), List.of(), line -> {});
        }
        assertTrue(other.cases().get(0).input().coverage() != a.cases().get(0).input().coverage());
    }

    /**
     * The model method fills exactly what translate does: SonogateModel.translateFrames on the painted
     * RGB frames; for a temporal model too (each frame with its neighbours, across the batches of 2).
     */
    @ParameterizedTest
    @ValueSource(strings = {"tiny", "tiny-temporal"})
    void modelFillIsTheUsersPipeline(String config) throws Exception {
        Path data = data();
        GreyClip clip = GreyClip.read(data.resolve(CLIP), CLIP, 3);
        EvalCase c = Evaluation.cases(clip, List.of(), SETTINGS).get(0);
        try (Translator t = Translator.forInference(ModelConfig.named(config), Device.CPU, 3)) {
            SonogateModel model = SonogateModel.of(t);
            CaseResult r = Evaluation.run(c, List.of(FillMethod.model("m", model, 2)), true);
            List<byte[]> viaTranslate = new ArrayList<>();
            model.translateFrames(c.painted().iterator(), new ColourMask(), f -> viaTranslate.add(f.samples()), 2);
            assertEquals(c.frames(), viaTranslate.size());
            for (int i = 0; i < viaTranslate.size(); i++) assertArrayEquals(viaTranslate.get(i), r.outputs().get("m").get(i), "frame " + i);
        }
    }

    /** Filling with the truth scores perfectly; a flat fill scores worse, and only inside the mask's metrics differ much. */
    @Test
    void metricsMeanWhatTheySay() throws Exception {
        Path data = data();
        GreyClip clip = GreyClip.read(data.resolve(CLIP), CLIP, 3);
        EvalCase c = Evaluation.cases(clip, List.of(), SETTINGS).get(0);
        MethodScores perfect = Evaluation.score(c, c.truth());
        for (int t = 0; t < c.frames(); t++) {
            assertEquals(1, perfect.ssim()[t], 1e-12);
            assertEquals(1, perfect.ssimMask()[t], 1e-12);
            assertEquals(0, perfect.l1Mask()[t], 0);
            assertEquals(Double.POSITIVE_INFINITY, perfect.psnr()[t]);
        }
        assertEquals(1, perfect.flickerRatio(), 1e-12);
        List<byte[]> flat = new ArrayList<>();
        long sum = 0, n = 0;
        for (int t = 0; t < c.frames(); t++) {
            byte[] f = c.truth().get(t).clone(), m = c.truthMasks().get(t);
            for (int i = 0; i < f.length; i++) if (m[i] != 0) f[i] = (byte) 200;
            flat.add(f);
            for (int i = 0; i < f.length; i++) if (m[i] != 0) { sum += c.truth().get(t)[i] & 0xFF; n++; }
        }
        MethodScores s = Evaluation.score(c, flat);
        double expectedL1 = 0;
        for (int t = 0; t < c.frames(); t++) {
            byte[] m = c.truthMasks().get(t), y = c.truth().get(t);
            double e = 0;
            int k = 0;
            for (int i = 0; i < m.length; i++) if (m[i] != 0) { e += Math.abs(200 - (y[i] & 0xFF)) / 255.0; k++; }
            expectedL1 += e / k / c.frames();
        }
        assertEquals(expectedL1, MethodScores.mean(s.l1Mask()), 1e-6);
        assertTrue(MethodScores.mean(s.ssimMask()) < 0.5 && MethodScores.mean(s.ssim()) > MethodScores.mean(s.ssimMask()));
        assertTrue(n > 0 && sum > 0);
        // The truth plus a frame-alternating offset of 20 grey levels in the mask flickers more than the truth.
        List<byte[]> jitter = new ArrayList<>();
        for (int t = 0; t < c.frames(); t++) {
            byte[] f = c.truth().get(t).clone(), m = c.truthMasks().get(t);
            for (int i = 0; i < f.length; i++) if (m[i] != 0) f[i] = (byte) Math.clamp((f[i] & 0xFF) + (t % 2 == 0 ? 20 : -20), 0, 255);
            jitter.add(f);
        }
        assertTrue(Evaluation.score(c, jitter).flickerRatio() > 1.2, "flicker ratio " + Evaluation.score(c, jitter).flickerRatio());
    }

    /**
     * A frame without painted colour (a harvested real shape can have one) tests no fill: every
     * method returns the frame itself, whose whole-frame PSNR is infinite. It must count in no
     * figure, not turn every method's PSNR into infinity.
     */
    @Test
    void aFrameWithoutColourCountsInNoFigure() throws Exception {
        GreyClip clip = GreyClip.read(data().resolve(CLIP), CLIP, 3);
        EvalCase c = Evaluation.cases(clip, List.of(), SETTINGS).get(0);
        List<byte[]> masks = new ArrayList<>(c.truthMasks());
        masks.set(1, new byte[masks.get(1).length]);                         // frame 1: no colour painted
        EvalCase holey = new EvalCase(c.clip(), c.overlay(), c.width(), c.height(), c.truth(), c.painted(), masks, c.coverage());
        List<byte[]> flat = new ArrayList<>();
        for (int t = 0; t < c.frames(); t++) {
            byte[] f = c.truth().get(t).clone(), m = masks.get(t);
            for (int i = 0; i < f.length; i++) if (m[i] != 0) f[i] = (byte) 200;
            flat.add(f);
        }
        MethodScores s = Evaluation.score(holey, flat), all = Evaluation.score(c, flat);
        for (double[] v : new double[][] {s.ssim(), s.ssimMask(), s.psnr(), s.l1Mask()}) assertTrue(Double.isNaN(v[1]), "frame 1 skipped");
        double psnr = MethodScores.mean(s.psnr());
        assertTrue(Double.isFinite(psnr), "PSNR " + psnr);
        assertEquals((all.psnr()[0] + all.psnr()[2]) / 2, psnr, 1e-9, "the mean of the frames with colour");
        assertEquals((all.ssimMask()[0] + all.ssimMask()[2]) / 2, MethodScores.mean(s.ssimMask()), 1e-9);
    }

    @Test
    void jsonHasExactlyTheIssuesSchema() throws Exception {
        Path data = data();
        EvalReport r;
        try (Translator t = Translator.forInference(ModelConfig.TINY, Device.CPU, 1)) {
            r = EvalRun.run(List.of(new EvalRun.Clip(data.resolve(CLIP), CLIP)), List.of(),
                    List.of(FillMethod.telea(), FillMethod.diffusion(), FillMethod.model("untrained", SonogateModel.of(t), 2)),
                    new Evaluation.Settings(2, 1, 2), List.of(), line -> {});
        }
        Path json = tmp.resolve("eval.json");
        Files.writeString(json, r.json(), StandardCharsets.UTF_8);
        String check = """
                import json, sys
                d = json.load(open(sys.argv[1]))
                assert set(d) == {"methods", "mask_iou"}, d.keys()
                assert set(d["methods"]) == {"sonogate", "telea", "diffusion", "untrained"}
                assert d["methods"]["sonogate"] is None
                keys = {"ssim", "ssim_std", "ssim_mask", "ssim_mask_std", "psnr", "l1_mask", "flicker_ratio"}
                for m in ("telea", "diffusion", "untrained"):
                    assert set(d["methods"][m]) == keys, d["methods"][m]
                    assert all(isinstance(v, float) for v in d["methods"][m].values())
                assert 0.9 < d["mask_iou"] <= 1
                print("ok")
                """;
        Process p;
        try {
            p = new ProcessBuilder("/usr/bin/python3", "-c", check, json.toString()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "SKIPPED: no /usr/bin/python3 to parse the JSON");
            return;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), r.json() + "\n" + out);
    }
}
