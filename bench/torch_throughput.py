"""PyTorch's side of bench/training.ts: the same models, data and batches on this CPU.

Usage: /usr/bin/python3 bench/torch_throughput.py FOLDER

FOLDER holds meta.json ({threads, rounds, items: [{name, rows, shape, batch}]})
and, for each item, NAME-x.f32 (rows x H x W x C, float32) and NAME-y.i32
(class labels), written by the bench. Prints one JSON object: the torch
version and samples/s by item and thread count (median of `rounds` passes
over the rows after one warm-up pass, the loss read back every step, as the
tfjs side does).
"""

import json
import os
import statistics
import sys
import time

import numpy as np
import torch
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


def samples_per_second(item, x, y, rounds):
    torch.manual_seed(0)
    model, optimizer = BUILDERS[item["name"]](item["shape"])
    model.train()
    loss_fn = nn.CrossEntropyLoss()
    rows, batch = item["rows"], item["batch"]

    def one_pass():
        order = torch.randperm(rows)
        started = time.perf_counter()
        for start in range(0, rows, batch):
            index = order[start:start + batch]
            optimizer.zero_grad()
            loss = loss_fn(model(x[index]), y[index])
            loss.backward()
            optimizer.step()
            loss.item()
        return rows / (time.perf_counter() - started)

    one_pass()
    return statistics.median(one_pass() for _ in range(rounds))


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
