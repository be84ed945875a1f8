package sonogate.train.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import sonogate.train.Rng;

class CfdMaskGeneratorTest {
    private final CfdMaskGenerator gen = new CfdMaskGenerator(CfdMaskConfig.defaults());

    @Test
    void everyFrameCoversTheConfiguredShareOfTheSector() {
        long seed = MaskTestUtil.freshSeed();
        Rng rng = new Rng(seed);
        CfdMaskConfig cfg = gen.config();
        double lo = 1, hi = 0, sum = 0;
        int clips = 150;
        for (int c = 0; c < clips; c++) {
            int h = 48 + 8 * rng.nextInt(8), w = 48 + 8 * rng.nextInt(8);
            CfdClipMask clip = gen.generate(rng, 4, h, w);
            double slack = 1.5 / clip.sector().area(); // rounding of the pixel count
            for (int t = 0; t < clip.frames(); t++) {
                double cov = clip.coverage(t);
                assertTrue(cov >= cfg.coverageMin() - slack && cov <= cfg.coverageMax() + slack,
                        "seed=" + seed + " clip " + c + " frame " + t + " coverage " + cov + " (" + w + "x" + h + ")");
                lo = Math.min(lo, cov);
                hi = Math.max(hi, cov);
                sum += cov;
            }
        }
        // The draws span the range rather than sitting at one value.
        assertTrue(lo < cfg.coverageMin() + 0.04 && hi > cfg.coverageMax() - 0.04, "seed=" + seed + " range " + lo + ".." + hi);
        double mean = sum / (clips * 4);
        assertEquals((cfg.coverageMin() + cfg.coverageMax()) / 2, mean, 0.03, "seed=" + seed);
    }

    @Test
    void coverageFollowsAnotherConfiguredRange() {
        long seed = MaskTestUtil.freshSeed();
        Rng rng = new Rng(seed);
        CfdMaskGenerator narrow = new CfdMaskGenerator(CfdMaskConfig.defaults().withCoverage(0.05, 0.08));
        for (int c = 0; c < 40; c++) {
            CfdClipMask clip = narrow.generate(rng, 3, 64, 80);
            for (int t = 0; t < 3; t++) {
                double cov = clip.coverage(t), slack = 1.5 / clip.sector().area();
                assertTrue(cov >= 0.05 - slack && cov <= 0.08 + slack, "seed=" + seed + " coverage " + cov);
            }
        }
    }

    @Test
    void masksLieInsideTheColourBoxWhichLiesInsideTheSector() {
        long seed = MaskTestUtil.freshSeed();
        Rng rng = new Rng(seed);
        for (int c = 0; c < 60; c++) {
            CfdClipMask clip = gen.generate(rng, 5, 64 + 8 * rng.nextInt(6), 64 + 8 * rng.nextInt(6));
            float[] sector = clip.sector().mask(), box = clip.colourBox();
            int boxArea = MaskTestUtil.count(box);
            assertTrue(boxArea > 0, "seed=" + seed);
            int boxOutside = 0;
            for (int i = 0; i < box.length; i++) if (box[i] > sector[i]) boxOutside++;
            assertEquals(0, boxOutside, "seed=" + seed + " clip " + c + ": box pixels outside the sector");
            for (int t = 0; t < clip.frames(); t++) {
                float[] m = clip.masks()[t];
                int notBinary = 0, outside = 0;
                for (int i = 0; i < m.length; i++) {
                    if (m[i] != 0f && m[i] != 1f) notBinary++;
                    if (m[i] > box[i]) outside++;
                }
                assertEquals(0, notBinary, "seed=" + seed + " mask not binary");
                assertEquals(0, outside, "seed=" + seed + " clip " + c + " frame " + t + ": mask pixels outside the box");
                // The colour never fills the whole box (it is flow inside a box, not the box).
                assertTrue(MaskTestUtil.count(m) <= gen.config().maxBoxFill() * boxArea + border(box, clip.height(), clip.width()) + 1,
                        "seed=" + seed + " clip " + c + " fills its box");
            }
        }
    }

    @Test
    void aGivenSectorOfAnyShapeIsRespected() {
        long seed = MaskTestUtil.freshSeed();
        Rng rng = new Rng(seed);
        int h = 72, w = 96;
        float[] ellipse = new float[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double u = (x - 50) / 40.0, v = (y - 36) / 30.0;
                ellipse[y * w + x] = u * u + v * v <= 1 ? 1f : 0f;
            }
        }
        ImagingSector sector = ImagingSector.of(h, w, ellipse);
        for (int c = 0; c < 20; c++) {
            CfdClipMask clip = gen.generate(rng, 3, sector);
            for (float[] m : clip.masks()) {
                int outside = 0;
                for (int i = 0; i < m.length; i++) if (m[i] > ellipse[i]) outside++;
                assertEquals(0, outside, "seed=" + seed + " mask pixels outside the sector");
                double cov = MaskTestUtil.count(m) / (double) sector.area();
                assertTrue(cov >= 0.1 - 0.002 && cov <= 0.3 + 0.002, "seed=" + seed + " coverage " + cov);
            }
        }
    }

    @Test
    void motionIsSmoothButNotStatic() {
        long seed = MaskTestUtil.freshSeed();
        Rng rng = new Rng(seed);
        int clips = 40, frames = 12;
        double sumConsecutive = 0, sumEnds = 0, worstClipMean = 1;
        for (int c = 0; c < clips; c++) {
            CfdClipMask clip = gen.generate(rng, frames, 128, 128);
            double clipSum = 0;
            for (int t = 1; t < frames; t++) clipSum += MaskTestUtil.iou(clip.masks()[t - 1], clip.masks()[t]);
            double clipMean = clipSum / (frames - 1);
            worstClipMean = Math.min(worstClipMean, clipMean);
            sumConsecutive += clipMean;
            double ends = MaskTestUtil.iou(clip.masks()[0], clip.masks()[frames - 1]);
            sumEnds += ends;
            assertTrue(ends < 0.999, "seed=" + seed + " clip " + c + " is static (IoU first/last " + ends + ")");
        }
        double meanConsecutive = sumConsecutive / clips, meanEnds = sumEnds / clips;
        System.out.printf("CFD masks 128x128: consecutive IoU mean %.3f (worst clip %.3f), first/last (11 frames apart) %.3f%n",
                meanConsecutive, worstClipMean, meanEnds);
        assertTrue(meanConsecutive > 0.8, "seed=" + seed + " mean consecutive IoU " + meanConsecutive);
        assertTrue(worstClipMean > 0.7, "seed=" + seed + " worst clip's consecutive IoU " + worstClipMean);
        assertTrue(meanEnds < meanConsecutive - 0.1, "seed=" + seed + " masks barely move: " + meanEnds);
    }

    @Test
    void theSameRngStateGivesTheSameMasks() {
        long seed = MaskTestUtil.freshSeed();
        Rng a = new Rng(seed);
        for (int i = 0; i < 3; i++) a.nextLong();
        Rng b = Rng.fromState(a.state());
        CfdClipMask x = gen.generate(a, 6, 80, 64), y = gen.generate(b, 6, 80, 64);
        assertEquals(a.state(), b.state(), "seed=" + seed);
        assertEquals(x.targetCoverage(), y.targetCoverage());
        assertArrayEquals(x.colourBox(), y.colourBox(), "seed=" + seed);
        for (int t = 0; t < 6; t++) assertArrayEquals(x.masks()[t], y.masks()[t], "seed=" + seed + " frame " + t);
        CfdClipMask z = gen.generate(a, 6, 80, 64);
        boolean differs = false;
        for (int t = 0; t < 6; t++) differs |= !java.util.Arrays.equals(x.masks()[t], z.masks()[t]);
        assertTrue(differs, "seed=" + seed + " the next draw repeats the previous one");
    }

    @Test
    void defaultSectorsAreFansOrRectanglesInsideTheFrame() {
        long seed = MaskTestUtil.freshSeed();
        Rng rng = new Rng(seed);
        int fans = 0;
        for (int c = 0; c < 200; c++) {
            ImagingSector s = ImagingSector.random(rng, 64, 96, 0.6);
            if (s.kind() == ImagingSector.Kind.FAN) fans++;
            double share = s.area() / (64.0 * 96);
            assertTrue(share > 0.25 && share <= 1, "seed=" + seed + " sector share " + share);
        }
        assertEquals(120, fans, 25, "seed=" + seed);
    }

    @Test
    void worksForSingleFramesAndTinyFrames() {
        long seed = MaskTestUtil.freshSeed();
        Rng rng = new Rng(seed);
        CfdClipMask one = gen.generate(rng, 1, 16, 16);
        assertEquals(1, one.frames());
        double cov = one.coverage(0);
        assertTrue(cov >= 0.1 - 0.01 && cov <= 0.3 + 0.01, "seed=" + seed + " coverage " + cov);
    }

    /** Pixels of the box with a 4-neighbour outside it (what an outline can add). */
    private static int border(float[] box, int h, int w) {
        int n = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (box[i] < 0.5f) continue;
                if (x == 0 || y == 0 || x == w - 1 || y == h - 1 || box[i - 1] < 0.5f || box[i + 1] < 0.5f
                        || box[i - w] < 0.5f || box[i + w] < 0.5f) n++;
            }
        }
        return n;
    }
}
