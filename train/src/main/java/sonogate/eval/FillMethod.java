package sonogate.eval;

import java.util.ArrayList;
import java.util.List;
import sonogate.inference.SonogateModel;
import sonogate.nn.HarmonicFill;
import sonogate.io.mask.ColourMask;

/**
 * A way to fill the colour-flow pixels of a clip with B-mode, given the pipeline's mask results
 * ({@link ColourMask.Result}: the estimated mask and the grey input, 0 under the mask). Every method
 * returns 8-bit grey frames that equal the grey input outside the mask, as {@code translate} does,
 * so the methods differ only where they fill.
 */
public interface FillMethod {
    /** The name in tables and JSON: sonogate, untrained, telea, diffusion. */
    String name();

    /** The filled frames, one per result, row-major grey. */
    List<byte[]> fill(List<ColourMask.Result> frames);

    /** Telea's inpainting (zero order, radius {@link TeleaInpainting#DEFAULT_RADIUS}) of each frame on its own. */
    static FillMethod telea() {
        return perFrame("telea", (img, hole, w, h) -> TeleaInpainting.fill(img, hole, w, h, TeleaInpainting.DEFAULT_RADIUS));
    }

    /** The harmonic (diffusion) fill of each frame on its own. */
    static FillMethod diffusion() {
        return perFrame("diffusion", HarmonicFill::fill);
    }

    /**
     * The translator, {@code batch} frames per forward pass, exactly as {@link SonogateModel#translateFrames}
     * fills (the frames are one clip: a temporal model sees each frame's neighbours).
     */
    static FillMethod model(String name, SonogateModel model, int batch) {
        return model(name, model, batch, true);
    }

    /**
     * As {@link #model(String, SonogateModel, int)}; with {@code neighbours} false every frame is
     * translated alone ({@link SonogateModel#translateBatch}: a temporal model sees the frame as its
     * own previous and next frame), which measures what the neighbours add.
     */
    static FillMethod model(String name, SonogateModel model, int batch, boolean neighbours) {
        return new FillMethod() {
            public String name() {
                return name;
            }

            public List<byte[]> fill(List<ColourMask.Result> frames) {
                // one clip, one frame size: a temporal model sees each frame's neighbours, as in translateFrames
                if (frames.isEmpty()) return List.of();
                int w = frames.get(0).width(), h = frames.get(0).height();
                List<float[]> greys = new ArrayList<>(), masks = new ArrayList<>();
                for (ColourMask.Result r : frames) {
                    float[][] gm = SonogateModel.toUnit(r);
                    greys.add(gm[0]);
                    masks.add(gm[1]);
                }
                List<float[]> filled = new ArrayList<>();
                if (neighbours) {
                    filled = model.translateSequence(greys, masks, h, w, batch);
                } else {
                    for (int start = 0; start < greys.size(); start += batch) {
                        int end = Math.min(greys.size(), start + batch);
                        filled.addAll(model.translateBatch(greys.subList(start, end), masks.subList(start, end), h, w));
                    }
                }
                List<byte[]> out = new ArrayList<>();
                for (float[] o : filled) {
                    byte[] b = new byte[o.length];
                    for (int i = 0; i < b.length; i++) b[i] = SonogateModel.toByte(o[i]);
                    out.add(b);
                }
                return out;
            }
        };
    }

    /** A fill of one frame: image in grey levels, hole 1 where to fill. */
    @FunctionalInterface
    interface FrameFill {
        float[] fill(float[] image, byte[] hole, int width, int height);
    }

    private static FillMethod perFrame(String name, FrameFill f) {
        return new FillMethod() {
            public String name() {
                return name;
            }

            public List<byte[]> fill(List<ColourMask.Result> frames) {
                List<byte[]> out = new ArrayList<>();
                for (ColourMask.Result r : frames) {
                    byte[] grey = r.grey(), mask = r.mask();
                    float[] img = new float[grey.length];
                    for (int i = 0; i < img.length; i++) img[i] = grey[i] & 0xFF;
                    float[] filled = f.fill(img, mask, r.width(), r.height());
                    byte[] b = grey.clone();
                    for (int i = 0; i < b.length; i++) if (mask[i] != 0) b[i] = (byte) Math.clamp(Math.round(filled[i]), 0, 255);
                    out.add(b);
                }
                return out;
            }
        };
    }
}
