package sonogate.nn;

import sonogate.tensor.Shapes;
import sonogate.tensor.Tape;
import sonogate.tensor.Tensor;
import sonogate.tensor.ops.Ops;

/**
 * Contextual attention (DeepFill v2, MODEL.md), foreground = background = the branch features f
 * [N, C, h, w]:
 * <ol>
 *   <li>match at half resolution (rate 2): 3x3 patches of the downsampled features, each
 *       L2-normalised, score every half-resolution position by cosine similarity (one batched
 *       GEMM: [L, C*9] x [C*9, L] for L = (h/2)(w/2));</li>
 *   <li>fuse the scores with a 3x3 identity kernel along rows, then (after swapping the spatial
 *       axes of both indices) along columns, so coherent neighbouring patches reinforce;</li>
 *   <li>background patches touching the hole get no weight: masked before and after a softmax
 *       over the background axis with scale 10;</li>
 *   <li>reconstruct by a transposed convolution with the raw 4x4 background patches at full
 *       feature resolution (a GEMM, then fold with stride 2), divided by 4.</li>
 * </ol>
 * Deviation, for gradients: patches are normalised by sqrt(sum(p^2) + 1e-4) instead of
 * max(|p|, 1e-4), which has no NaN gradient at an all-zero patch (DeepFill's PyTorch ports do the same).
 * Memory is O(N L^2): 4 MB per frame at the base config's 64x64 features.
 */
public final class ContextualAttention {
    private ContextualAttention() {}

    static final int RATE = 2;
    static final double SOFTMAX_SCALE = 10;
    static final double NORM_EPS = 1e-4;

    /**
     * @param f    features [N, C, h, w], h and w even
     * @param hole the hole mask at full frame resolution [N, 1, H, W] (1 = to reconstruct); a constant
     */
    public static Tensor apply(Tensor f, Tensor hole) {
        int[] s = f.shape();
        int n = s[0], c = s[1], h = s[2], w = s[3];
        if (h % RATE != 0 || w % RATE != 0 || hole.dim(2) % h != 0) {
            throw new IllegalArgumentException("contextual attention: features " + Shapes.str(s) + " and mask " + Shapes.str(hole.shape())
                    + " need even feature sizes that divide the mask's");
        }
        int hh = h / RATE, hw = w / RATE, l = hh * hw;

        // 1. cosine similarity of every half-resolution 3x3 patch (background) with every position (foreground)
        // (Tape.discard frees each intermediate in inference once used: the [N, L, L] ones dominate memory)
        Tensor half = Ops.subsample(f, RATE);
        Tensor patches = Ops.unfold(half, 3, 1, 1, 1);                                     // [N, C*9, L]
        Tape.discard(half);
        Tensor squares = Ops.mul(patches, patches);
        Tensor sums = Ops.sum(squares, true, 1);
        Tape.discard(squares);
        Tensor shifted = Ops.addScalar(sums, NORM_EPS);
        Tape.discard(sums);
        Tensor norms = Ops.sqrt(shifted);                                                  // [N, 1, L]
        Tape.discard(shifted);
        Tensor normalised = Ops.div(patches, norms);
        Tape.discard(norms);
        Tensor normalisedT = Ops.transpose(normalised, 1, 2);
        Tensor scores = Ops.matmul(normalisedT, patches);                                  // [N, L_bg, L_fg]
        Tape.discard(normalisedT);
        Tape.discard(normalised);
        Tape.discard(patches);

        // 2. fuse: identity 3x3 kernel over (bg, fg), then the same with both spatial axes swapped
        Tensor eye = identityKernel(f);   // owned by the caller's scope: backward needs it
        scores = fuse(scores, eye, n, l);
        scores = swapSpatialAxes(scores, n, hh, hw, l);
        scores = fuse(scores, eye, n, l);
        scores = swapSpatialAxes(scores, n, hw, hh, l);

        // 3. only background patches entirely outside the hole compete
        Tensor valid = validPatches(hole, h, n, l, f);                                    // [N, L, 1]
        Tensor masked = Ops.mul(scores, valid);
        Tape.discard(scores);
        Tensor scaled = Ops.mulScalar(masked, SOFTMAX_SCALE);
        Tape.discard(masked);
        Tensor softmax = Ops.softmax(scaled, 1);
        Tape.discard(scaled);
        Tensor attention = Ops.mul(softmax, valid);
        Tape.discard(softmax);

        // 4. paste raw 4x4 background patches weighted by attention (transposed conv, stride 2)
        Tensor raw = Ops.unfold(f, 2 * RATE, RATE, 1, 1);                                  // [N, C*16, L]
        Tensor pasted = Ops.matmul(raw, attention);                                        // [N, C*16, L_fg]
        Tape.discard(raw);
        Tape.discard(attention);
        Tensor folded = Ops.fold(pasted, h, w, 2 * RATE, RATE, 1, 1);
        Tape.discard(pasted);
        Tensor out = Ops.mulScalar(folded, 0.25);
        Tape.discard(folded);
        return out;
    }

    /** Scores [N, L, L] over (a, b) spatial positions [N, (p, q), (p, q)] -> the same with p and q swapped in both indices. */
    private static Tensor swapSpatialAxes(Tensor scores, int n, int p, int q, int l) {
        Tensor grid = Ops.reshape(scores, n, p, q, p, q);
        Tensor swapped = Ops.permute(grid, 0, 2, 1, 4, 3);
        Tensor out = Ops.reshape(swapped, n, l, l);                                        // a contiguous copy
        Tape.discard(swapped);
        Tape.discard(grid);
        Tape.discard(scores);
        return out;
    }

    private static Tensor fuse(Tensor scores, Tensor eye, int n, int l) {
        Tensor image = Ops.reshape(scores, n, 1, l, l);
        Tensor fused = Ops.conv2d(image, eye, null, 1, 1, 1);
        Tensor out = Ops.reshape(fused, n, l, l);
        Tape.discard(fused);
        Tape.discard(image);
        Tape.discard(scores);
        return out;
    }

    private static Tensor identityKernel(Tensor like) {
        double[] eye = new double[9];
        eye[0] = eye[4] = eye[8] = 1;
        return onDeviceOf(like, Tensor.of(like.dtype(), eye, 1, 1, 3, 3));
    }

    /** 1 for background patches (3x3 at half feature resolution) with no hole pixel, else 0. Constant. */
    private static Tensor validPatches(Tensor hole, int h, int n, int l, Tensor like) {
        int factor = hole.dim(2) / h * RATE;
        double[] m;
        int mh, mw;
        try (var ng = Tape.noGrad(); Tensor small = Ops.contiguous(Ops.subsample(hole, factor))) {
            m = small.toDoubleArray();
            mh = small.dim(2);
            mw = small.dim(3);
        }
        double[] valid = new double[n * l];
        for (int b = 0; b < n; b++)
            for (int i = 0; i < mh; i++)
                for (int j = 0; j < mw; j++) {
                    boolean clean = true;
                    for (int di = -1; di <= 1 && clean; di++)
                        for (int dj = -1; dj <= 1 && clean; dj++) {
                            int y = i + di, x = j + dj;
                            if (y >= 0 && y < mh && x >= 0 && x < mw && m[(b * mh + y) * mw + x] != 0) clean = false;
                        }
                    valid[b * l + i * mw + j] = clean ? 1 : 0;
                }
        return onDeviceOf(like, Tensor.of(like.dtype(), valid, n, l, 1));
    }

    /** A constant built on the host, moved to {@code like}'s device (on a GPU: one upload). */
    private static Tensor onDeviceOf(Tensor like, Tensor host) {
        if (like.device() == host.device()) return host;
        try (host) {
            return host.to(like.device());
        }
    }

    /** The two attention matrix products, as MODEL.md counts them: 2 L^2 C 9 + 2 L^2 C 16. */
    public static double flops(int channels, int h, int w) {
        double l = (double) (h / RATE) * (w / RATE);
        return 2 * l * l * channels * 9 + 2 * l * l * channels * 16;
    }
}
