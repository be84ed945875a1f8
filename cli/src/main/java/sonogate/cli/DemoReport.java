package sonogate.cli;

import java.util.Locale;
import sonogate.eval.CaseResult;
import sonogate.eval.EvalCase;
import sonogate.eval.EvalReport;
import sonogate.eval.MethodScores;

/** The demo's {@code index.html}: a self-contained page (inline CSS, no scripts) over the demo's files. */
final class DemoReport {
    private DemoReport() {}

    static String html(EvalReport report, String primary, String modelNote, double cfdCoverage, double fps) {
        CaseResult bm = report.cases().get(0);
        EvalCase c = bm.input();
        StringBuilder b = new StringBuilder();
        b.append("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>sonogate demo</title>
                <style>
                body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
                img{max-width:100%;image-rendering:pixelated;border:1px solid #ccc}
                table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:4px 10px;text-align:right}
                th:first-child,td:first-child{text-align:left}.note{background:#fff4d6;padding:.6em 1em;border-left:4px solid #e0a800}
                figure{display:inline-block;margin:.5em;vertical-align:top}figcaption{font-size:90%;text-align:center}
                </style></head><body>
                <h1>sonogate demo</h1>
                """);
        b.append("<p>Colour-flow Doppler translated into the B-mode underneath, by ").append(esc(modelNote)).append(".</p>\n");
        if (primary.equals("untrained")) {
            b.append("<p class=\"note\">No trained model was available: the outputs below come from the <b>untrained</b> network, "
                    + "to show the pipeline, not the quality of a trained model. Give one with <code>sonogate demo --model CKPT</code>.</p>\n");
        }
        b.append("<h2>1. A real power-Doppler image</h2>\n<p>GE LOGIQ 700, lymph node, dual view (<code>US1_UNCR</code>, pydicom-data, MIT). ")
                .append(String.format(Locale.ROOT, "The estimated colour flow covers %.1f%% of the frame.", 100 * cfdCoverage))
                .append(" There is no ground truth for a real CFD frame: judge by eye.</p>\n");
        b.append("<figure><img src=\"cfd/compare.png\" alt=\"input, mask and output of the power-Doppler frame\">")
                .append("<figcaption>input | estimated mask | output</figcaption></figure>\n");
        b.append("<figure><img src=\"cfd/mask.png\" alt=\"mask preview\" width=\"420\"><figcaption>mask estimate (magenta), imaging sector (green)</figcaption></figure>\n");
        b.append("<figure><img src=\"cfd/output.png\" alt=\"translated frame\" width=\"420\"><figcaption>output</figcaption></figure>\n");
        b.append("<h2>2. A real B-mode clip with synthetic colour flow</h2>\n<p>Lung, linear probe (<code>Reg_Image_18122_crop</code>, "
                + "POCUS dataset, CC BY 4.0). ").append(String.format(Locale.ROOT,
                "Synthetic colour flow (vessels and chambers, red/blue velocity palette) was painted over %d frames at %.1f%% of the imaging sector; "
                        + "the mask was estimated from the painted frames alone (IoU with the painted pixels %.4f), then filled by each method "
                        + "and compared with the original frames. GIFs play at %.0f frames/s.</p>\n",
                c.frames(), 100 * c.coverage(), MethodScores.mean(bm.maskIou()), fps));
        b.append("<table><tr><th>method</th><th>SSIM</th><th>SSIM in mask</th><th>PSNR (dB)</th><th>in-mask L1</th><th>flicker ratio</th></tr>\n");
        for (String m : report.methods()) {
            EvalReport.Overall o = report.overall(m);
            b.append("<tr><td>").append(esc(m)).append("</td>").append(cell(o.ssim(), 3)).append(cell(o.ssimMask(), 3)).append(cell(o.psnr(), 2))
                    .append(cell(o.l1Mask(), 4)).append(String.format(Locale.ROOT, "<td>%.3f</td>", o.flickerRatio().mean())).append("</tr>\n");
        }
        b.append("</table>\n<p>Mean &plusmn; standard deviation over the frames. SSIM in mask and in-mask L1 (grey in [0, 1]) are "
                + "measured over the painted pixels; the flicker ratio is the output's mean frame-to-frame change there over the "
                + "original's (1 = as steady as the truth). Telea: fast-marching inpainting; diffusion: harmonic fill. "
                + "The full evaluation is <code>sonogate eval</code>.</p>\n");
        b.append("<figure><img src=\"bmode/compare.gif\" alt=\"painted input, mask and output\"><figcaption>painted input | estimated mask | ")
                .append(esc(primary)).append(" output</figcaption></figure>\n");
        b.append("<figure><img src=\"bmode/truth.gif\" alt=\"original\" width=\"208\"><figcaption>original (truth)</figcaption></figure>\n");
        for (String m : report.methods()) {
            b.append("<figure><img src=\"bmode/").append(esc(m)).append(".gif\" alt=\"").append(esc(m)).append(" output\" width=\"208\"><figcaption>")
                    .append(esc(m)).append("</figcaption></figure>\n");
        }
        b.append("<figure><img src=\"bmode/mask.png\" alt=\"mask estimate vs painted truth\" width=\"208\"><figcaption>first frame: both (white), "
                + "estimate only (magenta), missed (green)</figcaption></figure>\n");
        b.append("<h2>Credits</h2>\n<p>The two clips are public recordings redistributed under their licences: "
                + "<code>US1_UNCR.dcm</code> from pydicom/pydicom-data (MIT, Copyright (c) 2020 Dicom in Python); "
                + "<code>Reg_Image_18122_crop.mp4</code> from jannisborn/covid19_pocus_ultrasound (Born et al., Applied Sciences 2021; "
                + "CC BY 4.0). Details: <a href=\"credits/CREDITS.md\">credits/CREDITS.md</a>.</p>\n</body></html>\n");
        return b.toString();
    }

    private static String cell(EvalReport.Stat s, int digits) {
        return String.format(Locale.ROOT, "<td>%." + digits + "f &plusmn; %." + digits + "f</td>", s.mean(), s.std());
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
