package sonogate.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import sonogate.io.ClipReader;
import sonogate.io.Frame;
import sonogate.io.mask.ColourMask;
import sonogate.io.mask.MaskSettings;
import sonogate.io.mask.MaskStats;

/**
 * The colour flow of a real CFD clip, cut out: per frame the colour-flow pixels found by the mask
 * estimation ({@link ColourMask}, undilated) and the clip's RGB colours, within the bounding box of
 * all its frames' flow (only the largest cluster of flow: on a dual-view display, one view's).
 * {@link HarvestedOverlay} pastes it onto B-mode clips.
 *
 * @param masks per frame, {@code boxWidth * boxHeight}, 1 = colour flow
 * @param colours per frame, RGB of the box, interleaved
 */
public record HarvestedShape(String name, int boxWidth, int boxHeight, List<byte[]> masks, List<byte[]> colours) {
    /** Mean number of flow pixels per frame. */
    public double meanArea() {
        long n = 0;
        for (byte[] m : masks) for (byte b : m) n += b;
        return (double) n / masks.size();
    }

    /** The colour flow of the first {@code maxFrames} frames of a CFD clip; null when it shows none. */
    public static HarvestedShape harvest(Path file, String name, int maxFrames) throws IOException {
        List<Frame> frames = new ArrayList<>();
        List<byte[]> colour = new ArrayList<>();
        try (ClipReader reader = GreyClip.open(file)) {
            ColourMask masker = ColourMask.forClip(reader, MaskSettings.defaults());
            Iterator<Frame> source = reader.frames();
            ArrayDeque<Frame> pending = new ArrayDeque<>();
            Iterator<Frame> limited = new Iterator<>() {
                int read;

                public boolean hasNext() {
                    return read < maxFrames && source.hasNext();
                }

                public Frame next() {
                    read++;
                    Frame f = source.next();
                    pending.add(f);
                    return f;
                }
            };
            Iterator<ColourMask.Result> results = masker.stream(limited);
            while (results.hasNext()) {
                colour.add(results.next().colour());
                frames.add(pending.poll());
            }
        }
        if (frames.isEmpty() || frames.get(0).channels() != 3) return null;
        int w = frames.get(0).width();
        keepLargestCluster(colour, w, frames.get(0).height());
        int x0 = Integer.MAX_VALUE, y0 = Integer.MAX_VALUE, x1 = -1, y1 = -1;
        for (byte[] c : colour) {
            for (int i = 0; i < c.length; i++) {
                if (c[i] == 0) continue;
                x0 = Math.min(x0, i % w);
                x1 = Math.max(x1, i % w);
                y0 = Math.min(y0, i / w);
                y1 = Math.max(y1, i / w);
            }
        }
        if (x1 < 0) return null;
        int bw = x1 - x0 + 1, bh = y1 - y0 + 1;
        List<byte[]> masks = new ArrayList<>(), colours = new ArrayList<>();
        for (int k = 0; k < frames.size(); k++) {
            byte[] m = new byte[bw * bh], rgb = new byte[3 * bw * bh], c = colour.get(k), src = frames.get(k).samples();
            for (int y = 0; y < bh; y++) {
                for (int x = 0; x < bw; x++) {
                    int i = (y0 + y) * w + x0 + x, j = y * bw + x;
                    m[j] = c[i];
                    System.arraycopy(src, 3 * i, rgb, 3 * j, 3);
                }
            }
            masks.add(m);
            colours.add(rgb);
        }
        return new HarvestedShape(name, bw, bh, List.copyOf(masks), List.copyOf(colours));
    }

    /** Colour within this many pixels belongs to one cluster of flow (one view, one vessel tree). */
    static final int CLUSTER_RADIUS = 6;

    /**
     * Only the cluster with the most flow (colour pixels of all frames closer than
     * {@link #CLUSTER_RADIUS} to each other): on a dual-view display that is one view's flow, whose
     * shape fits a single imaging sector (the sector estimate may join both views into one).
     */
    static void keepLargestCluster(List<byte[]> colour, int w, int h) {
        int n = w * h;
        byte[] union = new byte[n];
        for (byte[] c : colour) for (int i = 0; i < n; i++) union[i] |= c[i];
        byte[] grown = MaskStats.dilate(union, w, h, CLUSTER_RADIUS);
        int[] label = new int[n], queue = new int[n];
        List<Long> flow = new ArrayList<>();
        for (int s = 0; s < n; s++) {
            if (grown[s] == 0 || label[s] != 0) continue;
            int id = flow.size() + 1, tail = 0;
            long count = 0;
            label[s] = id;
            queue[tail++] = s;
            for (int head = 0; head < tail; head++) {
                int p = queue[head], px = p % w, py = p / w;
                count += union[p];
                for (int dy = -1; dy <= 1; dy++) {
                    for (int dx = -1; dx <= 1; dx++) {
                        int x = px + dx, y = py + dy;
                        if (x < 0 || y < 0 || x >= w || y >= h) continue;
                        int q = y * w + x;
                        if (grown[q] != 0 && label[q] == 0) {
                            label[q] = id;
                            queue[tail++] = q;
                        }
                    }
                }
            }
            flow.add(count);
        }
        int best = 1;
        for (int k = 2; k <= flow.size(); k++) if (flow.get(k - 1) > flow.get(best - 1)) best = k;
        for (byte[] c : colour) for (int i = 0; i < n; i++) if (label[i] != best) c[i] = 0;
    }
}
