package sonogate.io;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.FileImageOutputStream;

/**
 * An animated GIF through the JDK's ImageIO GIF writer: looping forever (NETSCAPE2.0 extension),
 * each frame's delay from the frame rate. Grey frames use a 256-level grey palette, so they are
 * stored exactly; RGB frames are reduced to 256 colours per frame by ImageIO's octree quantiser
 * (lossy). Delays are whole hundredths of a second, accumulated so the average rate is the clip's;
 * they are at least 2 (browsers slow shorter delays to 10), so rates above 50 fps play at 50.
 * Nothing but frames and delays is written: no comment or other application extension.
 */
final class AnimatedGifWriter implements FrameWriter {
  private static final String NATIVE_FORMAT = "javax_imageio_gif_image_1.0";
  private static final IndexColorModel GREY = greyPalette();

  private final AtomicFile file;
  private final FileImageOutputStream stream;
  private final ImageWriter writer;
  private final ImageWriteParam param;
  private final double fps;
  private int count;
  private boolean streamClosed;
  private final FrameShape shape = new FrameShape();

  AnimatedGifWriter(Path target, WriterOptions options) throws IOException {
    this.fps = options.frameRateOrDefault();
    this.file = new AtomicFile(target);
    FileImageOutputStream s = null;
    try {
      Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("gif");
      if (!writers.hasNext()) throw new IOException("no ImageIO GIF writer in this JDK");
      this.writer = writers.next();
      this.param = writer.getDefaultWriteParam();
      s = new FileImageOutputStream(file.tmp().toFile());
      writer.setOutput(s);
      writer.prepareWriteSequence(null);
    } catch (IOException | RuntimeException e) {
      if (s != null) s.close();
      file.close();
      throw e;
    }
    this.stream = s;
  }

  private static IndexColorModel greyPalette() {
    byte[] levels = new byte[256];
    for (int i = 0; i < 256; i++) levels[i] = (byte) i;
    return new IndexColorModel(8, 256, levels, levels, levels);
  }

  /** Delay of frame {@code i} in 1/100 s: differences of rounded cumulative times, at least 2. */
  static int delay(int i, double fps) {
    long end = Math.round((i + 1) * 100 / fps);
    long start = Math.round(i * 100 / fps);
    return (int) Math.max(2, Math.min(65535, end - start));
  }

  @Override
  public void write(Frame f) throws IOException {
    if (file.committed()) throw new IllegalStateException("already committed");
    shape.accept(f, count);
    BufferedImage img;
    if (f.channels() == 1) {
      img = new BufferedImage(f.width(), f.height(), BufferedImage.TYPE_BYTE_INDEXED, GREY);
      System.arraycopy(f.samples(), 0, ((DataBufferByte) img.getRaster().getDataBuffer()).getData(), 0, f.samples().length);
    } else {
      img = FrameImages.toImage(f); // the writer quantises it
    }
    IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), param);
    IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(NATIVE_FORMAT);
    IIOMetadataNode gce = child(root, "GraphicControlExtension");
    gce.setAttribute("disposalMethod", "none");
    gce.setAttribute("userInputFlag", "FALSE");
    gce.setAttribute("transparentColorFlag", "FALSE");
    gce.setAttribute("transparentColorIndex", "0");
    gce.setAttribute("delayTime", Integer.toString(delay(count, fps)));
    if (count == 0) {
      IIOMetadataNode app = new IIOMetadataNode("ApplicationExtension");
      app.setAttribute("applicationID", "NETSCAPE");
      app.setAttribute("authenticationCode", "2.0");
      app.setUserObject(new byte[] {1, 0, 0}); // sub-block 1: loop count 0 = forever
      child(root, "ApplicationExtensions").appendChild(app);
    }
    meta.setFromTree(NATIVE_FORMAT, root);
    writer.writeToSequence(new IIOImage(img, null, meta), param);
    count++;
  }

  private static IIOMetadataNode child(IIOMetadataNode parent, String name) {
    for (org.w3c.dom.Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n.getNodeName().equals(name)) return (IIOMetadataNode) n;
    }
    IIOMetadataNode node = new IIOMetadataNode(name);
    parent.appendChild(node);
    return node;
  }

  @Override
  public int count() {
    return count;
  }

  @Override
  public void commit() throws IOException {
    if (file.committed()) return;
    if (count == 0) throw new IOException(file.target() + ": no frames to write");
    writer.endWriteSequence();
    streamClosed = true;
    stream.close();
    file.commit();
  }

  @Override
  public void close() throws IOException {
    try {
      writer.dispose();
      if (!streamClosed) {
        streamClosed = true;
        stream.close();
      }
    } finally {
      file.close();
    }
  }
}
