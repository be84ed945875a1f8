package sonogate.nn;

import java.util.Locale;
import sonogate.tensor.Device;

/** What {@code sonogate info} prints: a configuration's layout, parameter counts and FLOPs. */
public final class ModelSummary {
    private ModelSummary() {}

    public static String describe(ModelConfig cfg, boolean listParameters) {
        StringBuilder out = new StringBuilder();
        try (Translator t = new Translator(cfg, Device.CPU, 0)) {
            ParameterStore p = t.parameters();
            int size = cfg.frameSize();
            long coarse = p.count("coarse."), refine = p.count("refine."), disc = p.count("disc.");
            out.append(String.format(Locale.ROOT, "config          %s (c=%d, %dx%d frames, attention %s, temporal %s%s)%n",
                    cfg.name(), cfg.width(), size, size, cfg.attention() ? "on" : "off", cfg.temporal() ? "on" : "off", cfg.prefill() ? ", hole pre-filled by diffusion" : ""));
            out.append(String.format(Locale.ROOT, "generator       %,d parameters (coarse %,d, refinement %,d)%n", coarse + refine, coarse, refine));
            out.append(String.format(Locale.ROOT, "discriminator   %,d parameters, channels %s%n", disc,
                    java.util.Arrays.toString(cfg.discriminatorChannels())));
            out.append(String.format(Locale.ROOT, "forward FLOPs   generator %.3f GFLOP/frame, discriminator %.3f GFLOP/frame%n",
                    t.generator().flops(size, size) / 1e9, t.discriminator().flops(size, size) / 1e9));
            out.append("                (2 x multiply-adds of every convolution plus the two attention matrix products, as MODEL.md counts)\n");
            if (listParameters) {
                for (ParameterStore.Entry e : p.parameters().values()) {
                    out.append(String.format(Locale.ROOT, "  %-32s %s%n", e.name(), java.util.Arrays.toString(e.shape())));
                }
                for (ParameterStore.Entry e : p.buffers().values()) {
                    out.append(String.format(Locale.ROOT, "  %-32s %s (buffer)%n", e.name(), java.util.Arrays.toString(e.shape())));
                }
            }
        }
        return out.toString();
    }
}
