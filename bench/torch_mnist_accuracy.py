"""PyTorch reference for the quickstart's accuracy (docs/benchmarks.md): the reference MLP (784-128-10) with
Glorot-uniform weights and zero biases (Keras' defaults), Adam lr 0.001 eps 1e-7, batch 32, 10 epochs on the
first 80% of MNIST's training set; prints test accuracy after each epoch.
Usage: /usr/bin/python3 bench/torch_mnist_accuracy.py [DATA_DIR]   (needs Debian's python3-torch)"""
import os, struct, sys
import numpy as np
import torch

data_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.expanduser("~/.cache/pier/mnist")
torch.set_num_threads(1)
torch.manual_seed(42)

def idx(path):
    with open(path, "rb") as f:
        magic, = struct.unpack(">I", f.read(4))
        dims = [struct.unpack(">I", f.read(4))[0] for _ in range(magic & 0xFF)]
        return np.frombuffer(f.read(), dtype=np.uint8).reshape(dims)

def images(name):
    return torch.from_numpy(idx(f"{data_dir}/{name}").reshape(-1, 784).astype(np.float32) / 255.0)

x, y = images("train-images-idx3-ubyte"), torch.from_numpy(idx(f"{data_dir}/train-labels-idx1-ubyte").astype(np.int64))
xt, yt = images("t10k-images-idx3-ubyte"), torch.from_numpy(idx(f"{data_dir}/t10k-labels-idx1-ubyte").astype(np.int64))
n = int(len(x) * 0.8)
x, y = x[:n], y[:n]
model = torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
for m in model:
    if isinstance(m, torch.nn.Linear):
        torch.nn.init.xavier_uniform_(m.weight)
        torch.nn.init.zeros_(m.bias)
opt = torch.optim.Adam(model.parameters(), lr=0.001, eps=1e-7)
loss_fn = torch.nn.CrossEntropyLoss()
for epoch in range(1, 11):
    perm = torch.randperm(n)
    for i in range(0, n, 32):
        b = perm[i:i + 32]
        opt.zero_grad()
        loss_fn(model(x[b]), y[b]).backward()
        opt.step()
    with torch.no_grad():
        print(f"epoch {epoch} test_accuracy {(model(xt).argmax(1) == yt).float().mean().item():.4f}", flush=True)
