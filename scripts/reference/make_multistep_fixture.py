"""Writes the multi-step PyTorch parity fixture for sonogate's PyTorchMultiStepParityTest.

    /usr/bin/python3 scripts/reference/make_multistep_fixture.py --out FILE --seed N [--steps K]

The one-step fixture (make_parity_fixture.py) checks a single forward, backward and Adam update.
This one checks what carries over between steps: Adam's moments and step count, gradients that
must be cleared, the spectral-norm vectors, the tape. Config tiny with sonogate's own
initialisation (translator_reference.sonogate_init), K consecutive GAN steps
(translator_reference.gan_step, MODEL.md's Adam settings) on two synthetic batches of 2 frames
taken in turn (A, B, A, B, ...: a step that reused the previous step's data or state shows). Small on purpose (no parameter tensors after the first state): per step the loss
terms and every parameter's gradient norm, and after the last step every parameter's change
(L2 norm and sum), the spectral-norm buffers and the generator's output on the first batch.

  attrs: config, seed, steps, batch, torch_version, param_names (newline-separated, Java names)
  params/<name>, buffers/<name>            the state before the first step
  batches/frames, batches/masks            [2, 2, 1, 64, 64]: step k (1-based) uses batch (k - 1) mod 2
  step_<k>/losses                          [d_loss, l1_coarse, l1_refined, g_adv, g_loss]
  step_<k>/grad_norms                      [P] in param_names order (D: d(d_loss), G: d(g_loss))
  final/delta_norms, final/delta_sums      [P] L2 norm and sum of (after - before) per parameter
  final/buffers/<name>                     spectral-norm u, v after the last step
  final/coarse, final/composite            generator outputs on batch 0 after the last step
"""

import argparse
import os
import sys

import h5py
import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import translator_reference as ref  # noqa: E402
from make_parity_fixture import synthetic_frames, synthetic_masks, write  # noqa: E402

LOSS_ORDER = ["d_loss", "l1_coarse", "l1_refined", "g_adv", "g_loss"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--steps", type=int, default=6)
    args = ap.parse_args()

    torch.manual_seed(args.seed)
    torch.set_num_threads(1)   # deterministic reductions
    cfg = ref.TINY
    gen = torch.Generator().manual_seed(args.seed * 104729 + 3)
    model = ref.sonogate_init(ref.Translator(cfg), gen)
    n, size = 2, cfg.frame_size
    names = [name for name, _, is_buf in model.named_tensors() if not is_buf]
    params = {name: t for name, t, is_buf in model.named_tensors() if not is_buf}
    before = {name: t.detach().clone() for name, t, _ in model.named_tensors()}
    g_opt = ref.adam(model.gen.parameters())
    d_opt = ref.adam(model.disc.parameters())

    with h5py.File(args.out, "w") as f:
        f.attrs["config"] = cfg.name
        f.attrs["seed"] = args.seed
        f.attrs["steps"] = args.steps
        f.attrs["batch"] = n
        f.attrs["torch_version"] = str(torch.__version__)
        f.attrs["param_names"] = "\n".join(names)
        for name, t, is_buf in model.named_tensors():
            write(f.require_group("buffers" if is_buf else "params"), name, t)
        batches = [(synthetic_frames(gen, n, size), synthetic_masks(gen, n, size)) for _ in range(2)]
        write(f.require_group("batches"), "frames", torch.stack([b[0] for b in batches]))
        write(f["batches"], "masks", torch.stack([b[1] for b in batches]))
        for k in range(1, args.steps + 1):
            frames, masks = batches[(k - 1) % 2]
            result = ref.gan_step(model, frames, masks, g_opt, d_opt)
            g = f.require_group("step_%d" % k)
            write(g, "losses", torch.stack([result["losses"][name].detach() for name in LOSS_ORDER]))
            write(g, "grad_norms", torch.stack([result["grads"][name].norm() for name in names]))
            print("step %d: %s" % (k, {name: round(float(result["losses"][name]), 6) for name in LOSS_ORDER}))
        final = f.require_group("final")
        with torch.no_grad():
            deltas = [params[name].detach() - before[name] for name in names]
            write(final, "delta_norms", torch.stack([d.norm() for d in deltas]))
            write(final, "delta_sums", torch.stack([d.sum() for d in deltas]))
            coarse, _, composite = model.gen(*batches[0])
        write(final, "coarse", coarse)
        write(final, "composite", composite)
        for name, t, is_buf in model.named_tensors():
            if is_buf:
                write(final.require_group("buffers"), name, t)
    print("%s: seed %d, %d steps, %d bytes" % (args.out, args.seed, args.steps, os.path.getsize(args.out)))


if __name__ == "__main__":
    main()
