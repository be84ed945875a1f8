"""PyTorch reference of sonogate's translator (MODEL.md), written to match the Java model exactly.

Parameter and buffer names are the Java ParameterStore's (``coarse.3.conv.weight``,
``refine.attention.6.conv.bias``, ``disc.2.conv.weight_u``), so a state_dict maps 1:1 onto the
Java slab. Semantics that MODEL.md leaves to the implementation follow the Java code:

* GatedConv: ONE conv cin -> n, "same" zero padding d*(k-1)/2; ELU (or ReLU) of the first n/2
  channels times sigmoid of the last n/2. Up blocks: nearest x2 upsampling first.
* Contextual attention (sonogate.nn.ContextualAttention): background = foreground = the branch
  features f [N, C, h, w]; 3x3 patches of f[:, :, ::2, ::2] (zero padding 1) normalised by
  sqrt(sum(p^2) + 1e-4) score the raw foreground patches (one batched matmul); the scores
  [N, L_bg, L_fg] are fused with a 3x3 identity kernel, axes swapped, fused again, swapped back;
  background patches whose 3x3 neighbourhood in the mask subsampled by k = H/h * 2 (every k-th
  pixel from 0) touches the hole are masked before and after softmax(10 * scores) over the
  background axis; the result pastes raw 4x4 patches of f (stride 2, padding 1) by fold, * 0.25.
* Spectral norm (sonogate.tensor.ops.SpectralNormOp): W viewed as [Cout, Cin*k*k]; in training
  one power iteration updates the u, v buffers in place (v = normalize(W^T u), u = normalize(W v),
  eps 1e-12); sigma = u . (W v) with u, v constants for autodiff; in eval u, v are used as stored.
"""

import torch
import torch.nn as nn
import torch.nn.functional as F


class Config:
    def __init__(self, name, width, frame_size, attention=True, temporal=False):
        self.name, self.width, self.frame_size, self.attention = name, width, frame_size, attention
        self.temporal = temporal

    def in_channels(self):
        """[x_in, 1, m], plus [p * (1 - mp), 1, mp, q * (1 - mq), 1, mq] of the neighbours when temporal."""
        return 9 if self.temporal else 3

    def disc_channels(self):
        return [max(16, b * self.width // 48) for b in (64, 128, 256, 256, 256, 256)]


TINY = Config("tiny", 8, 64, True)
SMALL = Config("small", 24, 128, True)
BASE = Config("base", 48, 256, True)
TINY_TEMPORAL = Config("tiny-temporal", 8, 64, True, True)


class Conv(nn.Module):
    """Holds ``conv.weight`` / ``conv.bias`` (PyTorch's default Conv2d initialisation)."""

    def __init__(self, cin, cout, k):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k)  # used for its parameters and init only


class GatedConv(Conv):
    def __init__(self, cin, n, k, s=1, d=1, up=False, relu=False):
        super().__init__(cin, n, k)
        self.k, self.s, self.d, self.up, self.relu = k, s, d, up, relu

    def forward(self, x):
        if self.up:
            x = F.interpolate(x, scale_factor=2, mode="nearest")
        y = F.conv2d(x, self.conv.weight, self.conv.bias, stride=self.s,
                     padding=self.d * (self.k - 1) // 2, dilation=self.d)
        f, g = torch.chunk(y, 2, dim=1)
        act = F.relu(f) if self.relu else F.elu(f)
        return act * torch.sigmoid(g)


class OutputConv(Conv):
    def __init__(self, cin):
        super().__init__(cin, 1, 3)

    def forward(self, x):
        return torch.tanh(F.conv2d(x, self.conv.weight, self.conv.bias, padding=1))


def _seq(layers):
    return nn.ModuleDict({str(i + 1): layer for i, layer in enumerate(layers)})


def _run(seq, x):
    for layer in seq.values():
        x = layer(x)
    return x


class CoarseNetwork(nn.Module):
    """``coarse.1`` .. ``coarse.17`` (the rows of MODEL.md's table)."""

    def __init__(self, c, cin=3):
        super().__init__()
        G = GatedConv
        layers = [G(cin, c, 5), G(c // 2, 2 * c, 3, 2), G(c, 2 * c, 3), G(c, 4 * c, 3, 2),
                  G(2 * c, 4 * c, 3), G(2 * c, 4 * c, 3)]
        layers += [G(2 * c, 4 * c, 3, 1, d) for d in (2, 4, 8, 16)]
        layers += [G(2 * c, 4 * c, 3), G(2 * c, 4 * c, 3),
                   G(2 * c, 2 * c, 3, up=True), G(c, 2 * c, 3),
                   G(c, c, 3, up=True), G(c // 2, c // 2, 3)]
        layers += [OutputConv(c // 4)]
        self.layers = _seq(layers)

    def forward(self, x):
        return _run(self.layers, x)


def contextual_attention(f, hole, rate=2, softmax_scale=10.0, norm_eps=1e-4):
    n, c, h, w = f.shape
    hh, hw = h // rate, w // rate
    l = hh * hw
    # 1. cosine similarity of every half-resolution 3x3 background patch with every foreground patch
    half = f[:, :, ::rate, ::rate]
    patches = F.unfold(half, 3, padding=1)                                     # [N, C*9, L]
    norms = torch.sqrt((patches * patches).sum(dim=1, keepdim=True) + norm_eps)
    scores = torch.matmul((patches / norms).transpose(1, 2), patches)         # [N, L_bg, L_fg]
    # 2. fuse with a 3x3 identity kernel, then again with both spatial axes swapped
    eye = torch.eye(3, dtype=f.dtype, device=f.device).view(1, 1, 3, 3)

    def fuse(s):
        return F.conv2d(s.reshape(n, 1, l, l), eye, padding=1).reshape(n, l, l)

    scores = fuse(scores)
    scores = scores.reshape(n, hh, hw, hh, hw).permute(0, 2, 1, 4, 3).reshape(n, l, l)
    scores = fuse(scores)
    scores = scores.reshape(n, hw, hh, hw, hh).permute(0, 2, 1, 4, 3).reshape(n, l, l)
    # 3. only background patches with no hole pixel in their (subsampled) 3x3 neighbourhood compete
    k = hole.shape[2] // h * rate
    small = hole[:, :, ::k, ::k]
    touched = F.max_pool2d((small != 0).to(f.dtype), 3, stride=1, padding=1)  # zero padding: outside = clean
    valid = (1 - touched).reshape(n, l, 1)
    attention = torch.softmax(scores * valid * softmax_scale, dim=1) * valid
    # 4. paste raw 4x4 background patches weighted by the attention (transposed conv, stride 2)
    raw = F.unfold(f, 2 * rate, stride=rate, padding=1)                        # [N, C*16, L]
    pasted = torch.matmul(raw, attention)
    return F.fold(pasted, (h, w), 2 * rate, stride=rate, padding=1) * 0.25


class RefinementNetwork(nn.Module):
    """``refine.dilated.1-10``, ``refine.attention.1-8``, ``refine.merge.1-6``, ``refine.out``."""

    def __init__(self, c, attention=True, cin=3):
        super().__init__()
        G = GatedConv
        dil = [G(cin, c, 5), G(c // 2, c, 3, 2), G(c // 2, 2 * c, 3), G(c, 2 * c, 3, 2),
               G(c, 4 * c, 3), G(2 * c, 4 * c, 3)]
        dil += [G(2 * c, 4 * c, 3, 1, d) for d in (2, 4, 8, 16)]
        self.dilated = _seq(dil)
        self.use_attention = attention
        merge_in = 2 * c
        if attention:
            att = [G(cin, c, 5), G(c // 2, c, 3, 2), G(c // 2, 2 * c, 3), G(c, 4 * c, 3, 2),
                   G(2 * c, 4 * c, 3), G(2 * c, 4 * c, 3, relu=True),
                   G(2 * c, 4 * c, 3), G(2 * c, 4 * c, 3)]
            self.attention = _seq(att)
            merge_in += 2 * c
        self.merge = _seq([G(merge_in, 4 * c, 3), G(2 * c, 4 * c, 3),
                           G(2 * c, 2 * c, 3, up=True), G(c, 2 * c, 3),
                           G(c, c, 3, up=True), G(c // 2, c // 2, 3)])
        self.out = OutputConv(c // 4)

    def forward(self, x_in, hole):
        x = _run(self.dilated, x_in)
        if self.use_attention:
            layers = list(self.attention.values())
            a = x_in
            for layer in layers[:6]:
                a = layer(a)
            a = contextual_attention(a, hole)
            for layer in layers[6:]:
                a = layer(a)
            x = torch.cat([x, a], dim=1)
        return self.out(_run(self.merge, x))


class Generator(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.coarse = CoarseNetwork(cfg.width, cfg.in_channels())
        self.refine = RefinementNetwork(cfg.width, cfg.attention, cfg.in_channels())

    def forward(self, x, m, neighbours=None):
        """neighbours: None, or (previous frames, their masks, next frames, their masks) of a temporal
        config (sonogate.nn.Neighbours): both stages get their masked frames, ones and masks."""
        known = x * (1 - m)
        ones = torch.ones_like(m)
        extra = []
        if neighbours is not None:
            p, mp, q, mq = neighbours
            extra = [p * (1 - mp), ones, mp, q * (1 - mq), ones, mq]
        x1 = self.coarse.forward(torch.cat([known, ones, m] + extra, dim=1))
        x1c = x1 * m + known
        x2 = self.refine(torch.cat([x1c, ones, m] + extra, dim=1), m)
        return x1, x2, x2 * m + known


def _normalize(t, eps=1e-12):
    return t / torch.clamp(t.norm(), min=eps)


class SNConv(nn.Module):
    """Conv weights with spectral norm: parameters ``weight``, ``bias``; buffers ``weight_u``, ``weight_v``."""

    def __init__(self, cin, cout, k):
        super().__init__()
        conv = nn.Conv2d(cin, cout, k)
        self.weight = nn.Parameter(conv.weight.detach().clone())
        self.bias = nn.Parameter(conv.bias.detach().clone())
        self.register_buffer("weight_u", _normalize(torch.randn(cout)))
        self.register_buffer("weight_v", _normalize(torch.randn(cin * k * k)))

    def normalized_weight(self, power_iteration):
        w = self.weight.reshape(self.weight.shape[0], -1)
        if power_iteration:
            with torch.no_grad():
                self.weight_v.copy_(_normalize(torch.mv(w.t(), self.weight_u)))
                self.weight_u.copy_(_normalize(torch.mv(w, self.weight_v)))
        u, v = self.weight_u.clone(), self.weight_v.clone()
        sigma = torch.dot(u, torch.mv(w, v))
        return self.weight / sigma


class DiscLayer(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.conv = SNConv(cin, cout, 5)

    def forward(self, x, training):
        return F.leaky_relu(F.conv2d(x, self.conv.normalized_weight(training), self.conv.bias, stride=2, padding=2), 0.2)


class Discriminator(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        layers, cin = [], 2
        for ch in cfg.disc_channels():
            layers.append(DiscLayer(cin, ch))
            cin = ch
        self.layers = _seq(layers)

    def forward(self, frame, m, training):
        x = torch.cat([frame, m], dim=1)
        for layer in self.layers.values():
            x = layer(x, training)
        return x.reshape(x.shape[0], -1)


class Translator(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.gen = Generator(cfg)
        self.disc = Discriminator(cfg)

    def named_tensors(self):
        """(java name, tensor, is_buffer) for every parameter and buffer, in the Java names."""
        out = []
        for prefix, module in (("", self.gen), ("disc.", self.disc)):
            for name, p in module.named_parameters():
                out.append((java_name(prefix + name), p, False))
            for name, b in module.named_buffers():
                out.append((java_name(prefix + name), b, True))
        return out


def sonogate_init(model, generator=None):
    """Re-initialises the generator as sonogate.nn does (GatedConv.INIT_GAIN): every gated conv's
    weights uniform with standard deviation 2 / sqrt(fan_in), the output convs' with 1 / sqrt(fan_in),
    all generator biases zero; the discriminator keeps PyTorch's default (spectral norm rescales it)."""
    with torch.no_grad():
        for module in model.gen.modules():
            if isinstance(module, Conv):
                w = module.conv.weight
                fan_in = w.shape[1] * w.shape[2] * w.shape[3]
                gain = 1.0 if isinstance(module, OutputConv) else 2.0
                bound = 3 ** 0.5 * gain / fan_in ** 0.5
                w.uniform_(-bound, bound, generator=generator)
                module.conv.bias.zero_()
    return model


def java_name(torch_name):
    """``coarse.layers.3.conv.weight`` -> ``coarse.3.conv.weight``; ``disc.layers.2.conv.weight_u`` -> ``disc.2.conv.weight_u``."""
    return torch_name.replace(".layers.", ".")


def hinge_d_loss(d_real, d_fake):
    return 0.5 * F.relu(1 - d_real).mean() + 0.5 * F.relu(1 + d_fake).mean()


def gan_step(model, frames, masks, g_opt, d_opt, pixel_coarse=1.0, pixel_refined=1.0, adversarial=0.1,
             perceptual=None, perceptual_weight=0.0, neighbours=None):
    """One training step (one D step, then one G step) exactly as sonogate.train.GanStep.

    perceptual: None, or (blocks, weights, caffe) of a frozen VGG-style network whose relative
    feature error (perceptual_loss) enters the G loss with perceptual_weight.
    neighbours: a temporal config's (previous frames, their masks, next frames, their masks); the
    discriminator and the losses see the frames alone.
    Returns a dict of the outputs, scores, loss values and the gradients of each network.
    """
    n = frames.shape[0]
    x1, x2, x2c = model.gen(frames, masks, neighbours)
    # D step: real and fake in ONE call -> exactly one power iteration
    scores = model.disc(torch.cat([frames, x2c.detach()], 0), torch.cat([masks, masks], 0), True)
    d_real, d_fake = scores[:n], scores[n:]
    d_loss = hinge_d_loss(d_real, d_fake)
    d_opt.zero_grad(set_to_none=False)
    d_loss.backward()
    d_grads = {java_name("disc." + k): p.grad.detach().clone() for k, p in model.disc.named_parameters()}
    d_opt.step()
    # G step: the updated D, stored u, v, no iteration
    g_scores = model.disc(x2c, masks, False)
    g_adv = -g_scores.mean()
    l1_coarse = F.l1_loss(x1, frames)
    l1_refined = F.l1_loss(x2, frames)
    g_loss = pixel_coarse * l1_coarse + pixel_refined * l1_refined + adversarial * g_adv
    losses = {}
    if perceptual is not None:
        blocks, weights, caffe = perceptual
        p_loss = perceptual_loss(x2c, frames, blocks, weights, caffe)
        g_loss = g_loss + perceptual_weight * p_loss
        losses["perceptual"] = p_loss
    g_opt.zero_grad(set_to_none=False)
    g_loss.backward()
    g_grads = {java_name(k): p.grad.detach().clone() for k, p in model.gen.named_parameters()}
    g_opt.step()
    return {
        "outputs": {"coarse": x1, "refined": x2, "composite": x2c, "d_real": d_real, "d_fake": d_fake, "g_scores": g_scores},
        "losses": {"d_loss": d_loss, "l1_coarse": l1_coarse, "l1_refined": l1_refined, "g_adv": g_adv, "g_loss": g_loss, **losses},
        "grads": {**g_grads, **d_grads},
    }


# ---- perceptual loss (sonogate.nn.VggFeatures, sonogate.train.perceptual.PerceptualLoss) ----

VGG16_BLOCKS = ((2, 64), (2, 128), (3, 256), (3, 512))       # VGG16 up to conv4_3
FEATURES_BLOCKS = ((2, 16), (2, 32), (3, 64), (3, 128))      # sonogate's default: a quarter of the width
CAFFE_MEAN_BGR = (103.939, 116.779, 123.68)


def vgg_layer_names(blocks):
    """Keras names in order: block1_conv1, block1_conv2, block2_conv1, ..."""
    return ["block%d_conv%d" % (b + 1, i + 1) for b, (n, _) in enumerate(blocks) for i in range(n)]


def vgg_shapes(blocks, in_channels):
    """(name, cin, cout) for every 3x3 convolution."""
    out, cin = [], in_channels
    for b, (n, width) in enumerate(blocks):
        for i in range(n):
            out.append(("block%d_conv%d" % (b + 1, i + 1), cin, width))
            cin = width
    return out


def keras_caffe_input(grey):
    """Grey [-1, 1] -> Keras 'caffe' preprocessing: 0..255, BGR, ImageNet mean subtracted, no std."""
    v = (grey + 1) * 127.5
    return torch.cat([v - m for m in CAFFE_MEAN_BGR], dim=1)


def vgg_features(grey, blocks, weights, caffe):
    """The last ReLU output of every block. weights: name -> (OIHW weight, bias)."""
    x = keras_caffe_input(grey) if caffe else grey
    feats = []
    names = vgg_layer_names(blocks)
    k = 0
    for b, (n, _) in enumerate(blocks):
        for _ in range(n):
            w, bias = weights[names[k]]
            x = F.relu(F.conv2d(x, w, bias, padding=1))
            k += 1
        feats.append(x)
        if b + 1 < len(blocks):
            x = F.max_pool2d(x, 2)
    return feats


def random_vgg_weights(blocks, in_channels, gen):
    """He-normal weights (std sqrt(2 / 9 cin)), zero biases, as sonogate's VggFeatures.random (other draws)."""
    out = {}
    for name, cin, cout in vgg_shapes(blocks, in_channels):
        out[name] = (torch.randn(cout, cin, 3, 3, generator=gen) * (2.0 / (9 * cin)) ** 0.5, torch.zeros(cout))
    return out


def perceptual_loss(composite, frames, blocks, weights, caffe=False, eps=1e-6):
    """mean over blocks of mean|phi(x2') - phi(y)| / (mean|phi(y)| + eps); phi(y) and the scale are constants."""
    with torch.no_grad():
        target = vgg_features(frames, blocks, weights, caffe)
    ours = vgg_features(composite, blocks, weights, caffe)
    terms = [F.l1_loss(o, t) / (t.abs().mean() + eps) for o, t in zip(ours, target)]
    return sum(terms) / len(terms)


def adam(params):
    """MODEL.md: Adam, lr 1e-4, betas (0.5, 0.999) (eps 1e-8, PyTorch's default)."""
    return torch.optim.Adam(params, lr=1e-4, betas=(0.5, 0.999), eps=1e-8)
