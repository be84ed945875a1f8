package sonogate.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal AVI (RIFF) writer for tests: one video stream (BITMAPINFOHEADER with an optional
 * palette), frame chunks in 'movi' (optionally inside 'rec ' lists, optionally with audio chunks
 * between them), and an idx1 index.
 */
final class AviWriter {
  private final String compression; // null for BI_RGB
  private final int width;
  private final int height; // negative: top-down
  private final int bitCount;
  private int[] palette = new int[0];
  private long rate = 25;
  private long scale = 1;
  private boolean recLists;
  private boolean audio;
  private final List<byte[]> chunks = new ArrayList<>();

  AviWriter(String compression, int width, int height, int bitCount) {
    this.compression = compression;
    this.width = width;
    this.height = height;
    this.bitCount = bitCount;
  }

  AviWriter palette(int[] rgb) {
    this.palette = rgb;
    return this;
  }

  AviWriter rate(long rate, long scale) {
    this.rate = rate;
    this.scale = scale;
    return this;
  }

  /** Wraps each frame chunk in a LIST 'rec ' and puts an audio chunk ('01wb') after it. */
  AviWriter interleaved() {
    this.recLists = true;
    this.audio = true;
    return this;
  }

  AviWriter frame(byte[] data) {
    chunks.add(data);
    return this;
  }

  Path write(Path file) throws IOException {
    Files.write(file, toBytes());
    return file;
  }

  byte[] toBytes() {
    ByteArrayOutputStream strf = new ByteArrayOutputStream();
    ByteBuffer bih = le(40);
    bih.putInt(40).putInt(width).putInt(height).putShort((short) 1).putShort((short) bitCount)
        .putInt(compression == null ? 0 : fourcc(compression)).putInt(0).putInt(0).putInt(0)
        .putInt(palette.length).putInt(0);
    strf.writeBytes(bih.array());
    for (int rgb : palette) strf.writeBytes(le(4).putInt(rgb & 0xFFFFFF).array()); // B G R 0 in the file

    ByteBuffer strh = le(56);
    strh.put(ascii("vids")).put(compression == null ? new byte[4] : ascii(compression)).putInt(0).putShort((short) 0)
        .putShort((short) 0).putInt(0).putInt((int) scale).putInt((int) rate).putInt(0).putInt(chunks.size())
        .putInt(0).putInt(-1).putInt(0);
    byte[] strl = list("strl", chunk("strh", strh.array()), chunk("strf", strf.toByteArray()));
    ByteBuffer avih = le(56);
    avih.putInt((int) (1_000_000 * scale / rate)).putInt(0).putInt(0).putInt(0x10).putInt(chunks.size()).putInt(0)
        .putInt(1).putInt(0).putInt(width).putInt(Math.abs(height));
    byte[] hdrl = list("hdrl", chunk("avih", avih.array()), strl);

    List<byte[]> movie = new ArrayList<>();
    ByteArrayOutputStream idx = new ByteArrayOutputStream();
    int offset = 4;
    for (byte[] data : chunks) {
      byte[] c = chunk("00dc", data);
      idx.writeBytes(le(16).put(ascii("00dc")).putInt(0x10).putInt(offset).putInt(data.length).array());
      if (recLists) {
        byte[] rec = list("rec ", c, chunk("01wb", new byte[7]));
        movie.add(rec);
        offset += rec.length;
      } else {
        movie.add(c);
        offset += c.length;
      }
    }
    byte[] movi = list("movi", movie.toArray(byte[][]::new));
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(ascii("AVI "));
    body.writeBytes(hdrl);
    body.writeBytes(movi);
    body.writeBytes(chunk("idx1", idx.toByteArray()));
    return chunk("RIFF", body.toByteArray());
  }

  static byte[] chunk(String id, byte[] data) {
    ByteBuffer b = le(8 + data.length + (data.length & 1));
    b.put(ascii(id)).putInt(data.length).put(data);
    return b.array();
  }

  static byte[] list(String type, byte[]... children) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(ascii(type));
    for (byte[] c : children) out.writeBytes(c);
    return chunk("LIST", out.toByteArray());
  }

  private static ByteBuffer le(int n) {
    return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static int fourcc(String s) {
    return ByteBuffer.wrap(ascii(s)).order(ByteOrder.LITTLE_ENDIAN).getInt();
  }
}
