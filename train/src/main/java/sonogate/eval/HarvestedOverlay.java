package sonogate.eval;

import java.util.SplittableRandom;
import sonogate.io.Frame;
import sonogate.io.mask.Sector;
import sonogate.io.overlay.CfdOverlay;

/**
 * Real colour flow ({@link HarvestedShape}) pasted onto a B-mode clip: the shape is scaled so that
 * it covers a coverage target drawn in [{@code coverageMin}, {@code coverageMax}] of the largest
 * part of the imaging sector, placed where most of it falls inside that part (the best of 32
 * seeded positions), cut to the part, and its pixels take the real clip's colours (nearest
 * sample), replacing the B-mode pixel as a scanner's colour priority does. Frame t shows the
 * shape's frame {@code t mod frames}. The truth mask is exactly the painted pixels.
 * Deterministic for the same sector, shape and seed.
 */
public final class HarvestedOverlay {
    private final HarvestedShape shape;
    private final Sector sector;
    private final int part;
    private final double scale, offsetX, offsetY;
    private final double target;

    public HarvestedOverlay(HarvestedShape shape, Sector sector, double coverageMin, double coverageMax, long seed) {
        this.shape = shape;
        this.sector = sector;
        SplittableRandom rng = new SplittableRandom(seed);
        Sector.Part p = sector.largestPart();
        this.part = sector.parts().indexOf(p);
        this.target = rng.nextDouble(coverageMin, coverageMax);
        double s = Math.sqrt(target * p.area() / Math.max(1, shape.meanArea()));
        // Never larger than the part's bounding box.
        s = Math.min(s, Math.min((p.x1() - p.x0() + 1) / (double) shape.boxWidth(), (p.y1() - p.y0() + 1) / (double) shape.boxHeight()));
        this.scale = s;
        double bw = shape.boxWidth() * s, bh = shape.boxHeight() * s;
        double bestX = p.x0(), bestY = p.y0();
        long best = -1;
        for (int k = 0; k < 32; k++) {
            double ox = p.x0() + rng.nextDouble() * Math.max(0, p.x1() - p.x0() + 1 - bw);
            double oy = p.y0() + rng.nextDouble() * Math.max(0, p.y1() - p.y0() + 1 - bh);
            long inside = insidePixels(ox, oy);
            if (inside > best) {
                best = inside;
                bestX = ox;
                bestY = oy;
            }
        }
        this.offsetX = bestX;
        this.offsetY = bestY;
    }

    /** The coverage target (fraction of the sector part's area) before cutting to the part. */
    public double targetCoverage() {
        return target;
    }

    /** Frame t painted over {@code bmode} (grey, the sector's size). */
    public CfdOverlay.Rendered render(Frame bmode, int t) {
        int w = sector.width(), h = sector.height(), n = w * h;
        if (bmode.width() != w || bmode.height() != h || bmode.channels() != 1) throw new IllegalArgumentException("need a grey " + w + "x" + h + " frame");
        int k = Math.floorMod(t, shape.masks().size());
        byte[] m = shape.masks().get(k), colours = shape.colours().get(k), grey = bmode.samples();
        byte[] rgb = new byte[3 * n], truth = new byte[n];
        for (int i = 0; i < n; i++) rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = grey[i];
        int x0 = Math.max(0, (int) Math.floor(offsetX)), y0 = Math.max(0, (int) Math.floor(offsetY));
        int x1 = Math.min(w - 1, (int) Math.ceil(offsetX + shape.boxWidth() * scale)), y1 = Math.min(h - 1, (int) Math.ceil(offsetY + shape.boxHeight() * scale));
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                int j = source(x, y);
                int i = y * w + x;
                if (j < 0 || m[j] == 0 || sector.partAt(i) != part) continue;
                System.arraycopy(colours, 3 * j, rgb, 3 * i, 3);
                truth[i] = 1;
            }
        }
        return new CfdOverlay.Rendered(new Frame(w, h, 3, rgb), truth);
    }

    /** The shape's pixel (index in its box) shown at target pixel (x, y), nearest sample; -1 outside the box. */
    private int source(int x, int y) {
        int sx = (int) Math.floor((x + 0.5 - offsetX) / scale), sy = (int) Math.floor((y + 0.5 - offsetY) / scale);
        if (sx < 0 || sy < 0 || sx >= shape.boxWidth() || sy >= shape.boxHeight()) return -1;
        return sy * shape.boxWidth() + sx;
    }

    private long insidePixels(double ox, double oy) {
        byte[] m = shape.masks().get(0);
        long inside = 0;
        int w = sector.width(), h = sector.height();
        for (int j = 0; j < m.length; j++) {
            if (m[j] == 0) continue;
            int x = (int) Math.floor(ox + (j % shape.boxWidth() + 0.5) * scale), y = (int) Math.floor(oy + (j / shape.boxWidth() + 0.5) * scale);
            if (x >= 0 && y >= 0 && x < w && y < h && sector.partAt(y * w + x) == part) inside++;
        }
        return inside;
    }
}
