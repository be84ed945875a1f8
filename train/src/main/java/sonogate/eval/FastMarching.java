package sonogate.eval;

import java.util.Arrays;

/**
 * The fast marching method (Sethian 1996) for |grad T| = 1 on the pixel grid: arrival times T of a
 * front that starts on given pixels (T = 0) and moves at unit speed through the pixels it is allowed
 * to enter. Each pixel's T is the upwind solution of the first-order discretisation from its
 * already accepted 4-neighbours; pixels are accepted in increasing T (ties: lower index first), so
 * the result is deterministic. {@link #next} hands the accepted pixels out one by one, so that a
 * caller (Telea's inpainting) can act in marching order.
 */
final class FastMarching {
    static final byte FAR = 0, BAND = 1, ACCEPTED = 2, BLOCKED = 3;

    final int width, height;
    final double[] t;
    final byte[] flag;
    private final IndexHeap heap;

    /**
     * @param flag per pixel: BAND for the start pixels (their T must be set in {@code t}), FAR for
     *     pixels the front may enter, BLOCKED for pixels it never enters; taken over, not copied
     */
    FastMarching(int width, int height, double[] t, byte[] flag) {
        this.width = width;
        this.height = height;
        this.t = t;
        this.flag = flag;
        this.heap = new IndexHeap(t);
        for (int i = 0; i < flag.length; i++) if (flag[i] == BAND) heap.push(i);
    }

    /** Accepts the band pixel of least T and returns it; -1 when the band is empty. */
    int next() {
        while (!heap.isEmpty()) {
            int p = heap.pop();
            if (flag[p] != BAND) continue;     // a stale entry: already accepted
            flag[p] = ACCEPTED;
            return p;
        }
        return -1;
    }

    /**
     * (Re)computes T of the pixel {@code q}, a FAR or BAND 4-neighbour of a newly accepted pixel, from
     * its accepted neighbours; returns true when q was FAR (it joins the band now).
     */
    boolean update(int q) {
        boolean wasFar = flag[q] == FAR;
        double v = solve(q);
        if (v < t[q] || wasFar) {
            t[q] = Math.min(v, t[q]);
            flag[q] = BAND;
            heap.push(q);
        }
        return wasFar;
    }

    /** The upwind update: the smaller accepted neighbour in x and in y, then the 1- or 2-sided quadratic. */
    double solve(int q) {
        int x = q % width, y = q / width;
        double a = Math.min(known(x - 1, y), known(x + 1, y));
        double b = Math.min(known(x, y - 1), known(x, y + 1));
        if (a > b) {
            double s = a;
            a = b;
            b = s;
        }
        if (a == Double.POSITIVE_INFINITY) return Double.POSITIVE_INFINITY;
        // (T - a)^2 + (T - b)^2 = 1 when both neighbours are upwind, else T = a + 1.
        if (b - a >= 1) return a + 1;
        return 0.5 * (a + b + Math.sqrt(2 - (a - b) * (a - b)));
    }

    private double known(int x, int y) {
        if (x < 0 || y < 0 || x >= width || y >= height) return Double.POSITIVE_INFINITY;
        int i = y * width + x;
        return flag[i] == ACCEPTED ? t[i] : Double.POSITIVE_INFINITY;
    }

    /** A binary min-heap of pixel indices keyed by t (ties by index); duplicates allowed (lazy deletion). */
    private static final class IndexHeap {
        private final double[] key;
        private int[] items = new int[64];
        private double[] keys = new double[64];
        private int size;

        IndexHeap(double[] key) {
            this.key = key;
        }

        boolean isEmpty() {
            return size == 0;
        }

        void push(int i) {
            if (size == items.length) {
                items = Arrays.copyOf(items, 2 * size);
                keys = Arrays.copyOf(keys, 2 * size);
            }
            int c = size++;
            double k = key[i];
            while (c > 0) {
                int parent = (c - 1) / 2;
                if (!less(k, i, keys[parent], items[parent])) break;
                items[c] = items[parent];
                keys[c] = keys[parent];
                c = parent;
            }
            items[c] = i;
            keys[c] = k;
        }

        int pop() {
            int top = items[0];
            int last = items[--size];
            double lastKey = keys[size];
            int c = 0;
            while (true) {
                int l = 2 * c + 1;
                if (l >= size) break;
                int r = l + 1;
                int m = r < size && less(keys[r], items[r], keys[l], items[l]) ? r : l;
                if (!less(keys[m], items[m], lastKey, last)) break;
                items[c] = items[m];
                keys[c] = keys[m];
                c = m;
            }
            items[c] = last;
            keys[c] = lastKey;
            return top;
        }

        private static boolean less(double ka, int a, double kb, int b) {
            return ka < kb || (ka == kb && a < b);
        }
    }
}
