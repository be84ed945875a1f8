/**
 * Synthetic colour flow painted over B-mode clips as a scanner displays it, with the exact
 * ground-truth mask ({@link sonogate.io.overlay.CfdOverlay}, palettes in
 * {@link sonogate.io.overlay.FlowPalette}): for measuring mask estimation and translation on real
 * B-mode clips.
 */
package sonogate.io.overlay;
