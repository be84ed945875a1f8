package sonogate.nn;

import java.util.Locale;

/**
 * A translator configuration (MODEL.md "Named configs"): width {@code c} (DeepFill v2's cnum),
 * square frame size, whether the refinement network's contextual-attention branch is on, and the
 * temporal option (previous and next masked frames as extra input channels), and the prefill option
 * (a sonogate deviation from MODEL.md, see {@link Generator}: the hole enters pre-filled by
 * {@link HarmonicFill} and both stages predict a correction of that fill).
 */
public record ModelConfig(String name, int width, int frameSize, boolean attention, boolean temporal, boolean prefill) {

    public ModelConfig {
        if (width < 4 || width % 4 != 0) throw new IllegalArgumentException("config " + name + ": width " + width + " must be a positive multiple of 4");
        if (frameSize < 64 || frameSize % 64 != 0) {
            throw new IllegalArgumentException("config " + name + ": frame size " + frameSize + " must be a multiple of 64 (the discriminator halves it six times)");
        }
    }

    public static final ModelConfig TINY = new ModelConfig("tiny", 8, 64, true, false, false);
    public static final ModelConfig SMALL = new ModelConfig("small", 24, 128, true, false, false);
    public static final ModelConfig BASE = new ModelConfig("base", 48, 256, true, false, false);

    /** tiny, small or base, optionally suffixed {@code -noattn}, {@code -temporal} and/or {@code -prefill}. */
    public static ModelConfig named(String spec) {
        String s = spec.toLowerCase(Locale.ROOT);
        boolean noAttention = s.contains("-noattn"), temporal = s.contains("-temporal"), prefill = s.contains("-prefill");
        String base = s.replace("-noattn", "").replace("-temporal", "").replace("-prefill", "");
        ModelConfig c = switch (base) {
            case "tiny" -> TINY;
            case "small" -> SMALL;
            case "base" -> BASE;
            default -> throw new IllegalArgumentException("unknown config '" + spec + "' (tiny, small, base; suffixes -noattn, -temporal, -prefill)");
        };
        return new ModelConfig(spec.toLowerCase(Locale.ROOT), c.width, c.frameSize, !noAttention, temporal, prefill);
    }

    /** Generator input channels: [x_in, ones, m], plus the neighbouring frames and masks when temporal. */
    public int inputChannels() {
        return temporal ? 9 : 3;
    }

    /** SN-PatchGAN widths: 64, 128, 256, 256, 256, 256 scaled by c/48 (rounded down), at least 16. */
    public int[] discriminatorChannels() {
        int[] base = {64, 128, 256, 256, 256, 256};
        int[] out = new int[base.length];
        for (int i = 0; i < base.length; i++) out[i] = Math.max(16, base[i] * width / 48);
        return out;
    }
}
