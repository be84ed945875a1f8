"""PyTorch side of ``sonogate bench model``: the reference translator, timed on request.

    /usr/bin/python3 scripts/reference/bench_model_peer.py [--threads 2] [--flush-denormal]

Speaks a line protocol on stdin/stdout (one request line, one reply line; errors reply
``error <message>``):

  load WEIGHTS.h5                  build translator_reference.Translator for the file's config
                                   (attrs width, frame_size, attention, temporal), copy params/<name> and
                                   buffers/<name> (the Java names), make both Adam optimisers -> ok CONFIG
  input FILE N                     frames then masks, raw float32 little-endian [N, 1, S, S] each; for a
                                   temporal config (MODEL.md "Video") four more planes of the same shape
                                   follow: previous frames, previous masks, next frames, next masks -> ok
  forward OUT                      refined output of the generator (no grad) for the input (with its
                                   neighbours when temporal), written raw float32 little-endian to OUT -> ok
  perceptual FILE W | none         the training step's perceptual term: sonogate's default feature network
                                   (translator_reference.FEATURES_BLOCKS) with the weights in FILE (raw
                                   float32 little-endian, per convolution in layer order: weight OIHW, then
                                   bias), weight W; or none -> ok
  trainstep                        one GAN step (D then G, Adam) on the input (the generator also gets the
                                   neighbours when temporal; D and the losses see the frames) -> losses D_LOSS G_LOSS
  case CONFIG infer|train N REPS   REPS timed repetitions on the input (batch N)
                                   -> seconds T1 .. TREPS cpu C1 .. CREPS (wall, then process CPU seconds)
  peakreset                        collect garbage, give freed heap pages back (glibc malloc_trim), reset this
                                   process's peak RSS (Linux /proc/self/clear_refs) -> ok
  peakmem                          peak RSS since the last reset (VmHWM), bytes -> bytes B RSS_NOW
  quit                             -> bye
"""

import argparse
import ctypes
import gc
import os
import re
import sys
import time

import h5py
import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import translator_reference as ref  # noqa: E402
from line_protocol import serve  # noqa: E402


def lean_step(model, frames, masks, g_opt, d_opt, pixel_coarse=1.0, pixel_refined=1.0, adversarial=0.1,
              perceptual=None, perceptual_weight=0.0, neighbours=None):
    """translator_reference.gan_step without copying gradients and outputs (the timed step)."""
    n = frames.shape[0]
    x1, x2, x2c = model.gen(frames, masks, neighbours)
    scores = model.disc(torch.cat([frames, x2c.detach()], 0), torch.cat([masks, masks], 0), True)
    d_loss = ref.hinge_d_loss(scores[:n], scores[n:])
    d_opt.zero_grad(set_to_none=False)
    d_loss.backward()
    d_opt.step()
    g_adv = -model.disc(x2c, masks, False).mean()
    g_loss = pixel_coarse * F.l1_loss(x1, frames) + pixel_refined * F.l1_loss(x2, frames) + adversarial * g_adv
    if perceptual is not None:
        blocks, weights, caffe = perceptual
        g_loss = g_loss + perceptual_weight * ref.perceptual_loss(x2c, frames, blocks, weights, caffe)
    g_opt.zero_grad(set_to_none=False)
    g_loss.backward()
    g_opt.step()
    return d_loss.item(), g_loss.item()


def malloc_trim():
    """glibc keeps the pages a training step freed (measured: small b4 step 255 -> 661 MB RSS, 306 MB
    after malloc_trim): without this the next case's peak counts them, where the Java side trims its
    tensor pool before each case. Best effort: a no-op without glibc."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def status_kib(field):
    m = re.search(field + r":\s+(\d+)\s+kB", open("/proc/self/status").read())
    return int(m.group(1)) if m else -1


class Peer:
    def __init__(self):
        self.model = self.cfg = self.frames = self.masks = None
        self.neighbours = None   # a temporal config's (previous frames, masks, next frames, masks)
        self.perceptual, self.perceptual_weight = None, 0.0

    def load(self, path):
        with h5py.File(path, "r") as h5:
            a = h5.attrs
            name = a["config"]
            name = name.decode() if isinstance(name, bytes) else str(name)
            if bool(a.get("prefill", False)):
                raise ValueError(f"load {path}: config {name} has the prefill option, which the reference lacks")
            # checkpoints from before the temporal option have no such attribute: not temporal
            temporal = bool(a.get("temporal", False))
            self.cfg = ref.Config(name, int(a["width"]), int(a["frame_size"]), bool(a["attention"]), temporal)
            torch.manual_seed(0)
            model = ref.Translator(self.cfg)
            with torch.no_grad():
                for jname, t, is_buffer in model.named_tensors():
                    ds = h5[("buffers/" if is_buffer else "params/") + jname]
                    t.copy_(torch.from_numpy(np.asarray(ds[()], dtype=np.float32)).reshape(t.shape))
        self.model = model
        self.frames = self.masks = self.neighbours = None   # inputs of the previous config do not fit
        self.g_opt = ref.adam(model.gen.parameters())
        self.d_opt = ref.adam(model.disc.parameters())
        return "ok " + name

    def input(self, path, n):
        if self.cfg is None:
            raise ValueError("input before load: no config to size the planes")
        s = self.cfg.frame_size
        planes = 6 if self.cfg.temporal else 2
        data = np.fromfile(path, dtype="<f4")
        if data.size != planes * n * s * s:
            what = " (frames, masks, previous frames, previous masks, next frames, next masks: config " + self.cfg.name \
                + " is temporal)" if self.cfg.temporal else " (frames, masks)"
            raise ValueError(f"input {path}: {data.size} floats, expected {planes} x {n} x {s} x {s}{what}")
        t = torch.from_numpy(data.copy()).reshape(planes, n, 1, s, s)
        self.frames, self.masks = t[0].contiguous(), t[1].contiguous()
        self.neighbours = tuple(t[i].contiguous() for i in range(2, 6)) if self.cfg.temporal else None
        return "ok"

    def set_perceptual(self, words):
        if words[1] == "none":
            self.perceptual, self.perceptual_weight = None, 0.0
            return "ok"
        data = np.fromfile(words[1], dtype="<f4")
        shapes = ref.vgg_shapes(ref.FEATURES_BLOCKS, 1)
        need = sum(cout * cin * 9 + cout for _, cin, cout in shapes)
        if data.size != need:
            raise ValueError(f"perceptual {words[1]}: {data.size} floats, the feature network has {need}")
        weights, at = {}, 0
        for name, cin, cout in shapes:
            w = torch.from_numpy(data[at:at + cout * cin * 9].copy()).reshape(cout, cin, 3, 3)
            at += cout * cin * 9
            b = torch.from_numpy(data[at:at + cout].copy())
            at += cout
            weights[name] = (w, b)
        self.perceptual, self.perceptual_weight = (ref.FEATURES_BLOCKS, weights, False), float(words[2])
        return "ok"

    def step(self):
        return lean_step(self.model, self.frames, self.masks, self.g_opt, self.d_opt,
                         perceptual=self.perceptual, perceptual_weight=self.perceptual_weight, neighbours=self.neighbours)

    def forward(self, out):
        with torch.no_grad():
            _, refined, _ = self.model.gen(self.frames, self.masks, self.neighbours)
        refined.numpy().astype("<f4").tofile(out)
        return "ok"

    def case(self, config, mode, n, reps):
        if self.model is None or config != self.cfg.name:
            raise ValueError(f"case {config}: loaded config is {self.cfg.name if self.cfg else 'none'}")
        if self.frames is None or self.frames.shape[0] != n:
            raise ValueError(f"case batch {n}: input batch is {None if self.frames is None else self.frames.shape[0]}")
        times, cpus = [], []
        for _ in range(reps):
            c0 = time.process_time()
            t0 = time.perf_counter()
            if mode == "infer":
                with torch.no_grad():
                    self.model.gen(self.frames, self.masks, self.neighbours)
            elif mode == "train":
                self.step()
            else:
                raise ValueError("mode must be infer or train, got " + mode)
            times.append(time.perf_counter() - t0)
            cpus.append(time.process_time() - c0)
        return "seconds " + " ".join(f"{t:.9f}" for t in times) + " cpu " + " ".join(f"{t:.9f}" for t in cpus)

    def handle(self, words):
        cmd = words[0]
        if cmd == "load":
            return self.load(words[1])
        if cmd == "input":
            return self.input(words[1], int(words[2]))
        if cmd == "forward":
            return self.forward(words[1])
        if cmd == "perceptual":
            return self.set_perceptual(words)
        if cmd == "trainstep":
            d, g = self.step()
            return f"losses {d:.9g} {g:.9g}"
        if cmd == "case":
            return self.case(words[1], words[2], int(words[3]), int(words[4]))
        if cmd == "peakreset":
            gc.collect()   # as the Java side's System.gc(): garbage of earlier cases does not count
            malloc_trim()  # as the Java side's pool trim
            with open("/proc/self/clear_refs", "w") as f:
                f.write("5")
            return "ok"
        if cmd == "peakmem":
            return f"bytes {status_kib('VmHWM') * 1024} {status_kib('VmRSS') * 1024}"
        if cmd == "version":
            return f"torch {torch.__version__} threads {torch.get_num_threads()}"
        raise ValueError("unknown request " + cmd)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--flush-denormal", action="store_true", help="torch.set_flush_denormal(True)")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_flush_denormal(args.flush_denormal)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    peer = Peer()
    serve(peer.handle)


if __name__ == "__main__":
    main()
