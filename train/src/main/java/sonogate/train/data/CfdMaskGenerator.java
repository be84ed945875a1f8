package sonogate.train.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import sonogate.train.Rng;

/**
 * Synthetic colour-flow-Doppler masks for a clip, deterministic given the {@link Rng} state.
 *
 * <p>Per clip: a colour box inside the imaging sector (a wedge in a fan, a rectangle or steered
 * parallelogram otherwise), fixed over the clip as on a scanner; inside it a few flow structures
 * ({@link FlowStructure}: vessels with optional side branches, chamber-like blobs, jets), each
 * drifting slowly and pulsing with a shared cardiac-like period. Per frame: the structures' shape
 * field (1 on the axis, 0 on the border) plus fine noise that frays the borders and mid-scale
 * noise that punches holes (patchy colour, as in real CFD); the mask is the top k pixels of that
 * field inside the box, where k follows a per-frame coverage target that pulses with the beat and
 * stays in [{@code coverageMin}, {@code coverageMax}] of the sector. Thresholding a field that
 * changes smoothly over time makes consecutive masks overlap strongly while the clip as a whole
 * moves. With probability {@code outlineProbability} the 1-pixel outline of the colour box is
 * masked as well (real colour boxes are drawn in colour, so the inference mask includes them).
 *
 * <p>Thread-safe: the generator holds only its configuration; all state is in the {@link Rng}.
 */
public final class CfdMaskGenerator {
    /** Cap of the shape field (1 on a structure's axis) before texturing. */
    private static final double CORE = 0.6;
    private final CfdMaskConfig config;

    public CfdMaskGenerator(CfdMaskConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public CfdMaskConfig config() {
        return config;
    }

    /** Masks for a clip of {@code frames} frames of {@code height x width} in a random default sector. */
    public CfdClipMask generate(Rng rng, int frames, int height, int width) {
        return generate(rng, frames, ImagingSector.random(rng, height, width, config.fanProbability()));
    }

    /** Masks for a clip of {@code frames} frames drawn inside {@code sector}. */
    public CfdClipMask generate(Rng rng, int frames, ImagingSector sector) {
        if (frames < 1) throw new IllegalArgumentException("frames must be >= 1: " + frames);
        int h = sector.height(), w = sector.width(), n = h * w;
        double size = Math.min(h, w);
        double sectorArea = sector.area();

        // Coverage over the beat.
        double target = rng.uniform(config.coverageMin(), config.coverageMax());
        double period = rng.uniform(config.periodMinFrames(), config.periodMaxFrames());
        double phase = rng.nextDouble();
        double sharpness = rng.uniform(1.0, 2.5);
        double swing = rng.uniform(0, config.pulseMax());
        FlowStructure.Motion beat = new FlowStructure.Motion(0, 0, 0, 1, 0, period, phase, sharpness, swing);
        double meanPulse = beat.meanPulse();
        double peakCoverage = Math.min(config.coverageMax(), target * (1 + swing * (1 - meanPulse)));

        // Colour box, large enough for the peak coverage.
        boolean[] box = colourBox(rng, sector, peakCoverage / config.maxBoxFill());
        int boxArea = count(box);
        int[] boxPixels = new int[boxArea];
        for (int i = 0, j = 0; i < n; i++) if (box[i]) boxPixels[j++] = i;
        boolean[] outline = rng.nextDouble() < config.outlineProbability() ? outline(box, h, w) : new boolean[n];
        int outlineCount = count(outline);

        // Flow structures until their nominal area reaches the target.
        List<FlowStructure> structures = new ArrayList<>();
        float[] field = new float[n];
        Arrays.fill(field, -10f);
        do {
            int before = structures.size();
            addStructure(rng, structures, sector, boxPixels, size, beat);
            // the field is the maximum over the structures: only the new ones need drawing
            for (FlowStructure s : structures.subList(before, structures.size())) s.rasterize(field, box, h, w, 0);
        } while (structures.size() < config.maxStructures() && countPositive(field, boxPixels) < target * sectorArea * config.structureExcess());

        // Texture: fine noise frays borders, mid-scale noise punches holes, pixel-scale noise adds
        // the mosaic look of turbulent or aliased flow. The shape field is capped at CORE so that
        // holes and mosaic can reach a structure's core, not only its border.
        long noiseSeed = rng.nextLong();
        double fine = Math.max(1.5, 0.012 * size), mid = Math.max(3, 0.045 * size);
        ValueNoise ragged = new ValueNoise(noiseSeed, fine, fine, config.noiseFrames());
        ValueNoise holes = new ValueNoise(noiseSeed ^ 0x5DEECE66DL, mid, mid * rng.uniform(0.7, 1.4), config.noiseFrames());
        ValueNoise mosaic = new ValueNoise(noiseSeed ^ 0x2545F4914F6CDD1DL, 1.3, 1.3, config.noiseFrames() / 2);
        double holeStrength = rng.uniform(0.15, 1) * config.holeMax();
        double raggedAmp = config.raggedness() * rng.uniform(0.5, 1.0);
        double mosaicAmp = rng.uniform(0, config.mosaic());

        float[][] masks = new float[frames][n];
        float[] values = new float[boxArea];
        for (int t = 0; t < frames; t++) {
            Arrays.fill(field, -10f);
            for (FlowStructure s : structures) s.rasterize(field, box, h, w, t);
            for (int j = 0; j < boxArea; j++) {
                int i = boxPixels[j];
                double x = i % w, y = i / w;
                double r = ragged.at(x, y, t), q = holes.at(x, y, t);
                double holeDepth = smoothstep(0.55, 0.25, q);
                double v = Math.max(Math.min(field[i], CORE), -3) + raggedAmp * (2 * r - 1) - holeStrength * holeDepth;
                if (mosaicAmp > 0) v += mosaicAmp * (2 * mosaic.at(x, y, t) - 1);
                field[i] = (float) v;
                // Outline pixels are set below anyway; keep them out of the top k so the count is exact.
                values[j] = outline[i] ? -Float.MAX_VALUE : (float) v;
            }
            double coverage = target * (1 + swing * (beat.pulse(t) - meanPulse));
            coverage = Math.max(config.coverageMin(), Math.min(config.coverageMax(), coverage));
            int k = (int) Math.round(coverage * sectorArea) - outlineCount;
            k = Math.max(0, Math.min(boxArea - outlineCount, k));
            float[] m = masks[t];
            if (k > 0) {
                float[] sorted = values.clone();
                Arrays.sort(sorted);
                float threshold = sorted[boxArea - k];
                int taken = 0;
                // Strictly above the threshold first, then ties, so that exactly k pixels are set.
                for (int j = 0; j < boxArea; j++) {
                    if (values[j] > threshold) {
                        m[boxPixels[j]] = 1f;
                        taken++;
                    }
                }
                for (int j = 0; j < boxArea && taken < k; j++) {
                    if (values[j] == threshold) {
                        m[boxPixels[j]] = 1f;
                        taken++;
                    }
                }
            }
            for (int i = 0; i < n; i++) if (outline[i]) m[i] = 1f;
        }
        float[] boxMask = new float[n];
        for (int i : boxPixels) boxMask[i] = 1f;
        return new CfdClipMask(h, w, masks, sector, boxMask, target);
    }

    private static double smoothstep(double edge0, double edge1, double x) {
        double u = Math.max(0, Math.min(1, (x - edge0) / (edge1 - edge0)));
        return u * u * (3 - 2 * u);
    }

    private static int count(boolean[] b) {
        int c = 0;
        for (boolean v : b) if (v) c++;
        return c;
    }

    private static int countPositive(float[] field, int[] pixels) {
        int c = 0;
        for (int i : pixels) if (field[i] > 0) c++;
        return c;
    }

    // ---------------------------------------------------------------- colour box

    /** A box covering about a fraction in [boxFractionMin, boxFractionMax] (at least minFraction) of the sector. */
    private boolean[] colourBox(Rng rng, ImagingSector sector, double minFraction) {
        double lo = Math.max(config.boxFractionMin(), minFraction * 1.05);
        double hi = Math.max(lo, config.boxFractionMax());
        double need = minFraction * sector.area();
        for (int attempt = 0; attempt < 12; attempt++) {
            double b = Math.min(1, rng.uniform(lo, hi));
            double split = rng.uniform(0.35, 0.65);
            double f1 = Math.pow(b, split), f2 = b / f1;
            boolean[] box = sector.kind() == ImagingSector.Kind.FAN ? wedge(rng, sector, f1, f2) : rectangle(rng, sector, f1, f2);
            if (count(box) >= need && count(box) > 0) return box;
        }
        boolean[] all = new boolean[sector.height() * sector.width()];
        for (int i = 0; i < all.length; i++) all[i] = sector.insideAt(i);
        return all;
    }

    private static boolean[] wedge(Rng rng, ImagingSector s, double angleFraction, double areaFraction) {
        double half = s.halfAngle();
        double span = 2 * half * angleFraction;
        double centre = rng.uniform(-half + span / 2, half - span / 2 + 1e-12);
        double r2min = s.rMin() * s.rMin(), r2max = s.rMax() * s.rMax();
        double r02 = r2min + rng.uniform(0.1, 0.9) * (1 - areaFraction) * (r2max - r2min);
        double r12 = r02 + areaFraction * (r2max - r2min);
        int h = s.height(), w = s.width();
        boolean[] box = new boolean[h * w];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (!s.insideAt(i)) continue;
                double dx = x - s.apexX(), dy = y - s.apexY();
                double r2 = dx * dx + dy * dy, a = Math.atan2(dx, dy);
                box[i] = r2 >= r02 && r2 <= r12 && Math.abs(a - centre) <= span / 2;
            }
        }
        return box;
    }

    private boolean[] rectangle(Rng rng, ImagingSector s, double widthFraction, double heightFraction) {
        int[] bb = s.bounds();
        double bw = bb[2] - bb[0] + 1, bh = bb[3] - bb[1] + 1;
        double rw = Math.max(2, widthFraction * bw), rh = Math.max(2, heightFraction * bh);
        double shear = 0;
        if (rng.nextDouble() < config.steeredBoxProbability()) {
            double maxShear = Math.min(Math.tan(Math.toRadians(config.maxSteerDegrees())), Math.max(0, (bw - rw) / rh));
            shear = rng.uniform(-maxShear, maxShear);
        }
        double extent = rw + rh * Math.abs(shear);
        double left = bb[0] + rng.uniform(0, Math.max(0, bw - extent)) + (shear < 0 ? rh * -shear : 0);
        double top = bb[1] + rng.uniform(0, Math.max(0, bh - rh));
        int h = s.height(), w = s.width();
        boolean[] box = new boolean[h * w];
        for (int y = 0; y < h; y++) {
            double dy = y - top;
            if (dy < 0 || dy >= rh) continue;
            double x0 = left + shear * dy;
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                box[i] = s.insideAt(i) && x >= x0 && x < x0 + rw;
            }
        }
        return box;
    }

    /** Pixels of the box with a 4-neighbour outside it (or on the frame edge). */
    private static boolean[] outline(boolean[] box, int h, int w) {
        boolean[] o = new boolean[box.length];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                if (!box[i]) continue;
                o[i] = x == 0 || y == 0 || x == w - 1 || y == h - 1
                        || !box[i - 1] || !box[i + 1] || !box[i - w] || !box[i + w];
            }
        }
        return o;
    }

    // ---------------------------------------------------------------- structures

    private FlowStructure.Motion motion(Rng rng, double size, FlowStructure.Motion beat) {
        double speed = rng.uniform(0, config.driftMax()) * size;
        double heading = rng.uniform(0, 2 * Math.PI);
        double wobble = rng.uniform(0, 0.01) * size;
        double phase = beat.phase() + (rng.nextDouble() < 0.3 ? 0.5 : 0) + rng.uniform(-0.05, 0.05);
        double swing = beat.swing() * rng.uniform(0.6, 1.4);
        return new FlowStructure.Motion(speed * Math.cos(heading), speed * Math.sin(heading), wobble,
                beat.period() * rng.uniform(1.5, 3), rng.uniform(0, 2 * Math.PI), beat.period(), phase,
                beat.sharpness(), swing);
    }

    private void addStructure(Rng rng, List<FlowStructure> out, ImagingSector sector, int[] boxPixels, double size,
            FlowStructure.Motion beat) {
        int w = sector.width();
        int p = boxPixels[rng.nextInt(boxPixels.length)];
        double px = p % w, py = p / w;
        double total = config.tubeWeight() + config.blobWeight() + config.jetWeight();
        double u = rng.uniform(0, total);
        if (u < config.tubeWeight()) {
            double radius = rng.uniform(config.tubeWidthMin(), config.tubeWidthMax()) * size / 2;
            double length = rng.uniform(0.3, 0.9) * boxDiagonal(boxPixels, w);
            double heading = rng.uniform(0, 2 * Math.PI);
            FlowStructure.Tube tube = tube(rng, motion(rng, size, beat), px, py, heading, length, radius, true);
            out.add(tube);
            if (rng.nextDouble() < config.branchProbability()) {
                int at = 1 + rng.nextInt(tubeLastVertex(tube));
                double[] xy = tubeVertex(tube, at);
                double side = rng.nextDouble() < 0.5 ? -1 : 1;
                out.add(tube(rng, tube.motion, xy[0], xy[1], xy[2] + side * rng.uniform(0.4, 1.1),
                        length * rng.uniform(0.3, 0.6), radius * rng.uniform(0.5, 0.8), false));
            }
        } else if (u < config.tubeWeight() + config.blobWeight()) {
            double r = rng.uniform(config.blobRadiusMin(), config.blobRadiusMax()) * size;
            double aspect = rng.uniform(1.0, 2.2);
            double[] amp = new double[3], ph = new double[3];
            for (int i = 0; i < 3; i++) {
                amp[i] = rng.uniform(-0.12, 0.12);
                ph[i] = rng.uniform(0, 2 * Math.PI);
            }
            out.add(new FlowStructure.Blob(motion(rng, size, beat), px, py, r * Math.sqrt(aspect), r / Math.sqrt(aspect),
                    rng.uniform(0, Math.PI), rng.uniform(-0.01, 0.01), amp, ph));
        } else {
            double length = rng.uniform(config.jetLengthMin(), config.jetLengthMax()) * size;
            double halfWidth = length * rng.uniform(0.2, 0.4);
            double direction;
            if (sector.kind() == ImagingSector.Kind.FAN) {
                // Along the beam (towards or away from the probe), as jets seen in echo mostly are.
                double beam = Math.atan2(px - sector.apexX(), py - sector.apexY());
                direction = beam + (rng.nextDouble() < 0.5 ? Math.PI : 0) + rng.uniform(-0.6, 0.6);
            } else {
                direction = rng.uniform(0, 2 * Math.PI);
            }
            // Start the jet behind the sampled point so that its body lies around it.
            double back = length * rng.uniform(0.1, 0.5);
            out.add(new FlowStructure.Jet(motion(rng, size, beat), px - Math.sin(direction) * back,
                    py - Math.cos(direction) * back, direction, rng.uniform(0, 0.25), length, halfWidth));
        }
    }

    private static double boxDiagonal(int[] boxPixels, int w) {
        int x0 = Integer.MAX_VALUE, y0 = Integer.MAX_VALUE, x1 = -1, y1 = -1;
        for (int i : boxPixels) {
            int x = i % w, y = i / w;
            x0 = Math.min(x0, x);
            x1 = Math.max(x1, x);
            y0 = Math.min(y0, y);
            y1 = Math.max(y1, y);
        }
        return Math.hypot(x1 - x0 + 1, y1 - y0 + 1);
    }

    private static final int TUBE_SEGMENTS = 10;

    /** A smooth curve through (cx, cy) (its middle, or its start for a branch) with a random-walk heading. */
    private static FlowStructure.Tube tube(Rng rng, FlowStructure.Motion motion, double cx, double cy, double heading,
            double length, double radius, boolean centred) {
        int m = TUBE_SEGMENTS + 1;
        double[] xs = new double[m], ys = new double[m], rs = new double[m], hs = new double[m];
        double step = length / TUBE_SEGMENTS;
        double turn = rng.uniform(-0.12, 0.12);
        hs[0] = heading;
        for (int i = 1; i < m; i++) hs[i] = hs[i - 1] + turn + 0.2 * rng.nextGaussian();
        xs[0] = 0;
        ys[0] = 0;
        for (int i = 1; i < m; i++) {
            xs[i] = xs[i - 1] + step * Math.cos(hs[i - 1]);
            ys[i] = ys[i - 1] + step * Math.sin(hs[i - 1]);
        }
        int anchor = centred ? m / 2 : 0;
        double ox = cx - xs[anchor], oy = cy - ys[anchor];
        double taper = centred ? 0 : 0.4;
        for (int i = 0; i < m; i++) {
            xs[i] += ox;
            ys[i] += oy;
            double along = i / (double) (m - 1);
            rs[i] = radius * Math.max(0.6, 1 + 0.12 * rng.nextGaussian()) * (1 - taper * along);
        }
        return new FlowStructure.Tube(motion, xs, ys, rs, hs);
    }

    private static int tubeLastVertex(FlowStructure.Tube t) {
        return t.vertexCount() - 1;
    }

    private static double[] tubeVertex(FlowStructure.Tube t, int i) {
        return new double[] {t.x(i), t.y(i), t.heading(i)};
    }
}
