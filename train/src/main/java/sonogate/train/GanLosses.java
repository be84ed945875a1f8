package sonogate.train;

import sonogate.tensor.Tensor;
import sonogate.tensor.ops.Ops;

/** The adversarial terms of MODEL.md (hinge GAN, SN-PatchGAN), built from differentiable ops. */
public final class GanLosses {
    private GanLosses() {}

    /** Discriminator hinge loss: 0.5 mean(relu(1 - D(real))) + 0.5 mean(relu(1 + D(fake))). */
    public static Tensor discriminatorHinge(Tensor dReal, Tensor dFake) {
        Tensor real = Ops.mean(Ops.relu(Ops.affine(dReal, -1.0, 1.0)));    // relu(1 - d_real)
        Tensor fake = Ops.mean(Ops.relu(Ops.addScalar(dFake, 1.0)));       // relu(1 + d_fake)
        return Ops.mulScalar(Ops.add(real, fake), 0.5);
    }

    /** Generator adversarial loss: -mean(D(fake)). */
    public static Tensor generatorAdversarial(Tensor gScores) {
        return Ops.neg(Ops.mean(gScores));
    }
}
