package sonogate.io;

import java.nio.file.Path;

/**
 * Lossless JPEG (ITU-T T.81 process 14, the DICOM transfer syntaxes .4.57 and .4.70), which the
 * JDK cannot decode: Huffman-coded differences from one of predictors 1..7, precision 2..16 bits,
 * any number of components in interleaved or separate scans (all sampled 1x1), restart markers
 * and point transform. Returns pixel-interleaved samples.
 */
final class LosslessJpegDecoder {
  /** A decoded image: {@code samples[(y * width + x) * components + c]}. */
  record Image(int width, int height, int components, int precision, int[] samples) {}

  private static final int LOOKAHEAD = 9;

  private final byte[] data;
  private final Path file;
  private int pos;
  private final HuffmanTable[] tables = new HuffmanTable[4];
  private int precision;
  private int width;
  private int height;
  private int[] componentIds;
  private int restartInterval;
  private int[] samples;
  // bit reader state
  private long bitBuffer;
  private int bitCount;
  private boolean markerReached;

  private final int expectedWidth;
  private final int expectedHeight;
  private final int expectedComponents;
  private int paddingBytes; // zero bytes fill() made up past the end of the entropy-coded data

  private LosslessJpegDecoder(byte[] data, Path file, int width, int height, int components) {
    this.data = data;
    this.file = file;
    this.expectedWidth = width;
    this.expectedHeight = height;
    this.expectedComponents = components;
  }

  /**
   * Decodes a frame that must be {@code width x height x components} (the DICOM header's size): a
   * frame header saying otherwise is refused before anything is allocated, and entropy-coded data
   * that ends before the last sample is an error, not a frame completed with made-up samples.
   */
  static Image decode(byte[] data, Path file, int width, int height, int components) throws ClipFormatException {
    try {
      return new LosslessJpegDecoder(data, file, width, height, components).run();
    } catch (IndexOutOfBoundsException e) {
      throw new ClipFormatException(file, "lossless JPEG stream is truncated or corrupt", e);
    }
  }

  private Image run() throws ClipFormatException {
    if (data.length < 4 || (data[0] & 0xFF) != 0xFF || (data[1] & 0xFF) != 0xD8) throw error("lossless JPEG frame does not start with SOI");
    pos = 2;
    int scans = 0;
    while (true) {
      int marker = nextMarker();
      if (marker < 0) {
        if (scans > 0) break; // tolerate a missing EOI
        throw error("lossless JPEG stream ends before its first scan");
      }
      switch (marker) {
        case 0xD8 -> { }
        case 0xD9 -> {
          if (scans == 0) throw error("lossless JPEG stream has no scan");
          return image();
        }
        case 0xC4 -> readHuffmanTables();
        case 0xC3 -> readFrameHeader();
        case 0xDD -> { // DRI: length (4), then the interval in MCUs
          int length = segmentLength();
          if (length < 4) throw error("JPEG DRI segment of length " + length);
          restartInterval = u16(pos + 2);
          pos += length;
        }
        case 0xDA -> {
          readScan();
          scans++;
        }
        case 0xC0, 0xC1, 0xC2, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF ->
            throw error(String.format("JPEG frame is SOF%d, not lossless (SOF3)", marker - 0xC0));
        default -> pos += segmentLength(); // APPn, COM, DQT, DNL...
      }
    }
    return image();
  }

  private Image image() throws ClipFormatException {
    if (samples == null) throw error("lossless JPEG stream has no frame header");
    return new Image(width, height, componentIds.length, precision, samples);
  }

  /** Skips fill bytes and returns the next marker code, or -1 at the end of the data. */
  private int nextMarker() {
    while (pos + 1 < data.length) {
      if ((data[pos] & 0xFF) == 0xFF && (data[pos + 1] & 0xFF) != 0xFF && data[pos + 1] != 0) {
        int m = data[pos + 1] & 0xFF;
        pos += 2;
        return m;
      }
      pos++;
    }
    return -1;
  }

  private int segmentLength() throws ClipFormatException {
    int length = u16(pos);
    if (length < 2 || pos + length > data.length) throw error("JPEG segment length " + length + " runs past the data");
    return length;
  }

  private int u16(int at) {
    return (data[at] & 0xFF) << 8 | data[at + 1] & 0xFF;
  }

  private void readHuffmanTables() throws ClipFormatException {
    int end = pos + segmentLength();
    pos += 2;
    while (pos < end) {
      int tcTh = data[pos++] & 0xFF;
      int id = tcTh & 0x0F;
      if (id > 3) throw error("Huffman table id " + id);
      int[] counts = new int[17];
      int total = 0;
      for (int l = 1; l <= 16; l++) {
        counts[l] = data[pos++] & 0xFF;
        total += counts[l];
      }
      if (total > 256 || pos + total > end) throw error("Huffman table with " + total + " codes");
      int[] symbols = new int[total];
      for (int i = 0; i < total; i++) symbols[i] = data[pos++] & 0xFF;
      long code = 0;
      for (int l = 1; l <= 16; l++) { // canonical codes must fit their lengths (T.81 C.2)
        code = (code + counts[l]) << 1;
        if (code > 1L << (l + 1)) throw error("Huffman table " + id + " has more codes than its lengths allow");
      }
      tables[id] = new HuffmanTable(counts, symbols);
    }
    pos = end;
  }

  private void readFrameHeader() throws ClipFormatException {
    int end = pos + segmentLength();
    precision = data[pos + 2] & 0xFF;
    height = u16(pos + 3);
    width = u16(pos + 5);
    int nf = data[pos + 7] & 0xFF;
    if (precision < 2 || precision > 16) throw error("lossless JPEG precision " + precision);
    if (height == 0) throw error("lossless JPEG with height 0 (DNL) is not supported");
    if (width == 0 || nf == 0 || nf > 4) throw error("lossless JPEG frame " + width + "x" + height + "x" + nf);
    if (pos + 8 + 3 * nf > end) throw error("lossless JPEG frame header is truncated");
    if (width != expectedWidth || height != expectedHeight || nf != expectedComponents) {
      throw error("JPEG frame is " + width + "x" + height + "x" + nf + " but the header says "
          + expectedWidth + "x" + expectedHeight + "x" + expectedComponents);
    }
    if (samples != null) throw error("lossless JPEG stream has a second frame header");
    componentIds = new int[nf];
    for (int c = 0; c < nf; c++) {
      componentIds[c] = data[pos + 8 + 3 * c] & 0xFF;
      int sampling = data[pos + 9 + 3 * c] & 0xFF;
      if (sampling != 0x11 && nf > 1) throw error("subsampled lossless JPEG components are not supported");
    }
    // at least one bit per sample: a frame this size cannot be in fewer bytes
    if ((long) width * height * nf > 8L * data.length) {
      throw error("lossless JPEG frame of " + width + "x" + height + "x" + nf + " samples cannot be in " + data.length + " bytes");
    }
    samples = new int[width * height * nf];
    pos = end;
  }

  private void readScan() throws ClipFormatException {
    if (samples == null) throw error("JPEG scan before the frame header");
    int end = pos + segmentLength();
    int ns = data[pos + 2] & 0xFF;
    if (ns < 1 || ns > componentIds.length || pos + 3 + 2 * ns + 3 > end) throw error("JPEG scan with " + ns + " components");
    int[] comp = new int[ns];
    HuffmanTable[] table = new HuffmanTable[ns];
    for (int i = 0; i < ns; i++) {
      int id = data[pos + 3 + 2 * i] & 0xFF;
      comp[i] = -1;
      for (int c = 0; c < componentIds.length; c++) if (componentIds[c] == id) comp[i] = c;
      if (comp[i] < 0) throw error("JPEG scan names unknown component " + id);
      table[i] = tables[(data[pos + 4 + 2 * i] & 0xFF) >> 4 & 3];
      if (table[i] == null) throw error("JPEG scan uses an undefined Huffman table");
    }
    int predictor = data[pos + 3 + 2 * ns] & 0xFF;
    int pointTransform = data[pos + 5 + 2 * ns] & 0x0F;
    if (predictor < 1 || predictor > 7) throw error("lossless JPEG predictor " + predictor);
    if (pointTransform >= precision) throw error("lossless JPEG point transform " + pointTransform);
    pos = end;
    decodeScan(comp, table, predictor, pointTransform);
  }

  private void decodeScan(int[] comp, HuffmanTable[] table, int predictor, int pt) throws ClipFormatException {
    int nf = componentIds.length;
    int stride = width * nf;
    int initial = 1 << (precision - pt - 1);
    int mask = (1 << (precision - pt)) - 1;
    bitBuffer = 0;
    bitCount = 0;
    markerReached = false;
    int mcu = 0;
    int intervalRow = 0; // first row of the current restart interval: predicted from the left only
    boolean reset = true; // next sample of each component starts from the initial predictor
    paddingBytes = 0;
    for (int y = 0; y < height; y++) {
      checkNotPastTheData(y);
      for (int x = 0; x < width; x++) {
        if (restartInterval > 0 && mcu > 0 && mcu % restartInterval == 0) {
          checkNotPastTheData(y);
          restart();
          intervalRow = y;
          reset = true;
        }
        mcu++;
        int base = y * stride + x * nf;
        for (int i = 0; i < comp.length; i++) {
          int at = base + comp[i];
          int px;
          if (reset) px = initial;
          else if (y == intervalRow) px = samples[at - nf];
          else if (x == 0) px = samples[at - stride];
          else {
            int ra = samples[at - nf];
            int rb = samples[at - stride];
            int rc = samples[at - stride - nf];
            px = switch (predictor) {
              case 1 -> ra;
              case 2 -> rb;
              case 3 -> rc;
              case 4 -> ra + rb - rc;
              case 5 -> ra + ((rb - rc) >> 1);
              case 6 -> rb + ((ra - rc) >> 1);
              default -> (ra + rb) >> 1;
            };
          }
          samples[at] = (px + difference(table[i])) & mask;
        }
        reset = false;
      }
    }
    checkNotPastTheData(height);
    if (pt > 0) {
      for (int y = 0; y < height; y++) {
        for (int i = 0; i < comp.length; i++) {
          for (int x = 0; x < width; x++) samples[y * stride + x * nf + comp[i]] <<= pt;
        }
      }
    }
    if (!markerReached) { // leave pos at the marker after the entropy-coded data
      while (pos + 1 < data.length && !((data[pos] & 0xFF) == 0xFF && data[pos + 1] != 0)) pos++;
    }
  }

  /** Fails once samples were decoded from made-up bits: the data ended (or hit a marker) too early. */
  private void checkNotPastTheData(int row) throws ClipFormatException {
    if (8L * paddingBytes > bitCount) {
      throw error("lossless JPEG data ends before row " + row + " of " + height + " (truncated or corrupt)");
    }
  }

  private void restart() throws ClipFormatException {
    bitBuffer = 0;
    bitCount = 0;
    paddingBytes = 0;
    markerReached = false;
    while (pos + 1 < data.length && (data[pos] & 0xFF) == 0xFF && (data[pos + 1] & 0xFF) == 0xFF) pos++;
    if (pos + 1 >= data.length || (data[pos] & 0xFF) != 0xFF || (data[pos + 1] & 0xF8) != 0xD0) {
      throw error("lossless JPEG restart marker missing at byte " + pos);
    }
    pos += 2;
  }

  private int difference(HuffmanTable t) throws ClipFormatException {
    int ssss = decodeSymbol(t);
    if (ssss == 0) return 0;
    if (ssss == 16) return 32768;
    if (ssss > 16) throw error("lossless JPEG difference category " + ssss);
    int v = bits(ssss);
    return v < 1 << (ssss - 1) ? v - (1 << ssss) + 1 : v;
  }

  private void fill() {
    while (bitCount <= 48) {
      int b = 0;
      if (markerReached || pos >= data.length) paddingBytes++;
      if (!markerReached && pos < data.length) {
        b = data[pos] & 0xFF;
        if (b == 0xFF) {
          int next = pos + 1 < data.length ? data[pos + 1] & 0xFF : 0xD9;
          if (next == 0) {
            pos += 2;
          } else {
            markerReached = true;
            paddingBytes++;
            b = 0;
          }
        } else {
          pos++;
        }
      }
      bitBuffer = bitBuffer << 8 | b;
      bitCount += 8;
    }
  }

  private int bits(int n) {
    if (bitCount < n) fill();
    bitCount -= n;
    return (int) (bitBuffer >>> bitCount) & ((1 << n) - 1);
  }

  private int decodeSymbol(HuffmanTable t) throws ClipFormatException {
    if (bitCount < 16) fill();
    int peek = (int) (bitBuffer >>> (bitCount - LOOKAHEAD)) & ((1 << LOOKAHEAD) - 1);
    int entry = t.fast[peek];
    if (entry != 0) {
      bitCount -= entry >> 8;
      return entry & 0xFF;
    }
    int code = 0;
    for (int length = 1; length <= 16; length++) {
      code = code << 1 | bits(1);
      if (code <= t.maxCode[length]) return t.symbols[t.valuePointer[length] + code - t.minCode[length]];
    }
    throw error("invalid Huffman code in lossless JPEG data");
  }

  private ClipFormatException error(String problem) {
    return new ClipFormatException(file, problem);
  }

  /** A canonical Huffman table (T.81 Annex C) with a 9-bit lookahead table for short codes. */
  private static final class HuffmanTable {
    final int[] symbols;
    final int[] minCode = new int[17];
    final int[] maxCode = new int[17];
    final int[] valuePointer = new int[17];
    final int[] fast = new int[1 << LOOKAHEAD]; // (length << 8 | symbol), 0 when the code is longer

    HuffmanTable(int[] counts, int[] symbols) {
      this.symbols = symbols;
      int code = 0;
      int k = 0;
      for (int length = 1; length <= 16; length++) {
        valuePointer[length] = k;
        minCode[length] = code;
        for (int i = 0; i < counts[length]; i++) {
          if (length <= LOOKAHEAD) {
            int shift = LOOKAHEAD - length;
            for (int j = 0; j < 1 << shift; j++) fast[(code << shift) + j] = length << 8 | symbols[k];
          }
          code++;
          k++;
        }
        maxCode[length] = counts[length] == 0 ? -1 : code - 1;
        code <<= 1;
      }
    }
  }
}
