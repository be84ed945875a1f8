package sonogate.io;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Baseline JPEG of one frame through the JDK's ImageIO writer: 1 component for grey frames, JFIF
 * YCbCr for RGB. Colour is written without chroma subsampling (4:4:4): colour-flow overlays are
 * thin saturated structures that 4:2:0 would smear. The JFIF marker is the only metadata written.
 */
final class JpegFrameEncoder implements AutoCloseable {
  private static final String NATIVE_FORMAT = "javax_imageio_jpeg_image_1.0";

  private final ImageWriter writer;
  private final ImageWriteParam param;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

  JpegFrameEncoder(float quality) throws IOException {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
    if (!writers.hasNext()) throw new IOException("no ImageIO JPEG writer in this JDK");
    this.writer = writers.next();
    this.param = writer.getDefaultWriteParam();
    param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
    param.setCompressionQuality(quality);
  }

  /** The JPEG bytes of {@code f}. */
  byte[] encode(Frame f) throws IOException {
    BufferedImage img = FrameImages.toImage(f);
    IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), param);
    if (f.channels() == 3) fullChromaResolution(meta);
    buffer.reset();
    try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(buffer)) {
      writer.setOutput(out);
      writer.write(null, new IIOImage(img, null, meta), param);
    }
    return buffer.toByteArray();
  }

  /** Sets every component's sampling factors to 1 (ImageIO's default subsamples chroma 2x2). */
  private static void fullChromaResolution(IIOMetadata meta) throws IOException {
    Node root = meta.getAsTree(NATIVE_FORMAT);
    NodeList specs = ((Element) root).getElementsByTagName("componentSpec");
    for (int i = 0; i < specs.getLength(); i++) {
      Element spec = (Element) specs.item(i);
      spec.setAttribute("HsamplingFactor", "1");
      spec.setAttribute("VsamplingFactor", "1");
    }
    meta.setFromTree(NATIVE_FORMAT, root);
  }

  @Override
  public void close() {
    writer.dispose();
  }
}
