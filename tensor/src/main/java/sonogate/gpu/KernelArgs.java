package sonogate.gpu;

import jcuda.Pointer;
import sonogate.kernels.cuda.CudaKernel;

/**
 * Kernel arguments checked against {@link CudaKernel#signature()} before they are packed for
 * cuLaunchKernel: an int where the kernel reads a long long, or a struct of the wrong size, would
 * otherwise be read as garbage on the GPU without any error.
 *
 * <p>Java types per code: {@code i} Integer, {@code l} Long, {@code f} Float, {@code d} Double,
 * {@code p} {@link Ptr}, {@code sN} byte[] of length N.
 */
final class KernelArgs {
    private KernelArgs() {}

    /** A device address argument (0: a null pointer). */
    record Ptr(long address) {
        static final Ptr NULL = new Ptr(0);
    }

    /** Throws IllegalArgumentException naming the kernel and argument when {@code args} do not fit the signature. */
    static void check(CudaKernel kernel, Object[] args) {
        String[] sig = kernel.signature();
        if (args.length != sig.length) {
            throw new IllegalArgumentException(kernel.symbol() + ": " + args.length + " arguments, the kernel takes " + sig.length);
        }
        for (int i = 0; i < sig.length; i++) {
            Object a = args[i];
            boolean ok = switch (sig[i].charAt(0)) {
                case 'i' -> a instanceof Integer;
                case 'l' -> a instanceof Long;
                case 'f' -> a instanceof Float;
                case 'd' -> a instanceof Double;
                case 'p' -> a instanceof Ptr;
                case 's' -> a instanceof byte[] b && b.length == Integer.parseInt(sig[i].substring(1));
                default -> false;
            };
            if (!ok) {
                throw new IllegalArgumentException(kernel.symbol() + " argument " + i + ": expected " + sig[i] + ", got "
                        + (a == null ? "null" : a.getClass().getSimpleName() + (a instanceof byte[] b ? "[" + b.length + "]" : "")));
            }
        }
    }

    /** cuLaunchKernel's kernelParams: one pointer to each argument's value. */
    static Pointer pack(CudaKernel kernel, Object[] args) {
        check(kernel, args);
        Pointer[] p = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) {
            p[i] = switch (args[i]) {
                case Integer v -> Pointer.to(new int[] {v});
                case Long v -> Pointer.to(new long[] {v});
                case Float v -> Pointer.to(new float[] {v});
                case Double v -> Pointer.to(new double[] {v});
                case Ptr v -> Pointer.to(new long[] {v.address()});
                case byte[] v -> Pointer.to(v);
                default -> throw new IllegalStateException("unreachable");
            };
        }
        return Pointer.to(p);
    }
}
