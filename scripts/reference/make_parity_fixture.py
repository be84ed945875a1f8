"""Writes the PyTorch parity fixture (llm.c's "debug state") for sonogate's PyTorchParityTest.

    /usr/bin/python3 scripts/reference/make_parity_fixture.py --out FILE --seed N

Builds config tiny (c=8, 64x64, attention on) with PyTorch's default initialisation, draws a
batch of N=2 synthetic grey frames (smooth structures plus multiplicative speckle, in [-1, 1])
and vessel/blob-like hole masks (5-30% coverage), runs the forward, one D step and one G step
(translator_reference.gan_step) and writes, as float32 gzip datasets:

  attrs: config, width, frame_size, attention, seed, torch_version, batch
  params/<name>, buffers/<name>            the state before the step (Java names)
  inputs/frames, inputs/masks              [2, 1, 64, 64]
  outputs/coarse|refined|composite         [2, 1, 64, 64]
  outputs/d_real|d_fake|g_scores           [2, patches]
  losses/d_loss|l1_coarse|l1_refined|g_adv|g_loss   scalars
  grads/<name>                             D parameters: d(d_loss); G parameters: d(g_loss)
  after/params/<name>, after/buffers/<name>  the state after both Adam steps
  attention/features|grad_output|output|grad_features   contextual attention alone on well-scaled
      features [2, 16, 16, 16] (the tiny branch's shape; at PyTorch's default init the model's
      own attention features are small, so its softmax is nearly flat) with inputs/masks as the
      hole: output = CA(features, masks), grad_features = d sum(output * grad_output) / d features
"""

import argparse
import math
import os
import sys

import h5py
import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import translator_reference as ref  # noqa: E402


def smooth_noise(gen, n, size, cells):
    """Smooth random field: coarse Gaussian noise upsampled bicubically."""
    coarse = torch.randn(n, 1, cells, cells, generator=gen)
    return F.interpolate(coarse, size=(size, size), mode="bicubic", align_corners=False)


def synthetic_frames(gen, n, size):
    """Grey B-mode-like frames: a smooth tissue background, a few bright/dark ellipses, speckle."""
    yy, xx = torch.meshgrid(torch.linspace(-1, 1, size), torch.linspace(-1, 1, size), indexing="ij")
    frames = []
    for b in range(n):
        img = 0.35 + 0.15 * smooth_noise(gen, 1, size, 6)[0, 0]
        for _ in range(4):
            cx, cy = (torch.rand(2, generator=gen) * 1.4 - 0.7).tolist()
            rx, ry = (torch.rand(2, generator=gen) * 0.3 + 0.1).tolist()
            level = (torch.rand(1, generator=gen) * 0.8 - 0.3).item()
            inside = ((xx - cx) / rx) ** 2 + ((yy - cy) / ry) ** 2 < 1
            img = torch.where(inside, torch.full_like(img, level), img)
        img = F.avg_pool2d(img[None, None], 3, stride=1, padding=1, count_include_pad=False)[0, 0]
        speckle = -torch.log(torch.rand(size, size, generator=gen).clamp_min(1e-6))   # exponential, mean 1 (fully developed speckle intensity)
        img = img * (0.6 + 0.4 * speckle) + 0.05 * torch.randn(size, size, generator=gen)
        frames.append(img.clamp(0, 1) * 2 - 1)
    return torch.stack(frames)[:, None]


def synthetic_masks(gen, n, size, lo=0.05, hi=0.30):
    """Vessel/blob-like holes: a thick wandering curve (vessel) plus an elliptic blob, 5-30% coverage."""
    yy, xx = torch.meshgrid(torch.arange(size, dtype=torch.float32), torch.arange(size, dtype=torch.float32), indexing="ij")
    masks = []
    for b in range(n):
        for _attempt in range(100):
            m = torch.zeros(size, size)
            # vessel: points along a smooth random path, each stamping a disc
            x, y = (torch.rand(2, generator=gen) * size * 0.6 + size * 0.2).tolist()
            angle = torch.rand(1, generator=gen).item() * 2 * math.pi
            radius = 2.0 + torch.rand(1, generator=gen).item() * 3.0
            for _ in range(int(size * 0.5)):
                m = torch.maximum(m, (((xx - x) ** 2 + (yy - y) ** 2) < radius ** 2).float())
                angle += (torch.rand(1, generator=gen).item() - 0.5) * 0.6
                x += math.cos(angle)
                y += math.sin(angle)
            # blob (chamber-like)
            cx, cy = (torch.rand(2, generator=gen) * size * 0.6 + size * 0.2).tolist()
            rx, ry = (torch.rand(2, generator=gen) * size * 0.12 + size * 0.05).tolist()
            m = torch.maximum(m, ((((xx - cx) / rx) ** 2 + ((yy - cy) / ry) ** 2) < 1).float())
            cover = m.mean().item()
            if lo <= cover <= hi:
                break
        else:
            raise RuntimeError("could not draw a mask with %.0f-%.0f%% coverage" % (lo * 100, hi * 100))
        masks.append(m)
    return torch.stack(masks)[:, None]


def attention_case(gen, masks, channels=16, size=16):
    """Contextual attention alone, on smooth random features of unit-ish scale (a peaked softmax)."""
    n = masks.shape[0]
    feats = 0.5 * smooth_noise(gen, n * channels, size, 6).reshape(n, channels, size, size)
    feats = (feats + 0.2 * torch.randn(n, channels, size, size, generator=gen)).requires_grad_(True)
    out = ref.contextual_attention(feats, masks)
    grad_out = torch.randn(out.shape, generator=gen)
    (out * grad_out).sum().backward()
    return {"features": feats, "grad_output": grad_out, "output": out, "grad_features": feats.grad}


def write(group, name, t):
    a = t.detach().cpu().numpy().astype(np.float32) if torch.is_tensor(t) else np.asarray(t, dtype=np.float32)
    if a.ndim == 0:
        group.create_dataset(name, data=a)   # HDF5 scalars take no filters
    else:
        group.create_dataset(name, data=a, compression="gzip", compression_opts=9, shuffle=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(1)   # deterministic reductions
    cfg = ref.TINY
    model = ref.Translator(cfg)
    gen = torch.Generator().manual_seed(args.seed * 7919 + 17)
    n, size = 2, cfg.frame_size
    frames = synthetic_frames(gen, n, size)
    masks = synthetic_masks(gen, n, size)

    attention = attention_case(gen, masks)
    before = [(name, t.detach().clone(), is_buf) for name, t, is_buf in model.named_tensors()]
    g_opt = ref.adam(model.gen.parameters())
    d_opt = ref.adam(model.disc.parameters())
    result = ref.gan_step(model, frames, masks, g_opt, d_opt)

    with h5py.File(args.out, "w") as f:
        f.attrs["config"] = cfg.name
        f.attrs["width"] = cfg.width
        f.attrs["frame_size"] = cfg.frame_size
        f.attrs["attention"] = int(cfg.attention)
        f.attrs["seed"] = args.seed
        f.attrs["batch"] = n
        f.attrs["torch_version"] = str(torch.__version__)
        for name, t, is_buf in before:
            write(f.require_group("buffers" if is_buf else "params"), name, t)
        write(f.require_group("inputs"), "frames", frames)
        write(f["inputs"], "masks", masks)
        for name, t in result["outputs"].items():
            write(f.require_group("outputs"), name, t)
        for name, t in result["losses"].items():
            write(f.require_group("losses"), name, t)
        for name, t in result["grads"].items():
            write(f.require_group("grads"), name, t)
        after = f.require_group("after")
        for name, t, is_buf in model.named_tensors():
            write(after.require_group("buffers" if is_buf else "params"), name, t)

        for name, t in attention.items():
            write(f.require_group("attention"), name, t)

    losses = {k: round(float(v), 6) for k, v in result["losses"].items()}
    print("%s: seed %d, mask coverage %s, losses %s, %d bytes" % (
        args.out, args.seed, [round(float(c), 3) for c in masks.mean(dim=(1, 2, 3))], losses, os.path.getsize(args.out)))


if __name__ == "__main__":
    main()
