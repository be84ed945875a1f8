package sonogate.nn;

import java.util.function.UnaryOperator;
import sonogate.tensor.Tensor;
import sonogate.tensor.ops.Ops;

/**
 * The temporal option's extra input (MODEL.md "Video"): each frame's previous and next frames of
 * the same clip and their hole masks, all [N, 1, H, W] like the frame itself (grey in [-1, 1],
 * mask 1 = colour). At a clip's ends, and for a still image, the frame itself stands in for the
 * missing neighbour.
 */
public record Neighbours(Tensor previousFrame, Tensor previousMask, Tensor nextFrame, Tensor nextMask) implements AutoCloseable {

    /**
     * The neighbours of n frames of s x s from row-major float planes {previous frames, previous
     * masks, next frames, next masks}, each tensor passed through {@code place} (e.g. onto the
     * model's device).
     */
    public static Neighbours of(float[][] planes, int n, int s, UnaryOperator<Tensor> place) {
        Tensor[] t = new Tensor[4];
        for (int i = 0; i < 4; i++) t[i] = place.apply(Tensor.of(planes[i], n, 1, s, s));
        return new Neighbours(t[0], t[1], t[2], t[3]);
    }

    /**
     * The six extra input channels, [N, 6, H, W]: {@code [p * (1 - mp), 1, mp, q * (1 - mq), 1, mq]}
     * for previous frame p, mask mp and next frame q, mask mq. Each neighbour gets the same triple
     * the frame itself gets (masked frame, ones, mask), which makes the spec's 3 -> 9 channels;
     * the neighbours stay masked: their own colour pixels are unknown too.
     */
    public Tensor channels() {
        Tensor ones = Tensor.full(previousFrame.device(), previousFrame.dtype(), 1.0, previousMask.shape());
        return Ops.concat(1, masked(previousFrame, previousMask), ones, previousMask, masked(nextFrame, nextMask), ones, nextMask);
    }

    private static Tensor masked(Tensor frame, Tensor mask) {
        return Ops.mul(frame, Ops.addScalar(Ops.neg(mask), 1.0));
    }

    /** Each tensor's role, for error messages. */
    Tensor[] all() {
        return new Tensor[] {previousFrame, previousMask, nextFrame, nextMask};
    }

    /** Closes the four tensors (for neighbours made outside a {@link sonogate.tensor.Scope}). */
    @Override
    public void close() {
        for (Tensor t : all()) t.close();
    }
}
