package sonogate.train.data;

import java.util.Objects;
import sonogate.train.Rng;

/**
 * Chooses each training sample's hole: CFD-like clip masks ({@link CfdMaskGenerator}), DeepFill
 * v2 brush strokes ({@link FreeFormStrokes}), or their union, by configured probabilities.
 * Strokes are drawn once per sample and held for every frame of the clip (a still hole; the
 * CFD-like masks carry the motion). Deterministic given the {@link Rng} state; thread-safe.
 */
public final class MaskMixer {

    /** What a sample's mask was made of. */
    public enum Kind { CFD, STROKES, UNION }

    /**
     * @param cfdProbability     chance of a CFD-like mask alone; default 0.6
     * @param strokesProbability chance of strokes alone; default 0.25 (the rest, 0.15, is the union)
     * @param strokesInSector    restrict strokes to the imaging sector (outside it the frame is black
     *                           and trivially filled); default true
     */
    public record Config(double cfdProbability, double strokesProbability, boolean strokesInSector) {
        public Config {
            if (!(cfdProbability >= 0 && strokesProbability >= 0 && cfdProbability + strokesProbability <= 1 + 1e-12)) {
                throw new IllegalArgumentException("probabilities must be >= 0 with a sum <= 1: "
                        + cfdProbability + ", " + strokesProbability);
            }
        }

        public static Config defaults() {
            return new Config(0.6, 0.25, true);
        }

        public double unionProbability() {
            return Math.max(0, 1 - cfdProbability - strokesProbability);
        }
    }

    /** One sample's masks: {@code masks[t]} is frame t's H x W 0/1 mask. */
    public record Sample(Kind kind, float[][] masks, ImagingSector sector) {}

    private final Config config;
    private final CfdMaskGenerator cfd;
    private final FreeFormStrokes strokes;

    public MaskMixer(Config config, CfdMaskGenerator cfd, FreeFormStrokes strokes) {
        this.config = Objects.requireNonNull(config, "config");
        this.cfd = Objects.requireNonNull(cfd, "cfd");
        this.strokes = Objects.requireNonNull(strokes, "strokes");
    }

    /** The defaults of all three parts. */
    public static MaskMixer defaults() {
        return new MaskMixer(Config.defaults(), new CfdMaskGenerator(CfdMaskConfig.defaults()), new FreeFormStrokes());
    }

    public Config config() {
        return config;
    }

    /** Masks for a clip of {@code frames} frames in a random default sector. */
    public Sample sample(Rng rng, int frames, int height, int width) {
        return sample(rng, frames, ImagingSector.random(rng, height, width, cfd.config().fanProbability()));
    }

    /** Masks for a clip of {@code frames} frames in {@code sector}. */
    public Sample sample(Rng rng, int frames, ImagingSector sector) {
        if (frames < 1) throw new IllegalArgumentException("frames must be >= 1: " + frames);
        double u = rng.nextDouble();
        Kind kind = u < config.cfdProbability() ? Kind.CFD
                : u < config.cfdProbability() + config.strokesProbability() ? Kind.STROKES : Kind.UNION;
        int h = sector.height(), w = sector.width();
        float[][] masks = new float[frames][];
        if (kind == Kind.CFD) {
            float[][] c = cfd.generate(rng, frames, sector).masks();
            System.arraycopy(c, 0, masks, 0, frames);
            return new Sample(kind, masks, sector);
        }
        float[] stroke = null;
        // Strokes restricted to the sector can (rarely) miss it; draw again a few times.
        for (int attempt = 0; attempt < 8; attempt++) {
            stroke = strokes.generate(rng, h, w);
            if (!config.strokesInSector()) break;
            boolean any = false;
            for (int i = 0; i < stroke.length; i++) {
                if (!sector.insideAt(i)) stroke[i] = 0f;
                else any |= stroke[i] > 0.5f;
            }
            if (any) break;
        }
        float[][] c = kind == Kind.UNION ? cfd.generate(rng, frames, sector).masks() : null;
        for (int t = 0; t < frames; t++) {
            float[] m = stroke.clone();
            if (c != null) for (int i = 0; i < m.length; i++) m[i] = Math.max(m[i], c[t][i]);
            masks[t] = m;
        }
        return new Sample(kind, masks, sector);
    }
}
