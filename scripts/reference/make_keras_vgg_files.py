"""Writes Keras-format VGG16 weight files with random weights, and PyTorch's features of them, for
sonogate's KerasVggWeightsTest (run at test time; nothing here is committed or downloaded).

    /usr/bin/python3 scripts/reference/make_keras_vgg_files.py --dir DIR --seed N

Files written to DIR:
  vgg16_keras2.h5        full-size VGG16 "notop" (block1_conv1 .. block5_conv3, 14.7 M parameters) in
                         the layout of Keras's save_weights and of the Keras applications file
                         vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5: root attributes
                         layer_names / backend / keras_version, one group per layer (pooling and input
                         layers too, empty) with attribute weight_names, datasets
                         <layer>/<layer>/kernel:0 (HWIO [3, 3, in, out]) and <layer>/<layer>/bias:0
  narrow_model.h5        the same network at 1/8 of the width in the layout of model.save(): the
                         layer groups under /model_weights, a model_config attribute
  narrow_keras1.h5       1/8 width, older Keras naming: <layer>/<layer>_W_1:0 and <layer>/<layer>_b_1:0
  bad_missing_layer.h5   1/8 width without block3_conv2
  bad_channels_first.h5  1/8 width with Theano-ordered kernels [out, in, 3, 3]
  reference.h5           input [2, 1, S, S] grey in [-1, 1] (S = 32) and, per file above that loads,
                         group <file stem>/ with relu1_2, relu2_2, relu3_3, relu4_3 computed by
                         translator_reference.vgg_features in float64 with Keras "caffe" input
                         scaling (0..255, BGR, ImageNet mean subtracted)
"""

import argparse
import json
import os
import sys

import h5py
import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import translator_reference as ref  # noqa: E402

VGG16_NOTOP = ((2, 64), (2, 128), (3, 256), (3, 512), (3, 512))   # what Keras's notop file holds
FEATURE_NAMES = ("relu1_2", "relu2_2", "relu3_3", "relu4_3")


def narrow(blocks, divisor):
    return tuple((n, max(1, w // divisor)) for n, w in blocks)


def random_hwio(rng, blocks):
    """name -> (kernel HWIO float32, bias float32): He-scaled normal kernels, small random biases."""
    out = {}
    for name, cin, cout in ref.vgg_shapes(blocks, 3):
        k = rng.standard_normal((3, 3, cin, cout)).astype(np.float32) * np.float32((2.0 / (9 * cin)) ** 0.5)
        b = (rng.standard_normal(cout) * 0.1).astype(np.float32)
        out[name] = (k, b)
    return out


def layer_order(blocks):
    names = ["input_1"]
    for b, (n, _) in enumerate(blocks):
        names += ["block%d_conv%d" % (b + 1, i + 1) for i in range(n)]
        names.append("block%d_pool" % (b + 1))
    return names


def write_keras(path, weights, blocks, style="keras2", model_weights=False, drop=None, channels_first=False):
    with h5py.File(path, "w") as f:
        root = f.create_group("model_weights") if model_weights else f
        if model_weights:
            f.attrs["model_config"] = json.dumps({"class_name": "Functional", "config": {"name": "vgg16"}})
            f.attrs["keras_version"] = "2.11.0"
            f.attrs["backend"] = "tensorflow"
        names = [n for n in layer_order(blocks) if n != drop]
        root.attrs["layer_names"] = np.array([n.encode() for n in names])
        root.attrs["backend"] = b"tensorflow"
        root.attrs["keras_version"] = b"2.11.0" if style == "keras2" else b"1.2.2"
        for name in names:
            g = root.create_group(name)
            if name not in weights:
                g.attrs["weight_names"] = np.array([], dtype="S1")
                continue
            k, b = weights[name]
            if channels_first:
                k = np.ascontiguousarray(k.transpose(3, 2, 0, 1))
            if style == "keras2":
                wn = [name + "/kernel:0", name + "/bias:0"]
            else:
                wn = [name + "/" + name + "_W_1:0", name + "/" + name + "_b_1:0"]
            g.attrs["weight_names"] = np.array([n.encode() for n in wn])
            sub = g.create_group(name)
            sub.create_dataset(wn[0].split("/")[-1], data=k)
            sub.create_dataset(wn[1].split("/")[-1], data=b)


def features(weights, blocks, grey):
    """translator_reference.vgg_features (float64, caffe scaling) of the conv4_3 part."""
    oihw = {name: (torch.from_numpy(k.transpose(3, 2, 0, 1).astype(np.float64)), torch.from_numpy(b.astype(np.float64)))
            for name, (k, b) in weights.items()}
    with torch.no_grad():
        return ref.vgg_features(grey, blocks[:4], oihw, caffe=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dir", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--size", type=int, default=32)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    os.makedirs(args.dir, exist_ok=True)

    full = random_hwio(rng, VGG16_NOTOP)
    small_blocks = narrow(VGG16_NOTOP, 8)
    small = random_hwio(rng, small_blocks)
    small2 = random_hwio(rng, small_blocks)
    write_keras(os.path.join(args.dir, "vgg16_keras2.h5"), full, VGG16_NOTOP)
    write_keras(os.path.join(args.dir, "narrow_model.h5"), small, small_blocks, model_weights=True)
    write_keras(os.path.join(args.dir, "narrow_keras1.h5"), small2, small_blocks, style="keras1")
    write_keras(os.path.join(args.dir, "bad_missing_layer.h5"), small, small_blocks, drop="block3_conv2")
    write_keras(os.path.join(args.dir, "bad_channels_first.h5"), small, small_blocks, channels_first=True)

    # grey frames with structure and speckle-like noise, in [-1, 1]
    s = args.size
    yy, xx = np.meshgrid(np.linspace(-1, 1, s), np.linspace(-1, 1, s), indexing="ij")
    grey = np.stack([np.clip(0.6 * np.sin(3 * xx + 2 * yy + p) + 0.3 * rng.standard_normal((s, s)), -1, 1) for p in (0.0, 1.3)])
    grey_t = torch.from_numpy(grey[:, None].astype(np.float32).astype(np.float64))
    with h5py.File(os.path.join(args.dir, "reference.h5"), "w") as f:
        f.create_dataset("input", data=grey[:, None].astype(np.float32))
        for stem, w, blocks in (("vgg16_keras2", full, VGG16_NOTOP), ("narrow_model", small, small_blocks), ("narrow_keras1", small2, small_blocks)):
            for name, t in zip(FEATURE_NAMES, features(w, blocks, grey_t)):
                f.create_dataset(stem + "/" + name, data=t.numpy())
    print("wrote %s" % args.dir)


if __name__ == "__main__":
    main()
