package sonogate.io.overlay;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import sonogate.io.Frame;
import sonogate.io.mask.Sector;

/**
 * Paints synthetic colour flow over a B-mode clip the way a scanner displays CFD, with the exact
 * ground-truth mask: for measuring mask estimation and translation on real B-mode clips.
 *
 * <p>{@link #plan} fixes, from a seed, everything about the clip: a colour box inside the largest
 * part of the imaging sector ({@link ColourBox}), a coverage target in
 * [{@link Settings#coverageMin()}, {@link Settings#coverageMax()}] of that part, a beat, and flow
 * structures in the box ({@link FlowStructure}: vessels and chambers that drift and pulse).
 * {@link #render} then paints frame t: the structures' shape field, frayed by fine noise and
 * punched by mid-scale holes, thresholded at the level that makes the frame's coverage follow the
 * target over the beat; every chosen pixel takes the colour of its velocity (laminar in vessels,
 * swirling in chambers, with turbulence, aliasing above the scale and a wall filter below it) from
 * the {@link FlowPalette}, replacing the B-mode pixel as a scanner's colour priority does. With
 * {@link Outline#COLOURED} the box's 1-pixel outline is drawn in a display colour and belongs to
 * the truth (MODEL.md: colour-box outlines are part of the mask); a {@link Outline#GREY} outline
 * is drawn but is not colour, so not in the truth.
 *
 * <p>Deterministic: same sector, settings and seed, same frames, in any order. Thread-safe.
 */
public final class CfdOverlay {
  /** How the colour box's outline is drawn. */
  public enum Outline { NONE, COLOURED, GREY }

  /** Outline colours of real displays (GE's khaki, a cyan, a yellow); one is picked per seed. */
  static final int[] OUTLINE_COLOURS = {0xB0B06C, 0x5AC8FA, 0xE6E650};
  static final int GREY_OUTLINE = 0xC8C8C8;
  /** The colour fills at most this fraction of the box. */
  static final double MAX_FILL = 0.6;
  /** Slowest speed displayed (the wall filter), as a fraction of the scale. */
  static final double WALL = 0.12;
  /** Colour may grow this far outside a structure (in radii) when the frame's coverage needs it. */
  static final double REACH = -3;

  /**
   * Tunables; lengths are fractions of the frame's shorter side S, coverage fractions of the area
   * of the sector part the box is in.
   *
   * @param coverageMin   lowest colour coverage of a frame; default 0.10
   * @param coverageMax   highest; default 0.30 (every frame stays within [min, max] when the box can hold it)
   * @param palette       velocity (red/blue) or power (orange/yellow); default VELOCITY
   * @param outline       the colour box's outline; default COLOURED
   * @param maxStructures most vessels and chambers; default 6
   * @param beatMinFrames shortest beat (frames); default 12
   * @param beatMaxFrames longest beat; default 30
   * @param swing         relative swing of coverage and size over a beat; default 0.3
   * @param drift         drift amplitude of a structure (fraction of S); default 0.02
   * @param raggedness    fine noise that frays borders (in radii); default 0.25
   * @param holes         strength of mid-scale holes (patchy colour); default 0.5
   * @param turbulence    velocity noise (fraction of the scale); default 0.25
   */
  public record Settings(double coverageMin, double coverageMax, FlowPalette palette, Outline outline, int maxStructures,
      double beatMinFrames, double beatMaxFrames, double swing, double drift, double raggedness, double holes,
      double turbulence) {
    public Settings {
      if (!(coverageMin > 0 && coverageMin <= coverageMax && coverageMax < MAX_FILL)) {
        throw new IllegalArgumentException("need 0 < coverageMin <= coverageMax < " + MAX_FILL + ": " + coverageMin + ", " + coverageMax);
      }
      java.util.Objects.requireNonNull(palette, "palette");
      java.util.Objects.requireNonNull(outline, "outline");
      if (maxStructures < 1) throw new IllegalArgumentException("max structures " + maxStructures);
      if (!(beatMinFrames >= 2 && beatMinFrames <= beatMaxFrames)) throw new IllegalArgumentException("beat range");
      if (!(swing >= 0 && swing < 1 && drift >= 0 && raggedness >= 0 && holes >= 0 && turbulence >= 0)) {
        throw new IllegalArgumentException("swing in [0, 1), drift, raggedness, holes, turbulence >= 0");
      }
    }

    public static Settings defaults() {
      return new Settings(0.10, 0.30, FlowPalette.VELOCITY, Outline.COLOURED, 6, 12, 30, 0.3, 0.02, 0.25, 0.5, 0.25);
    }

    /**
     * The defaults with the palette and outline varied by the seed (power Doppler for every third
     * seed, outline coloured, grey or none in turn), so a run over seeds covers every display.
     */
    public static Settings forSeed(long seed) {
      FlowPalette palette = Math.floorMod(seed, 3) == 0 ? FlowPalette.POWER : FlowPalette.VELOCITY;
      return defaults().with(palette, Outline.values()[(int) Math.floorMod(Math.floorDiv(seed, 3), 3)]);
    }

    public Settings with(FlowPalette p, Outline o) {
      return new Settings(coverageMin, coverageMax, p, o, maxStructures, beatMinFrames, beatMaxFrames, swing, drift,
          raggedness, holes, turbulence);
    }
  }

  /** A rendered frame: the RGB display and the ground truth (1 = colour pixel), row-major. */
  public record Rendered(Frame frame, byte[] truth) {
    public int truthPixels() {
      int n = 0;
      for (byte b : truth) n += b;
      return n;
    }
  }

  private final Sector sector;
  private final Settings settings;
  private final int part, partArea;
  private final boolean[] box, outline;
  private final int[] boxPixels;
  private final int boxX0, boxY0, boxX1, boxY1;
  private final double target, beatPeriod, beatPhase;
  private final int outlineColour;
  private final List<FlowStructure> structures;
  private final ValueNoise ragged, holes, turbulence;

  private CfdOverlay(Sector sector, Settings settings, long seed) {
    this.sector = sector;
    this.settings = settings;
    SplittableRandom rng = new SplittableRandom(seed);
    Sector.Part p = sector.largestPart();
    this.part = sector.parts().indexOf(p);
    this.partArea = p.area();
    int w = sector.width(), h = sector.height();
    double size = Math.min(w, h);
    this.target = rng.nextDouble(settings.coverageMin(), settings.coverageMax() + 1e-12);
    this.beatPeriod = rng.nextDouble(settings.beatMinFrames(), settings.beatMaxFrames() + 1e-9);
    this.beatPhase = rng.nextDouble();
    double peak = Math.min(settings.coverageMax(), target * (1 + settings.swing() / 2));
    this.box = ColourBox.draw(rng, sector, part, peak / MAX_FILL);
    int nBox = ColourBox.count(box);
    this.boxPixels = new int[nBox];
    int x0 = w, y0 = h, x1 = -1, y1 = -1;
    for (int i = 0, j = 0; i < box.length; i++) {
      if (!box[i]) continue;
      boxPixels[j++] = i;
      x0 = Math.min(x0, i % w);
      x1 = Math.max(x1, i % w);
      y0 = Math.min(y0, i / w);
      y1 = Math.max(y1, i / w);
    }
    this.boxX0 = x0;
    this.boxY0 = y0;
    this.boxX1 = x1;
    this.boxY1 = y1;
    this.outline = settings.outline() == Outline.NONE ? new boolean[box.length] : edge(box, w, h);
    this.outlineColour = settings.outline() == Outline.GREY ? GREY_OUTLINE : OUTLINE_COLOURS[rng.nextInt(OUTLINE_COLOURS.length)];
    this.structures = new ArrayList<>();
    // Structures until they cover 1.2 x the peak coverage in the first frame (or the maximum).
    boolean[] covered = new boolean[w * h];
    int count = 0;
    while (nBox > 0 && structures.size() < settings.maxStructures()) {
      FlowStructure s = structure(rng, size, w);
      structures.add(s);
      FlowStructure.Pose pose = s.at(0);
      int[] r = clip(pose.reach());
      for (int y = r[1]; y <= r[3]; y++) {
        for (int x = r[0]; x <= r[2]; x++) {
          int i = y * w + x;
          if (box[i] && !covered[i] && pose.shape(x, y) > 0) {
            covered[i] = true;
            count++;
          }
        }
      }
      if (count >= 1.2 * peak * partArea) break;
    }
    long noiseSeed = rng.nextLong();
    double fine = Math.max(1.5, 0.012 * size), mid = Math.max(3, 0.045 * size);
    this.ragged = new ValueNoise(noiseSeed, fine, fine, 6);
    this.holes = new ValueNoise(noiseSeed ^ 0x5DEECE66DL, mid, mid, 8);
    this.turbulence = new ValueNoise(noiseSeed ^ 0x2545F4914F6CDD1DL, 1.6, 1.6, 2);
  }

  /**
   * Plans a clip's overlay in {@code sector} (the frames' size is the sector's).
   *
   * @throws IllegalArgumentException when the sector's largest part is too small to hold a box
   */
  public static CfdOverlay plan(Sector sector, Settings settings, long seed) {
    CfdOverlay o = new CfdOverlay(sector, settings, seed);
    if (o.boxPixels.length < 16) throw new IllegalArgumentException("the imaging sector is too small for a colour box");
    return o;
  }

  /** The colour box (true inside), a copy. */
  public boolean[] colourBox() {
    return box.clone();
  }

  /** The clip's mean coverage target (fraction of the sector part's area). */
  public double targetCoverage() {
    return target;
  }

  /** Area of the sector part the box lies in: coverage is relative to it. */
  public int partArea() {
    return partArea;
  }

  /** Frame t's coverage target: the clip's target swinging with the beat, within the settings' range. */
  public double coverage(int t) {
    double beat = 0.5 * (1 + Math.sin(2 * Math.PI * (t / beatPeriod + beatPhase)));
    double c = target * (1 + settings.swing() * (beat - 0.5));
    return Math.max(settings.coverageMin(), Math.min(settings.coverageMax(), c));
  }

  /** Frame {@code t} (0-based) of the clip painted over {@code bmode} (grey or RGB, the sector's size). */
  public Rendered render(Frame bmode, int t) {
    int w = sector.width(), h = sector.height(), n = w * h;
    if (bmode.width() != w || bmode.height() != h) throw new IllegalArgumentException("frame " + bmode + " for a " + w + "x" + h + " sector");
    float[] field = new float[n];
    int[] owner = new int[n];
    rasterize(t, field, owner);
    // Texture the field, then keep the k highest pixels: k follows the beat's coverage target.
    int[] cand = new int[boxPixels.length];
    float[] value = new float[boxPixels.length];
    int m = 0;
    for (int i : boxPixels) {
      if (field[i] <= REACH || outline[i]) continue;
      double x = i % w, y = i / w;
      double depth = smoothstep(0.55, 0.25, holes.at(x, y, t));
      double v = Math.min(field[i], 0.6) + settings.raggedness() * (2 * ragged.at(x, y, t) - 1) - settings.holes() * depth;
      cand[m] = i;
      value[m++] = (float) v;
    }
    int k = (int) Math.round(coverage(t) * partArea);
    k = Math.max((int) Math.ceil(settings.coverageMin() * partArea), Math.min((int) Math.floor(settings.coverageMax() * partArea), k));
    k = Math.min(m, k);
    boolean[] chosen = new boolean[n];
    if (k > 0) {
      float[] sorted = Arrays.copyOf(value, m);
      Arrays.sort(sorted);
      float level = sorted[m - k];
      int taken = 0;
      for (int j = 0; j < m; j++) if (value[j] > level) { chosen[cand[j]] = true; taken++; }
      for (int j = 0; j < m && taken < k; j++) if (value[j] == level) { chosen[cand[j]] = true; taken++; }
    }
    byte[] truth = new byte[n], src = bmode.samples(), rgb;
    if (bmode.channels() == 3) {
      rgb = src.clone();
    } else {
      rgb = new byte[3 * n];
      for (int i = 0, j = 0; i < n; i++, j += 3) rgb[j] = rgb[j + 1] = rgb[j + 2] = src[i];
    }
    FlowStructure.Pose[] poses = new FlowStructure.Pose[structures.size()];
    for (int j = 0; j < poses.length; j++) poses[j] = structures.get(j).at(t);
    for (int i = 0; i < n; i++) {
      if (!chosen[i]) continue;
      FlowStructure s = structures.get(owner[i]);
      paint(rgb, i, settings.palette().rgb(speed(s, poses[owner[i]], i % w, i / w, t, field[i])));
      truth[i] = 1;
    }
    for (int i = 0; i < n; i++) {
      if (!outline[i]) continue;
      paint(rgb, i, outlineColour);
      if (settings.outline() == Outline.COLOURED) truth[i] = 1;
    }
    return new Rendered(new Frame(w, h, 3, rgb), truth);
  }

  /** The structures' shape field at frame t over the box (the highest structure wins), and which structure it is. */
  private void rasterize(int t, float[] field, int[] owner) {
    int w = sector.width();
    Arrays.fill(field, Float.NEGATIVE_INFINITY);
    for (int j = 0; j < structures.size(); j++) {
      FlowStructure.Pose pose = structures.get(j).at(t);
      int[] r = clip(pose.reach());
      for (int y = r[1]; y <= r[3]; y++) {
        for (int x = r[0]; x <= r[2]; x++) {
          int i = y * w + x;
          if (!box[i]) continue;
          double v = pose.shape(x, y);
          if (v > field[i]) {
            field[i] = (float) v;
            owner[i] = j;
          }
        }
      }
    }
  }

  /** A reach rectangle clipped to the colour box's bounds: {x0, y0, x1, y1}, inclusive (empty when x1 < x0). */
  private int[] clip(double[] r) {
    return new int[] {Math.max(boxX0, (int) Math.floor(r[0])), Math.max(boxY0, (int) Math.floor(r[1])),
        Math.min(boxX1, (int) Math.ceil(r[2])), Math.min(boxY1, (int) Math.ceil(r[3]))};
  }

  /** The displayed value of a colour pixel: velocity with turbulence, aliasing and the wall filter (power: |value|). */
  private double speed(FlowStructure s, FlowStructure.Pose pose, int x, int y, int t, double shape) {
    double noise = settings.turbulence() * (2 * turbulence.at(x, y, t) - 1);
    if (settings.palette() == FlowPalette.POWER) return Math.max(0.05, Math.min(1, 0.3 + 0.7 * Math.max(0, shape) + noise));
    double v = pose.velocity(x, y) + noise;
    if (Math.abs(v) > 1) v -= 2 * Math.signum(v);   // aliasing: beyond the scale wraps to the other colour
    if (Math.abs(v) < WALL) v = WALL * (v == 0 ? s.sign : Math.signum(v));
    return v;
  }

  private static void paint(byte[] rgb, int i, int c) {
    rgb[3 * i] = (byte) (c >> 16);
    rgb[3 * i + 1] = (byte) (c >> 8);
    rgb[3 * i + 2] = (byte) c;
  }

  private static double smoothstep(double edge0, double edge1, double x) {
    double u = Math.max(0, Math.min(1, (x - edge0) / (edge1 - edge0)));
    return u * u * (3 - 2 * u);
  }

  /** Box pixels with a 4-neighbour outside the box or on the frame's edge. */
  private static boolean[] edge(boolean[] box, int w, int h) {
    boolean[] o = new boolean[box.length];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int i = y * w + x;
        o[i] = box[i] && (x == 0 || y == 0 || x == w - 1 || y == h - 1 || !box[i - 1] || !box[i + 1] || !box[i - w] || !box[i + w]);
      }
    }
    return o;
  }

  private FlowStructure structure(SplittableRandom rng, double size, int w) {
    int p = boxPixels[rng.nextInt(boxPixels.length)];
    double px = p % w, py = p / w;
    double drift = settings.drift() * size;
    FlowStructure.Motion motion = new FlowStructure.Motion(rng.nextDouble(0, drift + 1e-12), rng.nextDouble(0, drift + 1e-12),
        beatPeriod * rng.nextDouble(1.5, 3), beatPeriod * rng.nextDouble(1.5, 3), rng.nextDouble(), rng.nextDouble(),
        beatPeriod, beatPhase + rng.nextDouble(-0.05, 0.05), settings.swing() * rng.nextDouble(0.6, 1.4));
    double peak = rng.nextDouble(0.5, 1.3);
    int sign = rng.nextBoolean() ? 1 : -1;
    if (rng.nextDouble() < 0.6) {
      double radius = rng.nextDouble(0.01, 0.035) * size;
      double length = rng.nextDouble(0.4, 1.0) * Math.hypot(boxX1 - boxX0, boxY1 - boxY0);
      int segments = 2 + rng.nextInt(3);
      double heading = rng.nextDouble(0, 2 * Math.PI);
      double[] xs = new double[segments + 1], ys = new double[segments + 1];
      xs[0] = px - Math.cos(heading) * length / 2;
      ys[0] = py - Math.sin(heading) * length / 2;
      for (int i = 1; i <= segments; i++) {
        heading += rng.nextDouble(-0.35, 0.35);
        xs[i] = xs[i - 1] + Math.cos(heading) * length / segments;
        ys[i] = ys[i - 1] + Math.sin(heading) * length / segments;
      }
      return new FlowStructure.Vessel(motion, peak, sign, xs, ys, radius);
    }
    double a = rng.nextDouble(0.04, 0.12) * size, b = a * rng.nextDouble(0.5, 1.0);
    double[] amp = {rng.nextDouble(0, 0.15), rng.nextDouble(0, 0.1)}, phase = {rng.nextDouble(0, 2 * Math.PI), rng.nextDouble(0, 2 * Math.PI)};
    return new FlowStructure.Chamber(motion, peak, sign, px, py, a, b, rng.nextDouble(0, Math.PI), rng.nextDouble(-0.01, 0.01), amp, phase);
  }
}
