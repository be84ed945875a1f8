package sonogate.gpu;

import java.lang.foreign.MemorySegment;
import sonogate.kernels.ConvGeometry;

/**
 * The cuDNN descriptors and chosen algorithms of one convolution shape, found once and cached by
 * the backend (one convolution descriptor per direction: each algorithm's math type is set on its
 * own descriptor, as cuDNN requires after Find).
 */
final class ConvPlan {
    final ConvGeometry g;
    final MemorySegment x, w, y;                    // tensor, filter and output descriptors
    final MemorySegment convForward, convData, convFilter;
    AlgorithmChoice.Choice forward, data, filter;   // null until first needed
    boolean dataByGemm, filterByGemm;               // the gradient runs as GemmConvolution instead (timed faster)

    ConvPlan(Cudnn dnn, ConvGeometry g, int mathType) {
        this.g = g;
        this.x = dnn.tensor(g.batch(), g.inChannels(), g.inH(), g.inW());
        this.w = dnn.filter(g.outChannels(), g.inChannels(), g.kernel(), g.kernel());
        this.y = dnn.tensor(g.batch(), g.outChannels(), g.outH(), g.outW());
        this.convForward = dnn.convolution(g.padding(), g.stride(), g.dilation(), mathType);
        this.convData = dnn.convolution(g.padding(), g.stride(), g.dilation(), mathType);
        this.convFilter = dnn.convolution(g.padding(), g.stride(), g.dilation(), mathType);
    }
}
