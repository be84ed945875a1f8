package sonogate.io;

/**
 * One item of the DICOM Sequence of Ultrasound Regions (0018,6011): where on the image a region
 * lies and how its pixels map to physical units. Coordinates are inclusive pixel positions.
 *
 * @param spatialFormat RegionSpatialFormat (0018,6012): 0 none, 1 2D, 2 M-mode, 3 spectral, 4 waveform, 5 graphics
 * @param dataType RegionDataType (0018,6014): 1 tissue, 2 colour flow, 3 PW spectral, 10 ECG, 13 grey bar, ...
 * @param flags RegionFlags (0018,6016)
 * @param minX0 RegionLocationMinX0 (0018,6018)
 * @param minY0 RegionLocationMinY0 (0018,601A)
 * @param maxX1 RegionLocationMaxX1 (0018,601C)
 * @param maxY1 RegionLocationMaxY1 (0018,601E)
 * @param unitsX PhysicalUnitsXDirection (0018,6024): 0 none, 3 cm, 4 s, ...; -1 when absent
 * @param unitsY PhysicalUnitsYDirection (0018,6026); -1 when absent
 * @param deltaX PhysicalDeltaX (0018,602C), in {@code unitsX} per pixel; NaN when absent
 * @param deltaY PhysicalDeltaY (0018,602E), in {@code unitsY} per pixel; NaN when absent
 */
public record UltrasoundRegion(
    int spatialFormat,
    int dataType,
    long flags,
    long minX0,
    long minY0,
    long maxX1,
    long maxY1,
    int unitsX,
    int unitsY,
    double deltaX,
    double deltaY) {

  /** PhysicalUnits code for centimetres. */
  public static final int UNITS_CM = 3;
  /** RegionDataType code for tissue (B-mode). */
  public static final int DATA_TISSUE = 1;
  /** RegionDataType code for colour flow. */
  public static final int DATA_COLOR_FLOW = 2;

  public long width() {
    return maxX1 - minX0 + 1;
  }

  public long height() {
    return maxY1 - minY0 + 1;
  }
}
