package sonogate.kernels;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API species every CPU kernel uses, chosen once. The widest the CPU has by default;
 * {@code -Dsonogate.simd.bits=256} (or 128) forces a narrower one for experiments.
 */
public final class Simd {
    private Simd() {}

    public static final VectorSpecies<Float> F = pick(Integer.getInteger("sonogate.simd.bits", 0));
    /** Floats per vector of {@link #F}. */
    public static final int LANES = F.length();
    /** Doubles in a vector of F's size: float partial sums are widened into these (2 per float vector). */
    public static final VectorSpecies<Double> D = VectorSpecies.of(double.class, VectorShape.forBitSize(F.vectorBitSize()));
    public static final ByteOrder ORDER = ByteOrder.nativeOrder();
    public static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT;

    private static VectorSpecies<Float> pick(int bits) {
        return switch (bits) {
            case 128 -> FloatVector.SPECIES_128;
            case 256 -> FloatVector.SPECIES_256;
            case 512 -> FloatVector.SPECIES_512;
            default -> FloatVector.SPECIES_PREFERRED;
        };
    }

    /** Loads a vector from float element {@code index} of {@code seg}. */
    public static FloatVector load(MemorySegment seg, long index) {
        return FloatVector.fromMemorySegment(F, seg, index * Float.BYTES, ORDER);
    }

    /** Stores {@code v} at float element {@code index} of {@code seg}. */
    public static void store(FloatVector v, MemorySegment seg, long index) {
        v.intoMemorySegment(seg, index * Float.BYTES, ORDER);
    }

    public static float get(MemorySegment seg, long index) {
        return seg.getAtIndex(FLOAT, index);
    }

    public static void set(MemorySegment seg, long index, float value) {
        seg.setAtIndex(FLOAT, index, value);
    }
}
