"""Writes the PyTorch parity fixture (llm.c's "debug state") for sonogate's PyTorchParityTest.

    /usr/bin/python3 scripts/reference/make_parity_fixture.py --out FILE --seed N [--config tiny-temporal]

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
  perceptual/weights/<block1_conv1..block4_conv3>/weight|bias   sonogate's default perceptual
      network (OIHW) at random He-normal weights
  perceptual/truth|composite|loss|grad_composite   the perceptual loss alone (relative feature
      error, translator_reference.perceptual_loss) of a textured composite against the truth (a
      32 x 32 crop of the first frame; the composite has a textured fill in an elliptic hole,
      drawn clear of the loss's kinks: see perceptual_case), and its gradient. Checked alone
      because inside the GAN step the untrained generator's fill is nearly flat, so the network's
      2x2 max pooling meets near-ties whose winner depends on last-bit rounding: float32 and
      float64 PyTorch themselves then disagree by ~1e-2 on some parameter gradients.

With --config tiny-temporal (the temporal option: 9 input channels at both generator stages) the
file holds the GAN step only (no after/, attention/ or perceptual/ groups: tiny's fixture checks those),
with each frame's neighbours drawn like the frames and masks:

  inputs/previous_frames|previous_masks|next_frames|next_masks   [2, 1, 64, 64]
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


KINK_MARGIN = 2e-6   # relative to a layer's mean |activation|: well above float32 rounding of the features


def kink_distance(composite, frames, blocks, weights):
    """The smallest distance (relative to each layer's mean |activation|, float64) of any element to a
    kink of the perceptual loss: a ReLU input at 0, a max-pooling window's top two values, or a
    nonzero feature difference at the L1's 0. Exact zeros (unchanged features, all-zero windows)
    are no kinks: float32 reproduces them exactly."""
    names = ref.vgg_layer_names(blocks)
    worst = float("inf")
    x, y, k = composite.double(), frames.double(), 0
    for b, (n, _) in enumerate(blocks):
        for _ in range(n):
            w, bias = (t.double() for t in weights[names[k]])
            pre = F.conv2d(x, w, bias, padding=1)
            worst = min(worst, float((pre.abs() / pre.abs().mean()).min()))
            x, y, k = F.relu(pre), F.relu(F.conv2d(y, w, bias, padding=1)), k + 1
        d = (x - y).abs()
        if (d > 0).any():
            worst = min(worst, float((d[d > 0] / y.abs().mean()).min()))
        if b + 1 < len(blocks):
            windows = F.unfold(x.reshape(-1, 1, *x.shape[2:]), 2, stride=2).transpose(1, 2)
            top2 = windows.topk(2, dim=-1).values
            gap = (top2[..., 0] - top2[..., 1])[top2[..., 0] > 0]
            worst = min(worst, float((gap / x.abs().mean()).min()))
            x, y = F.max_pool2d(x, 2), F.max_pool2d(y, 2)
    return worst


def perceptual_case(gen, frames, size=32):
    """The perceptual loss alone on a size x size crop of the first frame (truth) and the same crop
    with a textured fill (smooth field plus noise) in an elliptic hole (composite), redrawn until no
    element lies within KINK_MARGIN of a kink (L1 and max pooling are not differentiable there, and
    float32 and float64 pick different sides: the rule of finite-difference checks). Small, so
    that a draw clear of every kink is found quickly."""
    weights = ref.random_vgg_weights(ref.FEATURES_BLOCKS, 1, gen)
    # dithered: the frames' clamped (exactly flat) areas would tie in the network's max pooling
    truth = 0.98 * frames[:1, :, :size, :size] + 0.02 * (2 * torch.rand(1, 1, size, size, generator=gen) - 1)
    yy, xx = torch.meshgrid(torch.arange(size, dtype=torch.float32), torch.arange(size, dtype=torch.float32), indexing="ij")
    hole = ((((xx - size * 0.5) / (size * 0.3)) ** 2 + ((yy - size * 0.45) / (size * 0.2)) ** 2) < 1).float()[None, None]
    for _attempt in range(500):
        fill = (0.6 * smooth_noise(gen, 1, size, 6) + 0.2 * torch.randn(truth.shape, generator=gen)).clamp(-1, 1)
        composite = truth * (1 - hole) + fill * hole
        if kink_distance(composite, truth, ref.FEATURES_BLOCKS, weights) > KINK_MARGIN:
            break
    else:
        raise RuntimeError("no perceptual case clear of the loss's kinks in 500 draws")
    composite.requires_grad_(True)
    loss = ref.perceptual_loss(composite, truth, ref.FEATURES_BLOCKS, weights)
    loss.backward()
    return weights, {"truth": truth, "composite": composite, "loss": loss, "grad_composite": composite.grad}


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
    ap.add_argument("--config", choices=["tiny", "tiny-temporal"], default="tiny")
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(1)   # deterministic reductions
    cfg = ref.TINY_TEMPORAL if args.config == "tiny-temporal" else ref.TINY
    model = ref.Translator(cfg)
    gen = torch.Generator().manual_seed(args.seed * 7919 + 17)
    n, size = 2, cfg.frame_size
    frames = synthetic_frames(gen, n, size)
    masks = synthetic_masks(gen, n, size)

    neighbours = None
    if cfg.temporal:
        neighbours = {"previous_frames": synthetic_frames(gen, n, size), "previous_masks": synthetic_masks(gen, n, size),
                      "next_frames": synthetic_frames(gen, n, size), "next_masks": synthetic_masks(gen, n, size)}
        attention, feature_weights, perceptual = {}, {}, {}
    else:
        attention = attention_case(gen, masks)
        feature_weights, perceptual = perceptual_case(gen, frames)
    before = [(name, t.detach().clone(), is_buf) for name, t, is_buf in model.named_tensors()]
    g_opt = ref.adam(model.gen.parameters())
    d_opt = ref.adam(model.disc.parameters())
    result = ref.gan_step(model, frames, masks, g_opt, d_opt, neighbours=None if neighbours is None else (
        neighbours["previous_frames"], neighbours["previous_masks"], neighbours["next_frames"], neighbours["next_masks"]))

    with h5py.File(args.out, "w") as f:
        f.attrs["config"] = cfg.name
        f.attrs["width"] = cfg.width
        f.attrs["frame_size"] = cfg.frame_size
        f.attrs["attention"] = int(cfg.attention)
        f.attrs["temporal"] = int(cfg.temporal)
        f.attrs["seed"] = args.seed
        f.attrs["batch"] = n
        f.attrs["torch_version"] = str(torch.__version__)
        for name, t, is_buf in before:
            write(f.require_group("buffers" if is_buf else "params"), name, t)
        write(f.require_group("inputs"), "frames", frames)
        write(f["inputs"], "masks", masks)
        for name, t in (neighbours or {}).items():
            write(f["inputs"], name, t)
        for name, t in result["outputs"].items():
            write(f.require_group("outputs"), name, t)
        for name, t in result["losses"].items():
            write(f.require_group("losses"), name, t)
        for name, t in result["grads"].items():
            write(f.require_group("grads"), name, t)
        if not cfg.temporal:   # the Adam update does not depend on the config: tiny's fixture checks it
            after = f.require_group("after")
            for name, t, is_buf in model.named_tensors():
                write(after.require_group("buffers" if is_buf else "params"), name, t)

        for name, t in attention.items():
            write(f.require_group("attention"), name, t)
        for name, (w, b) in feature_weights.items():
            write(f.require_group("perceptual/weights/" + name), "weight", w)
            write(f["perceptual/weights/" + name], "bias", b)
        for name, t in perceptual.items():
            write(f.require_group("perceptual"), name, t)

    losses = {k: round(float(v), 6) for k, v in result["losses"].items()}
    print("%s: seed %d, mask coverage %s, losses %s, %d bytes" % (
        args.out, args.seed, [round(float(c), 3) for c in masks.mean(dim=(1, 2, 3))], losses, os.path.getsize(args.out)))


if __name__ == "__main__":
    main()
