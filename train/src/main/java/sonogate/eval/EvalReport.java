package sonogate.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The results of an evaluation run: per case and overall. Overall figures pool the frames of all
 * cases for SSIM, in-mask SSIM, PSNR and in-mask L1 (mean and population standard deviation over
 * frames); the flicker ratio is averaged over the cases with at least two frames; mask IoU over
 * all frames.
 *
 * @param methods the methods' names in the order they ran
 * @param failures one line per clip that could not be evaluated
 * @param notes lines to print with the table (e.g. that no trained model was given)
 */
public record EvalReport(List<String> methods, List<CaseResult> cases, List<String> failures, List<String> notes, double seconds) {
    /** Mean and standard deviation of one metric. */
    public record Stat(double mean, double std, int count) {
        static Stat of(List<Double> v) {
            double s = 0;
            int n = 0;
            for (double d : v) {
                if (Double.isNaN(d)) continue;
                s += d;
                n++;
            }
            if (n == 0) return new Stat(Double.NaN, Double.NaN, 0);
            double mean = s / n, ss = 0;
            for (double d : v) if (!Double.isNaN(d)) ss += (d - mean) * (d - mean);
            return new Stat(mean, Math.sqrt(ss / n), n);
        }
    }

    /** A method's overall figures. */
    public record Overall(Stat ssim, Stat ssimMask, Stat psnr, Stat l1Mask, Stat flickerRatio) {}

    public Overall overall(String method) {
        List<Double> ssim = new ArrayList<>(), ssimMask = new ArrayList<>(), psnr = new ArrayList<>(), l1 = new ArrayList<>(),
                flicker = new ArrayList<>();
        for (CaseResult c : cases) {
            MethodScores s = c.scores().get(method);
            for (int t = 0; t < s.ssim().length; t++) {
                ssim.add(s.ssim()[t]);
                ssimMask.add(s.ssimMask()[t]);
                psnr.add(s.psnr()[t]);
                l1.add(s.l1Mask()[t]);
            }
            flicker.add(s.flickerRatio());
        }
        return new Overall(Stat.of(ssim), Stat.of(ssimMask), Stat.of(psnr), Stat.of(l1), Stat.of(flicker));
    }

    public Stat maskIou() {
        List<Double> v = new ArrayList<>();
        for (CaseResult c : cases) for (double d : c.maskIou()) v.add(d);
        return Stat.of(v);
    }

    /** Per case lines, then the overall table (Markdown); deterministic (no timing inside). */
    public String table() {
        StringBuilder b = new StringBuilder();
        for (CaseResult c : cases) {
            EvalCase in = c.input();
            b.append(String.format(Locale.ROOT, "%s [%s]: %d frame(s) %dx%d, colour %.1f%% of the sector, mask IoU %.4f%n",
                    in.clip(), in.overlay(), in.frames(), in.width(), in.height(), 100 * in.coverage(), MethodScores.mean(c.maskIou())));
            for (var e : c.scores().entrySet()) {
                MethodScores s = e.getValue();
                b.append(String.format(Locale.ROOT, "  %-10s SSIM %.4f  in mask %.4f  PSNR %6.2f dB  in-mask L1 %.4f  flicker ratio %s%n",
                        e.getKey(), MethodScores.mean(s.ssim()), MethodScores.mean(s.ssimMask()), MethodScores.mean(s.psnr()),
                        MethodScores.mean(s.l1Mask()), Double.isNaN(s.flickerRatio()) ? "n/a (1 frame)" : String.format(Locale.ROOT, "%.3f", s.flickerRatio())));
            }
        }
        int frames = 0;
        for (CaseResult c : cases) frames += c.input().frames();
        b.append(String.format(Locale.ROOT, "%noverall: %d case(s), %d frame(s); mask IoU %s%n", cases.size(), frames, pm(maskIou(), 4)));
        b.append("| method | SSIM | SSIM in mask | PSNR (dB) | in-mask L1 | flicker ratio |\n|---|---|---|---|---|---|\n");
        for (String m : methods) {
            Overall o = overall(m);
            b.append("| ").append(m).append(" | ").append(pm(o.ssim(), 3)).append(" | ").append(pm(o.ssimMask(), 3)).append(" | ")
                    .append(pm(o.psnr(), 2)).append(" | ").append(pm(o.l1Mask(), 4)).append(" | ").append(pm(o.flickerRatio(), 3))
                    .append(" |\n");
        }
        for (String f : failures) b.append("not evaluated: ").append(f).append('\n');
        for (String n : notes) b.append("note: ").append(n).append('\n');
        return b.toString();
    }

    /**
     * The JSON: {@code {"methods": {"sonogate": {...}, "telea": {...}, "diffusion": {...},
     * "untrained": {...}}, "mask_iou": x}}, each method with ssim, ssim_std, ssim_mask,
     * ssim_mask_std, psnr, l1_mask, flicker_ratio; a method that did not run is {@code null}.
     */
    public String json() {
        StringBuilder b = new StringBuilder("{\n  \"methods\": {");
        String[] order = {"sonogate", "telea", "diffusion", "untrained"};
        for (int i = 0; i < order.length; i++) {
            b.append(i == 0 ? "\n" : ",\n").append("    \"").append(order[i]).append("\": ");
            if (!methods.contains(order[i])) {
                b.append("null");
                continue;
            }
            Overall o = overall(order[i]);
            b.append("{\"ssim\": ").append(num(o.ssim().mean())).append(", \"ssim_std\": ").append(num(o.ssim().std()))
                    .append(", \"ssim_mask\": ").append(num(o.ssimMask().mean())).append(", \"ssim_mask_std\": ").append(num(o.ssimMask().std()))
                    .append(", \"psnr\": ").append(num(o.psnr().mean())).append(", \"l1_mask\": ").append(num(o.l1Mask().mean()))
                    .append(", \"flicker_ratio\": ").append(num(o.flickerRatio().mean())).append('}');
        }
        return b.append("\n  },\n  \"mask_iou\": ").append(num(maskIou().mean())).append("\n}\n").toString();
    }

    private static String pm(Stat s, int digits) {
        if (s.count() == 0) return "n/a";
        return String.format(Locale.ROOT, "%." + digits + "f +/- %." + digits + "f", s.mean(), s.std());
    }

    private static String num(double d) {
        return Double.isFinite(d) ? String.format(Locale.ROOT, "%.6g", d) : "null";
    }
}
