"""PyTorch side of ``sonogate bench gpu``: the reference translator on the GPU, timed on request.

    python3 scripts/reference/bench_gpu_peer.py [--device cuda:0] [--no-cudnn-benchmark]

(--device cpu runs the same protocol on the CPU: bench's GpuPeerTest checks the script that way
on machines without a GPU; peak memory then reads 0.)

Runs on the GPU machine's own python3 (PyTorch with CUDA); mirrors bench_model_peer.py (the CPU
peer) with the same line protocol on stdin/stdout (one request, one reply; errors reply
``error <message>``), plus a precision per loaded model:

  load WEIGHTS.h5 PRECISION        build translator_reference.Translator for the file's config, copy
                                   params/<name> and buffers/<name> (the Java names), move it to the
                                   GPU, make both Adam optimisers -> ok CONFIG
                                   PRECISION: fp32 (TF32 off in cuBLAS and cuDNN), tf32 (TF32 on),
                                   bf16 (autocast to bfloat16 around forward passes, fp32 weights)
  input FILE N                     frames then masks, raw float32 little-endian [N, 1, S, S] each -> ok
  forward OUT                      refined output of the generator (no grad), raw float32 to OUT -> ok
  trainstep                        one GAN step (D then G, Adam) on the input -> losses D_LOSS G_LOSS
  case CONFIG infer|train N REPS   REPS timed repetitions (each synchronised before and after) -> seconds T1 .. TREPS
  peakreset                        empty PyTorch's cache and reset its peak statistics -> ok
  peakmem                          -> bytes MAX_RESERVED MAX_ALLOCATED (torch.cuda.max_memory_*)
  version                          -> torch VERSION cuda CUDA cudnn CUDNN device NAME
  quit                             -> bye

Timing: host clock around one repetition with torch.cuda.synchronize() on both sides, so queued
work is counted (the Java side does the same with its stream). cuDNN autotuning
(torch.backends.cudnn.benchmark) is on by default: PyTorch's best case, like our own Find.
"""

import argparse
import contextlib
import os
import sys
import time

import h5py
import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import translator_reference as ref  # noqa: E402
from line_protocol import serve  # noqa: E402

PRECISIONS = ("fp32", "tf32", "bf16")


def set_precision(precision):
    tf32 = precision == "tf32"
    torch.backends.cuda.matmul.allow_tf32 = tf32
    torch.backends.cudnn.allow_tf32 = tf32


def autocast(precision, device):
    if precision == "bf16":
        return torch.autocast(device_type=device.type, dtype=torch.bfloat16)
    return contextlib.nullcontext()


def synchronize(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def lean_step(model, frames, masks, g_opt, d_opt, precision, pixel_coarse=1.0, pixel_refined=1.0, adversarial=0.1):
    """translator_reference.gan_step without copying gradients and outputs (the timed step)."""
    n = frames.shape[0]
    with autocast(precision, frames.device):
        x1, x2, x2c = model.gen(frames, masks)
        scores = model.disc(torch.cat([frames, x2c.detach()], 0), torch.cat([masks, masks], 0), True)
        d_loss = ref.hinge_d_loss(scores[:n].float(), scores[n:].float())
    d_opt.zero_grad(set_to_none=False)
    d_loss.backward()
    d_opt.step()
    with autocast(precision, frames.device):
        g_adv = -model.disc(x2c, masks, False).float().mean()
        g_loss = pixel_coarse * F.l1_loss(x1.float(), frames) + pixel_refined * F.l1_loss(x2.float(), frames) + adversarial * g_adv
    g_opt.zero_grad(set_to_none=False)
    g_loss.backward()
    g_opt.step()
    return d_loss, g_loss


class Peer:
    def __init__(self, device):
        self.device = torch.device(device)
        self.model = self.cfg = self.frames = self.masks = None
        self.precision = "fp32"

    def load(self, path, precision):
        if precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {PRECISIONS}, got {precision}")
        with h5py.File(path, "r") as h5:
            a = h5.attrs
            name = a["config"]
            name = name.decode() if isinstance(name, bytes) else str(name)
            self.cfg = ref.Config(name, int(a["width"]), int(a["frame_size"]), bool(a["attention"]))
            torch.manual_seed(0)
            model = ref.Translator(self.cfg)
            with torch.no_grad():
                for jname, t, is_buffer in model.named_tensors():
                    ds = h5[("buffers/" if is_buffer else "params/") + jname]
                    t.copy_(torch.from_numpy(np.asarray(ds[()], dtype=np.float32)).reshape(t.shape))
        self.model = model.to(self.device)
        self.g_opt = ref.adam(self.model.gen.parameters())
        self.d_opt = ref.adam(self.model.disc.parameters())
        self.precision = precision
        set_precision(precision)
        return "ok " + name

    def input(self, path, n):
        s = self.cfg.frame_size
        data = np.fromfile(path, dtype="<f4")
        if data.size != 2 * n * s * s:
            raise ValueError(f"input {path}: {data.size} floats, expected 2 x {n} x {s} x {s}")
        t = torch.from_numpy(data.copy()).reshape(2, n, 1, s, s).to(self.device)
        self.frames, self.masks = t[0].contiguous(), t[1].contiguous()
        return "ok"

    def forward(self, out):
        with torch.no_grad(), autocast(self.precision, self.device):
            _, refined, _ = self.model.gen(self.frames, self.masks)
        refined.float().cpu().numpy().astype("<f4").tofile(out)
        return "ok"

    def case(self, config, mode, n, reps):
        if self.model is None or config != self.cfg.name:
            raise ValueError(f"case {config}: loaded config is {self.cfg.name if self.cfg else 'none'}")
        if self.frames is None or self.frames.shape[0] != n:
            raise ValueError(f"case batch {n}: input batch is {None if self.frames is None else self.frames.shape[0]}")
        times = []
        for _ in range(reps):
            synchronize(self.device)
            t0 = time.perf_counter()
            if mode == "infer":
                with torch.no_grad(), autocast(self.precision, self.device):
                    self.model.gen(self.frames, self.masks)
            elif mode == "train":
                lean_step(self.model, self.frames, self.masks, self.g_opt, self.d_opt, self.precision)
            else:
                raise ValueError("mode must be infer or train, got " + mode)
            synchronize(self.device)
            times.append(time.perf_counter() - t0)
        return "seconds " + " ".join(f"{t:.9f}" for t in times)

    def handle(self, words):
        cmd = words[0]
        if cmd == "load":
            return self.load(words[1], words[2] if len(words) > 2 else "fp32")
        if cmd == "input":
            return self.input(words[1], int(words[2]))
        if cmd == "forward":
            return self.forward(words[1])
        if cmd == "trainstep":
            d, g = lean_step(self.model, self.frames, self.masks, self.g_opt, self.d_opt, self.precision)
            return f"losses {d.item():.9g} {g.item():.9g}"
        if cmd == "case":
            return self.case(words[1], words[2], int(words[3]), int(words[4]))
        if cmd == "peakreset":
            if self.device.type == "cuda":
                torch.cuda.synchronize(self.device)
                torch.cuda.empty_cache()
                torch.cuda.reset_peak_memory_stats(self.device)
            return "ok"
        if cmd == "peakmem":
            if self.device.type != "cuda":
                return "bytes 0 0"
            torch.cuda.synchronize(self.device)
            return f"bytes {torch.cuda.max_memory_reserved(self.device)} {torch.cuda.max_memory_allocated(self.device)}"
        if cmd == "version":
            name = torch.cuda.get_device_name(self.device).replace(" ", "_") if self.device.type == "cuda" else "cpu"
            return f"torch {torch.__version__} cuda {torch.version.cuda} cudnn {torch.backends.cudnn.version()} device {name}"
        raise ValueError("unknown request " + cmd)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--device", default="cuda:0")
    p.add_argument("--no-cudnn-benchmark", action="store_true", help="leave torch.backends.cudnn.benchmark off")
    args = p.parse_args()
    if args.device.startswith("cuda") and not torch.cuda.is_available():
        print("error torch.cuda.is_available() is False: no GPU for the PyTorch peer", flush=True)
        return
    torch.backends.cudnn.benchmark = not args.no_cudnn_benchmark
    peer = Peer(args.device)
    serve(peer.handle)


if __name__ == "__main__":
    main()
