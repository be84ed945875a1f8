"""Independent SSIM/PSNR for SsimOracleTest.

Reads cases from the binary file argv[1] (little-endian: int32 count, then per case int32 h, int32 w
and float32 arrays a, b, mask of h*w values, grey in [-1, 1]) and prints one line per case:
"<mean ssim> <ssim map mean over mask> <psnr>", all on the [0, 1] intensity with data range 1.
Uses scikit-image's structural_similarity / peak_signal_noise_ratio when importable, else a small
numpy implementation of Wang et al. 2004 (first line of output names the oracle).
"""
import struct
import sys

import numpy as np

try:
    from skimage.metrics import structural_similarity, peak_signal_noise_ratio
    ORACLE = "skimage"
except Exception:  # noqa: BLE001 - any import problem means: use the fallback
    ORACLE = "numpy"


def gaussian_filter(img, sigma=1.5, radius=5):
    x = np.arange(-radius, radius + 1, dtype=np.float64)
    k = np.exp(-0.5 * x * x / (sigma * sigma))
    k /= k.sum()
    p = np.pad(img, radius, mode="symmetric")  # half-sample symmetric, like scipy's "reflect"
    rows = sum(k[i] * p[:, i:i + img.shape[1]] for i in range(2 * radius + 1))
    return sum(k[i] * rows[i:i + img.shape[0], :] for i in range(2 * radius + 1))


def numpy_ssim(a, b):
    c1, c2 = 0.01 ** 2, 0.03 ** 2
    ux, uy = gaussian_filter(a), gaussian_filter(b)
    vx = gaussian_filter(a * a) - ux * ux
    vy = gaussian_filter(b * b) - uy * uy
    vxy = gaussian_filter(a * b) - ux * uy
    s = (2 * ux * uy + c1) * (2 * vxy + c2) / ((ux * ux + uy * uy + c1) * (vx + vy + c2))
    return s[5:-5, 5:-5].mean(), s


def main():
    data = open(sys.argv[1], "rb").read()
    off = 0
    (count,) = struct.unpack_from("<i", data, off)
    off += 4
    print(ORACLE)
    for _ in range(count):
        h, w = struct.unpack_from("<ii", data, off)
        off += 8
        arrs = []
        for _ in range(3):
            arr = np.frombuffer(data, dtype="<f4", count=h * w, offset=off).astype(np.float64).reshape(h, w)
            off += 4 * h * w
            arrs.append(arr)
        a, b, mask = (arrs[0] + 1) * 0.5, (arrs[1] + 1) * 0.5, arrs[2] > 0.5
        if ORACLE == "skimage":
            mean, smap = structural_similarity(a, b, gaussian_weights=True, sigma=1.5,
                                               use_sample_covariance=False, data_range=1, full=True)
            psnr = peak_signal_noise_ratio(a, b, data_range=1)
        else:
            mean, smap = numpy_ssim(a, b)
            mse = np.mean((a - b) ** 2)
            psnr = float("inf") if mse == 0 else 10 * np.log10(1 / mse)
        in_mask = smap[mask].mean() if mask.any() else float("nan")
        print(repr(float(mean)), repr(float(in_mask)), repr(float(psnr)))


if __name__ == "__main__":
    main()
