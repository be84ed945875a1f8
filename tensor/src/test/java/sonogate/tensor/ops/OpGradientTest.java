package sonogate.tensor.ops;

import static sonogate.tensor.check.GradCheck.Input.constant;
import static sonogate.tensor.check.GradCheck.Input.normal;
import static sonogate.tensor.check.GradCheck.Input.positive;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import sonogate.kernels.GateActivation;
import sonogate.tensor.Tensor;
import sonogate.tensor.check.GradCheck;
import sonogate.tensor.check.GradCheck.Input;

/**
 * Every differentiable op through the harness: tape gradients vs finite differences in double,
 * then the float32 kernels vs the float64 reference, on fresh random inputs of odd shapes.
 */
class OpGradientTest {

    private record Case(String name, Function<Tensor[], Tensor> f, Input[] inputs) {
        @Override public String toString() { return name; }
    }

    private static Case c(String name, Function<Tensor[], Tensor> f, Input... inputs) {
        return new Case(name, f, inputs);
    }

    static Stream<Arguments> cases() {
        List<Case> cs = new ArrayList<>();
        // conv2d: odd shapes, stride 2, dilations 2..16 ("same" padding d*(k-1)/2), k 1/3/5, with and without bias
        cs.add(c("conv2d k3 s1 [2,3,7,9]->4", x -> Ops.conv2d(x[0], x[1], x[2], 1, 1, 1), normal(2, 3, 7, 9), normal(4, 3, 3, 3), normal(4)));
        cs.add(c("conv2d k3 s2 [1,3,7,9]->5", x -> Ops.conv2d(x[0], x[1], x[2], 2, 1, 1), normal(1, 3, 7, 9), normal(5, 3, 3, 3), normal(5)));
        cs.add(c("conv2d k5 s2 [2,2,8,8]->3", x -> Ops.conv2d(x[0], x[1], x[2], 2, 2, 1), normal(2, 2, 8, 8), normal(3, 2, 5, 5), normal(3)));
        cs.add(c("conv2d k1 no bias", x -> Ops.conv2d(x[0], x[1], null, 1, 0, 1), normal(2, 3, 5, 6), normal(4, 3, 1, 1)));
        for (int d : new int[] {2, 4, 8, 16}) {
            int size = d == 16 ? 17 : 9;
            cs.add(c("conv2d k3 dilation " + d, x -> Ops.conv2d(x[0], x[1], x[2], 1, d, d), normal(1, 2, size, size + 2), normal(3, 2, 3, 3), normal(3)));
        }
        cs.add(c("conv2d weight only", x -> Ops.conv2d(x[0], x[1], x[2], 1, 1, 1), constant(1, 3, 6, 7), normal(2, 3, 3, 3), normal(2)));
        cs.add(c("gate elu", x -> Ops.gate(x[0], GateActivation.ELU), normal(2, 6, 5, 7)));
        cs.add(c("gate relu", x -> Ops.gate(x[0], GateActivation.RELU), normal(1, 4, 7, 9)));
        cs.add(c("upsample2x", x -> Ops.upsample2x(x[0]), normal(2, 3, 5, 7)));
        cs.add(c("maxpool 2x2 (odd size: last row and column dropped)", x -> Ops.maxPool2x2(x[0]), normal(2, 3, 7, 9)));
        cs.add(c("maxpool after relu (VGG block)", x -> Ops.maxPool2x2(Ops.relu(Ops.conv2d(x[0], x[1], x[2], 1, 1, 1))),
                normal(1, 2, 6, 8), normal(3, 2, 3, 3), normal(3)));
        cs.add(c("concat channels", x -> Ops.concat(1, x[0], x[1], x[2]), normal(2, 3, 4, 5), normal(2, 1, 4, 5), normal(2, 2, 4, 5)));
        cs.add(c("concat axis 3", x -> Ops.concat(3, x[0], x[1]), normal(2, 3, 4, 5), normal(2, 3, 4, 2)));
        cs.add(c("narrow channels", x -> Ops.narrow(x[0], 1, 2, 3), normal(2, 7, 4, 5)));
        cs.add(c("split + recombine", x -> {
            Tensor[] parts = Ops.split(x[0], 1, 2, 3);
            return Ops.mul(parts[0], Ops.narrow(parts[1], 1, 1, 2));
        }, normal(2, 5, 3, 4)));
        cs.add(c("elu", x -> Ops.elu(x[0]), normal(3, 7, 9)));
        cs.add(c("elu alpha 0.5", x -> Activations.elu(x[0], 0.5), normal(37)));
        cs.add(c("sigmoid", x -> Ops.sigmoid(x[0]), normal(2, 3, 7, 9)));
        cs.add(c("tanh", x -> Ops.tanh(x[0]), normal(5, 17)));
        cs.add(c("relu", x -> Ops.relu(x[0]), normal(3, 33)));
        cs.add(c("leaky relu 0.2", x -> Ops.leakyRelu(x[0], 0.2), normal(2, 3, 7, 9)));
        cs.add(c("abs", x -> Ops.abs(x[0]), normal(41)));
        cs.add(c("neg, square, exp", x -> Activations.exp(Activations.square(Activations.neg(x[0]))), normal(19)));
        cs.add(c("log, sqrt", x -> Activations.log(Activations.sqrt(x[0])), positive(23)));
        cs.add(c("add same shape", x -> Ops.add(x[0], x[1]), normal(2, 3, 7, 9), normal(2, 3, 7, 9)));
        cs.add(c("add bias [1,C,1,1]", x -> Ops.add(x[0], x[1]), normal(2, 3, 7, 9), normal(1, 3, 1, 1)));
        cs.add(c("sub [N,1,H,W] mask", x -> Ops.sub(x[0], x[1]), normal(2, 3, 5, 7), normal(2, 1, 5, 7)));
        cs.add(c("sub reversed broadcast", x -> Ops.sub(x[1], x[0]), normal(2, 3, 5, 7), normal(3, 1, 1)));
        cs.add(c("mul broadcast both", x -> Ops.mul(x[0], x[1]), normal(2, 1, 5, 7), normal(1, 3, 1, 7)));
        cs.add(c("mul scalar tensor", x -> Ops.mul(x[0], x[1]), normal(2, 3, 4), normal(1)));
        cs.add(c("div", x -> Ops.div(x[0], x[1]), normal(2, 3, 5, 7), positive(2, 3, 5, 7)));
        cs.add(c("div broadcast", x -> Ops.div(x[0], x[1]), normal(2, 3, 5, 7), positive(1, 3, 1, 1)));
        cs.add(c("affine", x -> Ops.affine(x[0], -1.5, 0.25), normal(3, 7, 9)));
        cs.add(c("mulScalar, addScalar", x -> Ops.addScalar(Ops.mulScalar(x[0], 3.0), -2.0), normal(17)));
        cs.add(c("sum", x -> Ops.sum(x[0]), normal(2, 3, 7, 9)));
        cs.add(c("mean", x -> Ops.mean(x[0]), normal(3, 5, 7)));
        cs.add(c("sum axes 0,2,3 keep", x -> Ops.sum(x[0], true, 0, 2, 3), normal(2, 3, 5, 7)));
        cs.add(c("mean axis 1", x -> Ops.mean(x[0], false, 1), normal(2, 3, 5, 7)));
        cs.add(c("l1 loss", x -> Ops.l1Loss(x[0], x[1]), normal(2, 1, 7, 9), normal(2, 1, 7, 9)));
        cs.add(c("softmax last axis", x -> Ops.softmax(x[0], -1), normal(3, 4, 7)));
        cs.add(c("softmax middle axis", x -> Ops.softmax(Ops.mulScalar(x[0], 4.0), 1), normal(2, 5, 3, 4)));
        cs.add(c("matmul 2d", x -> Ops.matmul(x[0], x[1]), normal(5, 7), normal(7, 3)));
        cs.add(c("matmul batched", x -> Ops.matmul(x[0], x[1]), normal(3, 5, 7), normal(3, 7, 4)));
        cs.add(c("matmul shared right", x -> Ops.matmul(x[0], x[1]), normal(3, 5, 7), normal(7, 4)));
        cs.add(c("matmul shared left", x -> Ops.matmul(x[0], x[1]), normal(5, 7), normal(2, 7, 4)));
        cs.add(c("reshape", x -> Ops.mul(Ops.reshape(x[0], 6, -1), x[1]), normal(2, 3, 5, 7), normal(6, 35)));
        cs.add(c("transpose + matmul", x -> Ops.matmul(Ops.transpose(x[0], 0, 1), x[1]), normal(7, 5), normal(7, 3)));
        cs.add(c("permute", x -> Ops.permute(x[0], 0, 2, 3, 1), normal(2, 3, 5, 7)));
        cs.add(c("subsample x2 (nearest downsampling)", x -> Ops.subsample(x[0], 2), normal(2, 3, 8, 7)));
        cs.add(c("rank-5 permute and reshape", x -> Ops.reshape(Ops.permute(Ops.reshape(x[0], 2, 3, 2, 4, 1), 0, 2, 1, 4, 3), 2, 24), normal(2, 24)));
        cs.add(c("reshape of permuted", x -> Ops.reshape(Ops.permute(x[0], 2, 0, 1), -1), normal(2, 3, 5)));
        cs.add(c("unfold k3 s1", x -> Ops.unfold(x[0], 3, 1, 1, 1), normal(2, 3, 7, 9)));
        cs.add(c("unfold k4 s2", x -> Ops.unfold(x[0], 4, 2, 1, 1), normal(1, 2, 8, 10)));
        cs.add(c("unfold dilation 2", x -> Ops.unfold(x[0], 3, 1, 2, 2), normal(1, 2, 7, 9)));
        cs.add(c("fold k3 s1", x -> Ops.fold(x[0], 7, 9, 3, 1, 1, 1), normal(2, 27, 63)));
        cs.add(c("fold k4 s2 (transposed conv)", x -> Ops.fold(x[0], 8, 10, 4, 2, 1, 1), normal(1, 32, 20)));
        cs.add(c("spectral norm (fixed u, v)", x -> Ops.spectralNorm(x[0], x[1], x[2], false),
                normal(4, 3, 3, 3), constant(4), constant(27)));
        cs.add(c("gated conv block", x -> Ops.gate(Ops.conv2d(Ops.upsample2x(x[0]), x[1], x[2], 2, 2, 1), GateActivation.ELU),
                normal(1, 3, 5, 6), normal(8, 3, 5, 5), normal(8)));
        cs.add(c("masked composite (generator input)", x -> {
            Tensor known = Ops.mul(x[0], Ops.addScalar(Ops.mulScalar(x[1], -1.0), 1.0));
            return Ops.concat(1, known, x[1]);
        }, normal(2, 1, 6, 7), constant(maskValues(2 * 6 * 7), 2, 1, 6, 7)));
        cs.add(c("hinge d loss", x -> Ops.mean(Ops.relu(Ops.addScalar(Ops.mulScalar(x[0], -1.0), 1.0))), normal(2, 16, 2, 2)));
        return cs.stream().map(Arguments::of);
    }

    private static double[] maskValues(int n) {
        double[] m = new double[n];
        for (int i = 0; i < n; i++) m[i] = (i * 7 + 3) % 5 < 2 ? 1 : 0;
        return m;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientsMatchFiniteDifferencesAndFloatMatchesDouble(Case c) {
        GradCheck.check(c.name(), c.f(), System.nanoTime(), c.inputs());
    }
}
