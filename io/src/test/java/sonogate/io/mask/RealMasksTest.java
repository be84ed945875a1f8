package sonogate.io.mask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import sonogate.io.ClipReader;
import sonogate.io.RealClips;
import sonogate.io.TestData;

/** The mask estimate on the real files: colour flow inside the colour boxes, scanner graphics left alone. */
class RealMasksTest {
  /**
   * A real CFD file and the bounding boxes of its colour boxes, measured on its first frame from
   * the drawn box outlines (pixel runs of the outline colour); for the TEE crop, which draws only
   * the two beam lines, the flow's extent between and just beside them.
   */
  record Cfd(String file, List<Sector.Rect> boxes) {}

  static final List<Cfd> CFD = List.of(
      new Cfd("cfd/dcm4che_US-PAL-8-10x-echo.dcm", List.of(new Sector.Rect(223, 97, 416, 307))),
      new Cfd("cfd/pydicom-data_US1_UNCR.dcm", List.of(new Sector.Rect(87, 147, 547, 295))),
      new Cfd("cfd/orthanc_PrivateTags_GE-LOGIQBook.dcm", List.of(new Sector.Rect(24, 101, 158, 273), new Sector.Rect(293, 101, 427, 273))),
      new Cfd("cfd/dcm4che_US-RGB-8-esopecho.dcm", List.of(new Sector.Rect(70, 0, 215, 119))));

  /** B-mode files with coloured graphics: green text, markers and cursor; a yellow icon; an orange dot and ECG panel lines. */
  static final List<String> GRAPHICS = List.of(
      "bmode-image/pydicom-data_gdcm-US-ALOKA-16.dcm",
      "bmode-image/dcm4che_YBR_FULL-RLE.dcm",
      "bmode-video/pylibjpeg-data_JPEGLosslessP14SV1_3s_2f_u_08_08.dcm");

  static boolean inBoxes(List<Sector.Rect> boxes, int x, int y, int grow) {
    for (Sector.Rect b : boxes) if (x >= b.x0() - grow && x <= b.x1() + grow && y >= b.y0() - grow && y <= b.y1() + grow) return true;
    return false;
  }

  @Test
  void realColourFlowIsFoundInsideItsColourBoxes() throws Exception {
    for (Cfd c : CFD) {
      try (ClipReader r = RealClips.open(TestData.file(c.file()))) {
        ColourMask cm = ColourMask.forClip(r, MaskSettings.defaults());
        Iterator<ColourMask.Result> it = cm.stream(r.frames());
        int frame = 0;
        while (it.hasNext()) {
          ColourMask.Result res = it.next();
          int w = res.width(), inside = 0, total = 0;
          for (int i = 0; i < res.colour().length; i++) {
            if (res.colour()[i] == 0) continue;
            total++;
            if (inBoxes(c.boxes(), i % w, i / w, 4)) inside++;
          }
          System.out.printf(Locale.ROOT, "real CFD %s frame %d: colour %.2f%% of the frame, %.1f%% of it inside the colour boxes (sector: %s)%n",
              c.file(), frame, 100.0 * total / res.colour().length, 100.0 * inside / Math.max(1, total), cm.sector());
          assertTrue(total > 0.005 * res.colour().length, c.file() + " frame " + frame + ": colour " + total + " px");
          assertTrue(inside >= 0.97 * total, c.file() + " frame " + frame + ": " + inside + " of " + total + " inside the boxes");
          frame++;
        }
      }
    }
  }

  @Test
  void colouredGraphicsOnBmodeAreNotFlow() throws Exception {
    for (String file : GRAPHICS) {
      for (boolean useRegions : new boolean[] {true, false}) {
        try (ClipReader r = RealClips.open(TestData.file(file))) {
          ColourMask cm = useRegions ? ColourMask.forClip(r, MaskSettings.defaults()) : new ColourMask();
          Iterator<ColourMask.Result> it = cm.stream(r.frames());
          long coloured = chromaPixels(r);
          int frame = 0;
          while (it.hasNext()) {
            ColourMask.Result res = it.next();
            assertEquals(0, MaskStats.count(res.colour()), file + (useRegions ? " (regions)" : " (estimated sector)") + " frame " + frame);
            frame++;
          }
          assertTrue(coloured > 50, file + " has coloured graphics to ignore: " + coloured + " px");
        }
      }
    }
  }

  @Test
  void sectorShapesOfRealFiles() throws Exception {
    // Estimated from the pixels (DICOM regions ignored): phased arrays and a convex probe are fans,
    // the linear power-Doppler image a rectangle.
    record Expect(String file, Sector.Kind kind) {}
    for (Expect e : List.of(new Expect("cfd/dcm4che_US-PAL-8-10x-echo.dcm", Sector.Kind.FAN),
        new Expect("cfd/dcm4che_US-RGB-8-esopecho.dcm", Sector.Kind.FAN),
        new Expect("bmode-image/pylibjpeg-data_JPEGLosslessP14SV1_1s_1f_u_08_08.dcm", Sector.Kind.FAN),
        new Expect("bmode-video/plus_UltrasonixCurvilinearScanConvertedData.igs.mha", Sector.Kind.FAN),
        new Expect("cfd/pydicom-data_US1_UNCR.dcm", Sector.Kind.RECTANGLE))) {
      Sector s = SectorEstimator.estimate(sonogate.io.RealClips.frames(e.file(), 4), SectorEstimator.Settings.defaults());
      System.out.println("sector of " + e.file() + ": " + s + " " + s.largestPart());
      assertEquals(e.kind(), s.largestPart().kind(), e.file() + ": " + s.parts());
    }
  }

  /** Pixels of frame 0 with chroma above the default threshold. */
  static long chromaPixels(ClipReader r) throws Exception {
    byte[] s = r.readFrame(0).samples();
    long n = 0;
    for (int i = 0; i + 2 < s.length; i += 3) {
      int a = s[i] & 0xFF, b = s[i + 1] & 0xFF, c = s[i + 2] & 0xFF;
      if (Math.max(a, Math.max(b, c)) - Math.min(a, Math.min(b, c)) > MaskSettings.defaults().threshold()) n++;
    }
    return n;
  }
}
