package sonogate.io;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import org.jcodec.codecs.mpeg12.MPEGDecoder;
import org.jcodec.codecs.mpeg12.bitstream.PictureHeader;
import org.jcodec.codecs.mpeg12.bitstream.SequenceHeader;
import org.jcodec.common.io.BitReader;
import org.jcodec.common.model.Picture;

/**
 * JCodec's MPEG-1/MPEG-2 video decoder with two defects of JCodec 0.2.5 contained.
 *
 * <p>Global syntax flag: JCodec records "this stream has MPEG-2 extensions" in a private STATIC
 * field of {@code SequenceHeader} that the first MPEG-2 sequence extension sets and nothing
 * resets, so once any MPEG-2 stream was decoded in the JVM, MPEG-1 streams are parsed with MPEG-2
 * syntax and decode to garbage (measured: 11 dB against ffmpeg). Each call here sets the flag to
 * this stream's own syntax and decodes while holding one lock, so readers of both kinds, in any
 * order or thread, decode right. When the field cannot be found (another JCodec version),
 * MPEG-1 is refused ({@link #canDecodeMpeg1()}).
 *
 * <p>Swallowed errors: JCodec catches an exception in a slice, prints its stack trace to
 * standard error and goes on with a damaged picture. {@link #decodeSlice} catches it first, and
 * {@link #decode} turns it into an exception the reader reports as a one-line error.
 */
final class Mpeg12Decoder extends MPEGDecoder {
  private static final Object LOCK = new Object();
  private static final Field SYNTAX_FLAG = syntaxFlag();

  private final boolean mpeg2;
  private RuntimeException sliceFailure;

  Mpeg12Decoder(boolean mpeg2) {
    this.mpeg2 = mpeg2;
  }

  private static Field syntaxFlag() {
    try {
      Field f = SequenceHeader.class.getDeclaredField("_hasExtensions");
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** False when the MPEG-1 syntax cannot be forced (see the class comment). */
  static boolean canDecodeMpeg1() {
    return SYNTAX_FLAG != null;
  }

  /** Decodes one picture unit; a damaged slice throws instead of being printed. */
  Picture decode(ByteBuffer unit, byte[][] buffer) {
    synchronized (LOCK) {
      try {
        if (SYNTAX_FLAG != null) SYNTAX_FLAG.setBoolean(null, mpeg2);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException("cannot set JCodec's MPEG syntax flag", e);
      }
      sliceFailure = null;
      Picture picture = decodeFrame(unit, buffer);
      if (sliceFailure != null) throw sliceFailure;
      return picture;
    }
  }

  @Override
  public void decodeSlice(PictureHeader ph, int verticalPos, Context context, byte[][] buf, BitReader in, int vertOff,
      int vertStep) throws IOException {
    try {
      super.decodeSlice(ph, verticalPos, context, buf, in, vertOff, vertStep);
    } catch (RuntimeException e) {
      if (sliceFailure == null) sliceFailure = e;
    }
  }
}
