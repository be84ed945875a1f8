/**
 * CFD mask estimation: which pixels of a colour-flow clip are colour flow, for the translator to
 * fill.
 *
 * <p>{@link sonogate.io.mask.ColourMask} is the estimator ({@code apply} per frame, {@code stream}
 * with temporal smoothing and bounded lookahead); {@link sonogate.io.mask.MaskSettings} holds its
 * tunables; {@link sonogate.io.mask.SectorEstimator} finds the imaging {@link sonogate.io.mask.Sector}
 * (DICOM regions, else from the frames); {@link sonogate.io.mask.MaskPreview} draws previews and
 * {@link sonogate.io.mask.MaskStats} compares masks. The rest (morphology, labelling, convex hulls,
 * the flow/graphics classification) is package-private.
 */
package sonogate.io.mask;
