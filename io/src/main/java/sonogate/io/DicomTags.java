package sonogate.io;

import java.util.Set;

/**
 * The DICOM attributes the parser keeps. PRIVACY: this is a whitelist. Every other attribute, in
 * particular patient and study identifiers (PatientName, PatientID, PatientBirthDate,
 * AccessionNumber, InstitutionName, dates, descriptions), is skipped by length without its value
 * ever being read into memory, so nothing downstream can leak it.
 */
final class DicomTags {
  private DicomTags() {}

  static final int TRANSFER_SYNTAX_UID = 0x0002_0010;
  static final int MODALITY = 0x0008_0060;
  static final int RECOMMENDED_DISPLAY_FRAME_RATE = 0x0008_2144;
  static final int CINE_RATE = 0x0018_0040;
  static final int FRAME_TIME = 0x0018_1063;
  static final int FRAME_TIME_VECTOR = 0x0018_1065;
  static final int IMAGER_PIXEL_SPACING = 0x0018_1164;
  static final int ULTRASOUND_REGIONS = 0x0018_6011;
  static final int REGION_SPATIAL_FORMAT = 0x0018_6012;
  static final int REGION_DATA_TYPE = 0x0018_6014;
  static final int REGION_FLAGS = 0x0018_6016;
  static final int REGION_MIN_X0 = 0x0018_6018;
  static final int REGION_MIN_Y0 = 0x0018_601A;
  static final int REGION_MAX_X1 = 0x0018_601C;
  static final int REGION_MAX_Y1 = 0x0018_601E;
  static final int PHYSICAL_UNITS_X = 0x0018_6024;
  static final int PHYSICAL_UNITS_Y = 0x0018_6026;
  static final int PHYSICAL_DELTA_X = 0x0018_602C;
  static final int PHYSICAL_DELTA_Y = 0x0018_602E;
  static final int SAMPLES_PER_PIXEL = 0x0028_0002;
  static final int PHOTOMETRIC = 0x0028_0004;
  static final int PLANAR_CONFIGURATION = 0x0028_0006;
  static final int NUMBER_OF_FRAMES = 0x0028_0008;
  static final int ROWS = 0x0028_0010;
  static final int COLUMNS = 0x0028_0011;
  static final int PIXEL_SPACING = 0x0028_0030;
  static final int BITS_ALLOCATED = 0x0028_0100;
  static final int BITS_STORED = 0x0028_0101;
  static final int HIGH_BIT = 0x0028_0102;
  static final int PIXEL_REPRESENTATION = 0x0028_0103;
  static final int WINDOW_CENTER = 0x0028_1050;
  static final int WINDOW_WIDTH = 0x0028_1051;
  static final int RESCALE_INTERCEPT = 0x0028_1052;
  static final int RESCALE_SLOPE = 0x0028_1053;
  static final int RED_DESCRIPTOR = 0x0028_1101;
  static final int GREEN_DESCRIPTOR = 0x0028_1102;
  static final int BLUE_DESCRIPTOR = 0x0028_1103;
  static final int RED_DATA = 0x0028_1201;
  static final int GREEN_DATA = 0x0028_1202;
  static final int BLUE_DATA = 0x0028_1203;
  static final int RED_SEGMENTED = 0x0028_1221;
  static final int GREEN_SEGMENTED = 0x0028_1222;
  static final int BLUE_SEGMENTED = 0x0028_1223;
  static final int EXTENDED_OFFSET_TABLE = 0x7FE0_0001;
  static final int PIXEL_DATA = 0x7FE0_0010;
  static final int FLOAT_PIXEL_DATA = 0x7FE0_0008;
  static final int DOUBLE_PIXEL_DATA = 0x7FE0_0009;

  static final int ITEM = 0xFFFE_E000;
  static final int ITEM_END = 0xFFFE_E00D;
  static final int SEQUENCE_END = 0xFFFE_E0DD;

  /** Top-level attributes whose values are read. Technical only: see the class comment. */
  static final Set<Integer> KEPT = Set.of(
      TRANSFER_SYNTAX_UID, MODALITY, RECOMMENDED_DISPLAY_FRAME_RATE, CINE_RATE, FRAME_TIME,
      FRAME_TIME_VECTOR, IMAGER_PIXEL_SPACING, SAMPLES_PER_PIXEL, PHOTOMETRIC, PLANAR_CONFIGURATION,
      NUMBER_OF_FRAMES, ROWS, COLUMNS, PIXEL_SPACING, BITS_ALLOCATED, BITS_STORED, HIGH_BIT,
      PIXEL_REPRESENTATION, WINDOW_CENTER, WINDOW_WIDTH, RESCALE_INTERCEPT, RESCALE_SLOPE,
      RED_DESCRIPTOR, GREEN_DESCRIPTOR, BLUE_DESCRIPTOR, RED_DATA, GREEN_DATA, BLUE_DATA,
      RED_SEGMENTED, GREEN_SEGMENTED, BLUE_SEGMENTED, EXTENDED_OFFSET_TABLE);

  /** Attributes read inside an item of the ultrasound region sequence. */
  static final Set<Integer> REGION_KEPT = Set.of(
      REGION_SPATIAL_FORMAT, REGION_DATA_TYPE, REGION_FLAGS, REGION_MIN_X0, REGION_MIN_Y0,
      REGION_MAX_X1, REGION_MAX_Y1, PHYSICAL_UNITS_X, PHYSICAL_UNITS_Y, PHYSICAL_DELTA_X,
      PHYSICAL_DELTA_Y);

  static String hex(int tag) {
    return String.format("(%04X,%04X)", tag >>> 16, tag & 0xFFFF);
  }
}
