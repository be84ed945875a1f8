package sonogate.eval;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import sonogate.inference.SonogateModel;
import sonogate.io.Frame;
import sonogate.io.mask.ColourMask;
import sonogate.io.mask.MaskStats;
import sonogate.io.mask.Sector;
import sonogate.io.mask.SectorEstimator;
import sonogate.io.overlay.CfdOverlay;
import sonogate.train.metrics.Metrics;
import sonogate.train.metrics.Ssim;

/**
 * The evaluation on real B-mode clips (issue 6): colour flow of known shape is painted over each
 * clip ({@link #cases}: synthetic vessels and chambers by {@link CfdOverlay}, and real colour flow
 * cut from a CFD clip by {@link HarvestedOverlay}, both at 10-30% of the imaging sector), then the
 * user's pipeline runs on the painted RGB frames alone: the colour mask is estimated
 * ({@link ColourMask#stream}, sector included, temporally smoothed), and each {@link FillMethod}
 * fills the estimated mask. The outputs are compared with the original grey frames
 * ({@link #run}). Everything is seeded: the same clips, settings and seed give the same numbers.
 */
public final class Evaluation {
    /**
     * @param maxFrames consecutive frames per clip from its start (default 8)
     * @param seed the base seed; each case's seed derives from it, the clip's name and the overlay kind
     * @param batch frames per forward pass of a model
     */
    public record Settings(int maxFrames, long seed, int batch) {
        public Settings {
            if (maxFrames < 1) throw new IllegalArgumentException("max frames " + maxFrames + " must be at least 1");
            if (batch < 1) throw new IllegalArgumentException("batch " + batch + " must be at least 1");
        }

        public static Settings defaults() {
            return new Settings(8, 1, 4);
        }
    }

    private Evaluation() {}

    /**
     * The cases of one clip: a synthetic overlay and, when {@code shapes} is not empty, one real
     * colour-flow shape (chosen by the case's seed).
     *
     * @throws IllegalArgumentException when the clip's imaging sector is too small for a colour box
     */
    public static List<EvalCase> cases(GreyClip clip, List<HarvestedShape> shapes, Settings settings) {
        List<Frame> grey = new ArrayList<>();
        for (int t = 0; t < clip.frames().size(); t++) grey.add(clip.frame(t));
        Sector sector = SectorEstimator.estimate(grey, SectorEstimator.Settings.defaults());
        List<EvalCase> out = new ArrayList<>();
        long synthSeed = caseSeed(settings.seed(), clip.name(), "synthetic");
        CfdOverlay overlay = CfdOverlay.plan(sector, CfdOverlay.Settings.forSeed(synthSeed), synthSeed);
        out.add(paint(clip, "synthetic", grey, overlay::render, overlay.partArea()));
        if (!shapes.isEmpty()) {
            long seed = caseSeed(settings.seed(), clip.name(), "real-cfd");
            HarvestedShape shape = shapes.get((int) Math.floorMod(seed, (long) shapes.size()));
            CfdOverlay.Settings d = CfdOverlay.Settings.defaults();
            HarvestedOverlay h = new HarvestedOverlay(shape, sector, d.coverageMin(), d.coverageMax(), seed);
            out.add(paint(clip, "real-cfd:" + shape.name(), grey, h::render, sector.largestPart().area()));
        }
        return out;
    }

    @FunctionalInterface
    private interface Painter {
        CfdOverlay.Rendered render(Frame bmode, int t);
    }

    private static EvalCase paint(GreyClip clip, String kind, List<Frame> grey, Painter painter, int partArea) {
        List<Frame> painted = new ArrayList<>();
        List<byte[]> truth = new ArrayList<>();
        double coverage = 0;
        for (int t = 0; t < grey.size(); t++) {
            CfdOverlay.Rendered r = painter.render(grey.get(t), t);
            painted.add(r.frame());
            truth.add(r.truth());
            coverage += (double) MaskStats.count(r.truth()) / partArea;
        }
        return new EvalCase(clip.name(), kind, clip.width(), clip.height(), clip.frames(), List.copyOf(painted), List.copyOf(truth),
                coverage / grey.size());
    }

    /** A case's seed: from the base seed, the clip's name and the overlay kind (not from the clips' order). */
    static long caseSeed(long seed, String clip, String kind) {
        long h = seed * 0x9E3779B97F4A7C15L + 31L * clip.hashCode() + kind.hashCode();
        return new SplittableRandom(h).nextLong() & Long.MAX_VALUE;
    }

    /**
     * Runs the pipeline on a case: masks estimated from the painted frames, then every method;
     * {@code keepOutputs} keeps each method's frames in the result (for pictures).
     */
    public static CaseResult run(EvalCase c, List<FillMethod> methods, boolean keepOutputs) {
        List<ColourMask.Result> masks = new ArrayList<>();
        Iterator<ColourMask.Result> it = new ColourMask().stream(c.painted().iterator());   // sector estimated from the RGB frames
        while (it.hasNext()) masks.add(it.next());
        double[] iou = new double[masks.size()];
        for (int t = 0; t < iou.length; t++) iou[t] = MaskStats.iou(masks.get(t).colour(), c.truthMasks().get(t));
        Map<String, MethodScores> scores = new LinkedHashMap<>();
        Map<String, List<byte[]>> outputs = new LinkedHashMap<>();
        for (FillMethod m : methods) {
            List<byte[]> out = m.fill(masks);
            scores.put(m.name(), score(c, out));
            if (keepOutputs) outputs.put(m.name(), out);
        }
        List<byte[]> estimated = new ArrayList<>();
        if (keepOutputs) for (ColourMask.Result r : masks) estimated.add(r.mask());
        return new CaseResult(c, iou, scores, outputs, estimated);
    }

    /** The metrics of a method's frames against the truth (see {@link MethodScores}). */
    static MethodScores score(EvalCase c, List<byte[]> out) {
        int n = c.frames(), w = c.width(), h = c.height();
        double[] ssim = new double[n], ssimMask = new double[n], psnr = new double[n], l1 = new double[n];
        float[][] outF = new float[n][], truthF = new float[n][], maskF = new float[n][];
        for (int t = 0; t < n; t++) {
            outF[t] = unit(out.get(t));
            truthF[t] = unit(c.truth().get(t));
            byte[] m = c.truthMasks().get(t);
            maskF[t] = new float[m.length];
            for (int i = 0; i < m.length; i++) maskF[t][i] = m[i];
            if (MaskStats.count(m) == 0) {
                // no colour painted: every method returns the frame itself, which tests no fill and
                // would put an infinite PSNR into every mean; the frame counts in no figure but flicker
                ssim[t] = ssimMask[t] = psnr[t] = l1[t] = Double.NaN;
                continue;
            }
            double[] map = Ssim.map(outF[t], truthF[t], h, w);
            ssim[t] = validMean(map, w, h);
            ssimMask[t] = maskedMean(map, m);
            psnr[t] = Metrics.psnr(outF[t], truthF[t], h, w);
            l1[t] = Metrics.l1InMask(outF[t], truthF[t], maskF[t], h, w);
        }
        double flicker = n < 2 ? Double.NaN : Metrics.flicker(outF, maskF, h, w) / Metrics.flicker(truthF, maskF, h, w);
        return new MethodScores(ssim, ssimMask, psnr, l1, flicker);
    }

    /** {@link Ssim#mean}'s average from an already computed map: the pixels whose window lies inside the frame. */
    private static double validMean(double[] map, int w, int h) {
        int r = Ssim.WINDOW / 2;
        double sum = 0;
        for (int y = r; y < h - r; y++) for (int x = r; x < w - r; x++) sum += map[y * w + x];
        return sum / ((double) (h - 2 * r) * (w - 2 * r));
    }

    /** {@link Ssim#meanInMask}'s average from an already computed map. */
    private static double maskedMean(double[] map, byte[] mask) {
        double sum = 0;
        long count = 0;
        for (int i = 0; i < map.length; i++) {
            if (mask[i] != 0) {
                sum += map[i];
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    private static float[] unit(byte[] grey) {
        float[] f = new float[grey.length];
        for (int i = 0; i < f.length; i++) f[i] = SonogateModel.toUnit(grey[i]);
        return f;
    }
}
