"""OpenCV's inpainting of one grey frame, for TeleaOpenCvTest: opencv_inpaint.py IN.pgm MASK.pgm OUT.pgm RADIUS.

Reads an 8-bit grey frame and a mask (non-zero = hole), writes cv2.inpaint(..., cv2.INPAINT_TELEA).
Exit code 3 when OpenCV is not installed (the test then skips)."""
import sys

try:
    import cv2
except ImportError:
    sys.stderr.write("no cv2 (Debian python3-opencv)\n")
    sys.exit(3)

src, mask, out, radius = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
img = cv2.imread(src, cv2.IMREAD_GRAYSCALE)
m = cv2.imread(mask, cv2.IMREAD_GRAYSCALE)
if img is None or m is None:
    sys.stderr.write("cannot read the input frames\n")
    sys.exit(1)
res = cv2.inpaint(img, (m > 0).astype("uint8") * 255, radius, cv2.INPAINT_TELEA)
if not cv2.imwrite(out, res):
    sys.exit(1)
print(cv2.__version__)
