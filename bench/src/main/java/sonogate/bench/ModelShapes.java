package sonogate.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import sonogate.kernels.ConvGeometry;

/**
 * The one list of layer and GEMM shapes every benchmark uses (JMH and {@code bench kernels}).
 *
 * <p>Layers are a representative set of the distinct convolutions of the generator in
 * shared/spec/MODEL.md, per config: a GatedConv(cin, n, k, s, d) is one conv cin -> n whose output
 * is gated down to n/2 channels; "same" padding d*(k-1)/2. Names are the same in every config so a
 * JMH parameter or a JSON row name can be compared across configs. With {@code c} the width and
 * {@code H} the frame side:
 *
 * <pre>
 * name     conv                     at        where in MODEL.md
 * in5      3    -> c   k5           H         coarse #1, refine branches' first layer
 * down1    c/2  -> 2c  k3 s2        H -> H/2  coarse #2
 * h2       c    -> 2c  k3           H/2       coarse #3, #14; refine merge "GatedConv k3 2c"
 * down2    c    -> 4c  k3 s2        H/2->H/4  coarse #4; attention branch "k3 s2 4c"
 * h4       2c   -> 4c  k3           H/4       coarse #5-6, #11-12
 * h4d2     2c   -> 4c  k3 d2        H/4       coarse #7, refine dilated branch
 * h4d8     2c   -> 4c  k3 d8        H/4       coarse #9
 * h4d16    2c   -> 4c  k3 d16       H/4       coarse #10 (padding 16: im2col mostly zeros at the borders)
 * merge    4c   -> 4c  k3           H/4       refine merge on concat (4c channels)
 * up2      2c   -> 2c  k3           H/2       coarse #13 (after nearest x2 upsampling)
 * up1      c    -> c   k3           H         coarse #15 (after upsampling)
 * h1       c/2  -> c/2 k3           H         coarse #16
 * out      c/4  -> 1   k3           H         Out (plain conv, then tanh)
 * </pre>
 *
 * The GEMM of a layer is its im2col GEMM per sample: M = cout, K = cin*k*k, N = outH*outW.
 * {@link #cpuNotesGemms()} adds the shapes measured in shared/spec/CPU-NOTES.md.
 */
public final class ModelShapes {
    private ModelShapes() {}

    /** A named config of MODEL.md: width c and frame side. */
    public record Config(String name, int c, int frame) {}

    public static final Config SMALL = new Config("small", 24, 128);
    public static final Config BASE = new Config("base", 48, 256);
    public static final List<Config> CONFIGS = List.of(SMALL, BASE);
    public static final List<Integer> BATCHES = List.of(1, 4);

    /** Layer names, in network order (the JMH {@code @Param} values use these). */
    public static final List<String> LAYER_NAMES = List.of(
            "in5", "down1", "h2", "down2", "h4", "h4d2", "h4d8", "h4d16", "merge", "up2", "up1", "h1", "out");

    /** One convolution layer of a config at a batch size. */
    public record Layer(String config, String name, ConvGeometry geometry, boolean gated) {
        /** e.g. {@code base.h4d8.b4}. */
        public String id() { return config + "." + name + ".b" + geometry.batch(); }
        /** The per-sample im2col GEMM of the forward pass. */
        public Gemm gemm() {
            ConvGeometry g = geometry;
            return new Gemm(config + "." + name, g.outChannels(), g.outH() * g.outW(), g.patchSize());
        }
        /** Short shape text: {@code 96->192 k3 s1 d8 @64 b4}. */
        public String shape() {
            ConvGeometry g = geometry;
            return g.inChannels() + "->" + g.outChannels() + " k" + g.kernel() + " s" + g.stride()
                    + (g.dilation() > 1 ? " d" + g.dilation() : "") + " @" + g.inH() + " b" + g.batch();
        }
    }

    /** A row-major GEMM C[m,n] = A[m,k] B[k,n]. */
    public record Gemm(String name, int m, int n, int k) {
        public double flops() { return 2.0 * m * n * k; }
        /** {@code M x K x N} as in CPU-NOTES.md. */
        public String shape() { return m + "x" + k + "x" + n; }
    }

    public static Config config(String name) {
        for (Config c : CONFIGS) if (c.name().equals(name)) return c;
        throw new IllegalArgumentException("unknown config '" + name + "' (small, base)");
    }

    /** The layer {@code name} of {@code config} at {@code batch}. */
    public static Layer layer(String config, String name, int batch) {
        for (Layer l : layers(config(config), batch)) if (l.name().equals(name)) return l;
        throw new IllegalArgumentException("unknown layer '" + name + "' (" + String.join(", ", LAYER_NAMES) + ")");
    }

    /** All representative layers of a config at a batch size, in network order. */
    public static List<Layer> layers(Config cfg, int batch) {
        int c = cfg.c(), h = cfg.frame();
        String n = cfg.name();
        List<Layer> out = new ArrayList<>();
        out.add(conv(n, "in5", batch, 3, c, 5, 1, 1, h, true));
        out.add(conv(n, "down1", batch, c / 2, 2 * c, 3, 2, 1, h, true));
        out.add(conv(n, "h2", batch, c, 2 * c, 3, 1, 1, h / 2, true));
        out.add(conv(n, "down2", batch, c, 4 * c, 3, 2, 1, h / 2, true));
        out.add(conv(n, "h4", batch, 2 * c, 4 * c, 3, 1, 1, h / 4, true));
        out.add(conv(n, "h4d2", batch, 2 * c, 4 * c, 3, 1, 2, h / 4, true));
        out.add(conv(n, "h4d8", batch, 2 * c, 4 * c, 3, 1, 8, h / 4, true));
        out.add(conv(n, "h4d16", batch, 2 * c, 4 * c, 3, 1, 16, h / 4, true));
        out.add(conv(n, "merge", batch, 4 * c, 4 * c, 3, 1, 1, h / 4, true));
        out.add(conv(n, "up2", batch, 2 * c, 2 * c, 3, 1, 1, h / 2, true));
        out.add(conv(n, "up1", batch, c, c, 3, 1, 1, h, true));
        out.add(conv(n, "h1", batch, c / 2, c / 2, 3, 1, 1, h, true));
        out.add(conv(n, "out", batch, c / 4, 1, 3, 1, 1, h, false));
        return out;
    }

    private static Layer conv(String cfg, String name, int batch, int cin, int cout, int k, int s, int d, int at,
                              boolean gated) {
        int pad = d * (k - 1) / 2;
        return new Layer(cfg, name, new ConvGeometry(batch, cin, at, at, cout, k, s, pad, d), gated);
    }

    /** The distinct per-sample im2col GEMMs of every config's layers (dilation does not change the GEMM). */
    public static List<Gemm> modelGemms() {
        Map<String, Gemm> byShape = new LinkedHashMap<>();
        for (Config cfg : CONFIGS) {
            for (Layer l : layers(cfg, 1)) byShape.putIfAbsent(l.gemm().shape(), l.gemm());
        }
        return List.copyOf(byShape.values());
    }

    /** The M x K x N products of CPU-NOTES.md's prototype table. */
    public static List<Gemm> cpuNotesGemms() {
        return List.of(
                new Gemm("notes.384x1728x4096", 384, 4096, 1728),
                new Gemm("notes.192x1728x16384", 192, 16384, 1728),
                new Gemm("notes.96x864x65536", 96, 65536, 864),
                new Gemm("notes.128x576x1024", 128, 1024, 576),
                new Gemm("notes.64x288x256", 64, 256, 288),
                new Gemm("notes.1024x1024x1024", 1024, 1024, 1024));
    }

    /** Every GEMM benchmark shape: the model's, then CPU-NOTES.md's. */
    public static List<Gemm> allGemms() {
        List<Gemm> all = new ArrayList<>(modelGemms());
        all.addAll(cpuNotesGemms());
        return all;
    }

    /** Looks a GEMM up by name (as in {@link #allGemms()}). */
    public static Gemm gemm(String name) {
        for (Gemm g : allGemms()) if (g.name().equals(name)) return g;
        throw new IllegalArgumentException("unknown gemm '" + name + "'");
    }

    /**
     * Gating shapes [N, 2C, HW] -> [N, C, HW]: the gate after each distinct conv output size of a
     * config (C = n/2 of the gated layer, HW its output size).
     */
    public record Gate(String name, int n, int c, int hw) {
        /** Bytes moved by forward: read x (2C), write y (C). */
        public double forwardBytes() { return 4.0 * n * hw * 3 * c; }
        /** Bytes moved by backward: read x (2C) and dy (C), read and write dx (2C). */
        public double backwardBytes() { return 4.0 * n * hw * 7 * c; }
        public String shape() { return "[" + n + "," + (2 * c) + "," + hw + "]"; }
    }

    /** Gates of a config at a batch size: at H (in5), H/2 (h2) and H/4 (h4). */
    public static List<Gate> gates(Config cfg, int batch) {
        List<Gate> out = new ArrayList<>();
        for (Layer l : layers(cfg, batch)) {
            if (!l.gated() || !(l.name().equals("in5") || l.name().equals("h2") || l.name().equals("h4"))) continue;
            ConvGeometry g = l.geometry();
            out.add(new Gate(l.id(), batch, g.outChannels() / 2, g.outH() * g.outW()));
        }
        return out;
    }
}
