package sonogate.train.data;

/** Small helpers shared by the mask tests. */
final class MaskTestUtil {
    private MaskTestUtil() {}

    static long freshSeed() {
        return System.nanoTime() ^ Thread.currentThread().threadId() * 0x9E3779B97F4A7C15L;
    }

    static double iou(float[] a, float[] b) {
        int inter = 0, union = 0;
        for (int i = 0; i < a.length; i++) {
            boolean x = a[i] > 0.5f, y = b[i] > 0.5f;
            if (x && y) inter++;
            if (x || y) union++;
        }
        return union == 0 ? 1 : inter / (double) union;
    }

    static int count(float[] m) {
        int c = 0;
        for (float v : m) if (v > 0.5f) c++;
        return c;
    }

    /** Number of 4-connected components of the set pixels. */
    static int components(float[] m, int h, int w) {
        int[] label = new int[m.length];
        int[] stack = new int[m.length];
        int n = 0;
        for (int s = 0; s < m.length; s++) {
            if (m[s] <= 0.5f || label[s] != 0) continue;
            n++;
            int top = 0;
            stack[top++] = s;
            label[s] = n;
            while (top > 0) {
                int i = stack[--top], x = i % w, y = i / w;
                int[] nb = {x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, y > 0 ? i - w : -1, y < h - 1 ? i + w : -1};
                for (int j : nb) {
                    if (j >= 0 && m[j] > 0.5f && label[j] == 0) {
                        label[j] = n;
                        stack[top++] = j;
                    }
                }
            }
        }
        return n;
    }
}
