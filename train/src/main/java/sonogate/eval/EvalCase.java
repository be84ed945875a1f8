package sonogate.eval;

import java.util.List;
import sonogate.io.Frame;

/**
 * One evaluation input: a B-mode clip's first frames (the truth), the same frames with colour flow
 * painted over them (what the pipeline sees) and the painted pixels (the truth mask).
 *
 * @param clip the clip's name
 * @param overlay "synthetic" (CfdOverlay's vessels and chambers) or "real-cfd:NAME" (harvested shape)
 * @param coverage painted pixels per frame as a fraction of the sector part they are in, mean over frames
 */
public record EvalCase(String clip, String overlay, int width, int height, List<byte[]> truth, List<Frame> painted,
                       List<byte[]> truthMasks, double coverage) {
    public int frames() {
        return truth.size();
    }
}
