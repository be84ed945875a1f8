package sonogate.kernels;

/**
 * Naive double-precision conv2d, the oracle for {@link Conv2d}. Same conventions (backward passes add).
 * Written straight from the definition y[n,co,oh,ow] = b[co] + sum w[co,ci,ki,kj] x[n,ci,oh*s-p+ki*d,ow*s-p+kj*d]
 * (zero outside the image); the two backward passes are the same sum with the roles swapped.
 */
public final class Conv2dReference {
    private Conv2dReference() {}

    public static void forward(ConvGeometry g, double[] x, double[] w, double[] bias, double[] y) {
        check(g, x, w, y, bias);
        int n = g.batch(), ci = g.inChannels(), h = g.inH(), wi = g.inW(), co = g.outChannels(), k = g.kernel();
        int s = g.stride(), p = g.padding(), d = g.dilation(), oh = g.outH(), ow = g.outW();
        for (int b = 0; b < n; b++)
            for (int o = 0; o < co; o++)
                for (int yy = 0; yy < oh; yy++)
                    for (int xx = 0; xx < ow; xx++) {
                        double acc = bias == null ? 0.0 : bias[o];
                        for (int c = 0; c < ci; c++)
                            for (int ki = 0; ki < k; ki++) {
                                int ih = yy * s - p + ki * d;
                                if (ih < 0 || ih >= h) continue;
                                for (int kj = 0; kj < k; kj++) {
                                    int iw = xx * s - p + kj * d;
                                    if (iw < 0 || iw >= wi) continue;
                                    acc += w[((o * ci + c) * k + ki) * k + kj] * x[((b * ci + c) * h + ih) * wi + iw];
                                }
                            }
                        y[((b * co + o) * oh + yy) * ow + xx] = acc;
                    }
    }

    public static void backwardData(ConvGeometry g, double[] dy, double[] w, double[] dx) {
        check(g, dx, w, dy, null);
        int n = g.batch(), ci = g.inChannels(), h = g.inH(), wi = g.inW(), co = g.outChannels(), k = g.kernel();
        int s = g.stride(), p = g.padding(), d = g.dilation(), oh = g.outH(), ow = g.outW();
        for (int b = 0; b < n; b++)
            for (int o = 0; o < co; o++)
                for (int yy = 0; yy < oh; yy++)
                    for (int xx = 0; xx < ow; xx++) {
                        double gy = dy[((b * co + o) * oh + yy) * ow + xx];
                        for (int c = 0; c < ci; c++)
                            for (int ki = 0; ki < k; ki++) {
                                int ih = yy * s - p + ki * d;
                                if (ih < 0 || ih >= h) continue;
                                for (int kj = 0; kj < k; kj++) {
                                    int iw = xx * s - p + kj * d;
                                    if (iw < 0 || iw >= wi) continue;
                                    dx[((b * ci + c) * h + ih) * wi + iw] += w[((o * ci + c) * k + ki) * k + kj] * gy;
                                }
                            }
                    }
    }

    public static void backwardWeight(ConvGeometry g, double[] x, double[] dy, double[] dw, double[] dbias) {
        check(g, x, dw, dy, dbias);
        int n = g.batch(), ci = g.inChannels(), h = g.inH(), wi = g.inW(), co = g.outChannels(), k = g.kernel();
        int s = g.stride(), p = g.padding(), d = g.dilation(), oh = g.outH(), ow = g.outW();
        for (int b = 0; b < n; b++)
            for (int o = 0; o < co; o++)
                for (int yy = 0; yy < oh; yy++)
                    for (int xx = 0; xx < ow; xx++) {
                        double gy = dy[((b * co + o) * oh + yy) * ow + xx];
                        if (dbias != null) dbias[o] += gy;
                        for (int c = 0; c < ci; c++)
                            for (int ki = 0; ki < k; ki++) {
                                int ih = yy * s - p + ki * d;
                                if (ih < 0 || ih >= h) continue;
                                for (int kj = 0; kj < k; kj++) {
                                    int iw = xx * s - p + kj * d;
                                    if (iw < 0 || iw >= wi) continue;
                                    dw[((o * ci + c) * k + ki) * k + kj] += gy * x[((b * ci + c) * h + ih) * wi + iw];
                                }
                            }
                    }
    }

    private static void check(ConvGeometry g, double[] x, double[] w, double[] y, double[] bias) {
        Im2col.checkDoubles("x", x, g.inputSize(), g);
        Im2col.checkDoubles("w", w, g.weightSize(), g);
        Im2col.checkDoubles("y", y, g.outputSize(), g);
        if (bias != null) Im2col.checkDoubles("bias", bias, g.outChannels(), g);
    }
}
