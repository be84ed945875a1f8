package sonogate.tensor;

import java.util.Arrays;

/** Small helpers for shapes and strides (row-major, in elements). */
public final class Shapes {
    private Shapes() {}

    public static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    public static long[] contiguousStrides(int[] shape) {
        long[] strides = new long[shape.length];
        long s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = s;
            s *= shape[i];
        }
        return strides;
    }

    public static void checkValid(String op, int[] shape) {
        for (int d : shape) {
            if (d <= 0) throw new IllegalArgumentException(op + ": invalid shape " + str(shape) + " (sizes must be positive)");
        }
    }

    /** Numpy-style broadcast of two shapes, aligned on the right. */
    public static int[] broadcast(String op, int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + str(a) + " and " + str(b) + " do not broadcast");
            }
            out[i] = Math.max(da, db);
        }
        return out;
    }

    public static String str(int[] shape) {
        return Arrays.toString(shape);
    }

    public static int product(int[] shape, int from, int to) {
        int p = 1;
        for (int i = from; i < to; i++) p *= shape[i];
        return p;
    }

    /** Normalises a possibly negative axis. */
    public static int axis(String op, int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw new IllegalArgumentException(op + ": axis " + axis + " out of range for rank " + rank);
        return a;
    }

    /** Strides that read a tensor of {@code shape}/{@code strides} as the broadcast shape {@code target} (0 where broadcast). */
    public static long[] broadcastStrides(int[] shape, long[] strides, int[] target) {
        long[] out = new long[target.length];
        int shift = target.length - shape.length;
        for (int i = 0; i < target.length; i++) {
            int j = i - shift;
            out[i] = j < 0 || shape[j] == 1 ? 0 : strides[j];
        }
        return out;
    }
}
