"""PyTorch's side of bench/training.ts: the same models, data, batches and techniques on this CPU.

Usage: /usr/bin/python3 bench/torch_throughput.py FOLDER

FOLDER holds meta.json ({threads, rounds, items: [{name, model, rows, shape,
batch, range, augment?, fgsm?}]}) and, for each item, NAME-x.f32 (rows x H x
W x C, float32) and NAME-y.i32 (class labels), written by the bench. Prints
one JSON object: the torch version and, by item and thread count, samples/s
of wall-clock time and of this process's CPU time (median of `rounds` passes
over the rows after one warm-up pass, the loss read back every step, as the
tfjs side does).
"""

import json
import math
import os
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


def mlp(shape):
    inputs = int(np.prod(shape))
    model = nn.Sequential(
        nn.Flatten(),
        nn.Linear(inputs, 512), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(512, 512), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(512, 10),
    )
    return model, torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)


def cnn(shape):
    height, width, channels = shape
    side = ((height - 2) // 2 - 2) // 2, ((width - 2) // 2 - 2) // 2
    model = nn.Sequential(
        nn.Conv2d(channels, 16, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(32 * side[0] * side[1], 128), nn.ReLU(),
        nn.Linear(128, 10),
    )
    return model, torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)


BUILDERS = {"mlp": mlp, "cnn": cnn}


def augmented(x, options):
    """Each image rotated, scaled and shifted at random (degrees, factor, pixels), bilinear, the border extended as reglang does."""
    n, _, height, width = x.shape
    angle = torch.empty(n).uniform_(-options["rotate"], options["rotate"]) * math.pi / 180
    scale = torch.empty(n).uniform_(*options["scale"])
    shift = torch.empty(n, 2).uniform_(-options["translate"], options["translate"])
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack([
        torch.stack([cos, -sin, shift[:, 0] * 2 / width], 1),
        torch.stack([sin, cos, shift[:, 1] * 2 / height], 1),
    ], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="border", align_corners=False)


def step_loss(model, loss_fn, x, y, item):
    """The batch's objective: clean loss, or (1 - w)·L(x) + w·L(x̃) with x̃ the fast-gradient-sign example."""
    if "augment" in item:
        x = augmented(x, item["augment"])
    fgsm = item.get("fgsm")
    if fgsm is None:
        return loss_fn(model(x), y)
    x = x.detach().requires_grad_(True)
    clean = loss_fn(model(x), y)
    (gradient,) = torch.autograd.grad(clean, x, retain_graph=True)
    low, high = item["range"]
    adversarial = (x + fgsm["eps"] * gradient.sign()).clamp(low, high).detach()
    return (1 - fgsm["weight"]) * clean + fgsm["weight"] * loss_fn(model(adversarial), y)


def samples_per_second(item, x, y, rounds):
    torch.manual_seed(0)
    model, optimizer = BUILDERS[item["model"]](item["shape"])
    model.train()
    loss_fn = nn.CrossEntropyLoss()
    rows, batch = item["rows"], item["batch"]

    def one_pass():
        order = torch.randperm(rows)
        wall, cpu = time.perf_counter(), time.process_time()
        for start in range(0, rows, batch):
            index = order[start:start + batch]
            optimizer.zero_grad()
            loss = step_loss(model, loss_fn, x[index], y[index], item)
            loss.backward()
            optimizer.step()
            loss.item()
        return rows / (time.perf_counter() - wall), rows / (time.process_time() - cpu)

    one_pass()
    passes = [one_pass() for _ in range(rounds)]
    return {"wall": statistics.median(p[0] for p in passes), "cpu": statistics.median(p[1] for p in passes)}


def main():
    folder = sys.argv[1]
    with open(os.path.join(folder, "meta.json")) as f:
        meta = json.load(f)
    rates = {}
    for item in meta["items"]:
        name, shape = item["name"], item["shape"]
        x = np.fromfile(os.path.join(folder, name + "-x.f32"), dtype=np.float32).reshape([item["rows"], *shape])
        # tfjs keeps images as NHWC; PyTorch's convolutions want NCHW.
        x = torch.from_numpy(x).permute(0, 3, 1, 2).contiguous()
        y = torch.from_numpy(np.fromfile(os.path.join(folder, name + "-y.i32"), dtype=np.int32).astype(np.int64))
        rates[name] = {}
        for threads in meta["threads"]:
            torch.set_num_threads(threads)
            rates[name][str(threads)] = samples_per_second(item, x, y, meta["rounds"])
    print(json.dumps({"version": torch.__version__, "rates": rates}))


if __name__ == "__main__":
    main()
