package sonogate.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** Uncompressed multi-frame pixel data: frame i is read on demand with one positional read. */
final class NativeFrames {
  private final Path file;
  private final FileChannel channel;
  private final long start;
  private final long frameBytes;

  NativeFrames(Path file, FileChannel channel, long start, long frameBytes) {
    this.file = file;
    this.channel = channel;
    this.start = start;
    this.frameBytes = frameBytes;
  }

  byte[] read(int index) throws IOException {
    byte[] out = new byte[(int) frameBytes];
    ChannelReader.readFully(channel, ByteBuffer.wrap(out), start + index * frameBytes, file);
    return out;
  }
}
