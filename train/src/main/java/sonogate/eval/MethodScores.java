package sonogate.eval;

/**
 * A method's figures on one case, per frame where a frame has its own value; a frame without
 * painted colour has NaN for every per-frame figure (it tests no fill).
 *
 * @param ssim whole-frame SSIM per frame
 * @param ssimMask SSIM averaged over the truth mask, per frame
 * @param psnr whole-frame PSNR (dB, intensity in [0, 1]) per frame
 * @param l1Mask mean absolute error over the truth mask ([0, 1] units) per frame
 * @param flickerRatio the output's mean absolute frame-to-frame change in the truth mask over the
 *     truth's; NaN for a single frame
 */
public record MethodScores(double[] ssim, double[] ssimMask, double[] psnr, double[] l1Mask, double flickerRatio) {
    /** The mean of the values that are not NaN (a frame without colour has none); NaN when none is. */
    public static double mean(double[] v) {
        double s = 0;
        int n = 0;
        for (double d : v) {
            if (Double.isNaN(d)) continue;
            s += d;
            n++;
        }
        return n == 0 ? Double.NaN : s / n;
    }
}
