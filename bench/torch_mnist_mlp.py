"""PyTorch reference for bench/train_speed.sh: the reference MLP (784-128-10), Adam lr 0.001, batch 32,
on the first 80% of MNIST's training set, timing each epoch. Reads the same IDX files Pier uses."""
import sys, time, struct
import numpy as np
import torch

data_dir, epochs, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
torch.set_num_threads(threads)
torch.manual_seed(42)

def idx(path):
    with open(path, "rb") as f:
        magic, = struct.unpack(">I", f.read(4))
        dims = [struct.unpack(">I", f.read(4))[0] for _ in range(magic & 0xFF)]
        return np.frombuffer(f.read(), dtype=np.uint8).reshape(dims)

x = torch.from_numpy(idx(f"{data_dir}/train-images-idx3-ubyte").reshape(-1, 784).astype(np.float32) / 255.0)
y = torch.from_numpy(idx(f"{data_dir}/train-labels-idx1-ubyte").astype(np.int64))
n = int(len(x) * 0.8)
x, y = x[:n], y[:n]
model = torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
opt = torch.optim.Adam(model.parameters(), lr=0.001)
loss_fn = torch.nn.CrossEntropyLoss()
for epoch in range(1, epochs + 1):
    perm = torch.randperm(n)
    t0 = time.perf_counter()
    correct = 0
    for i in range(0, n, 32):
        idxs = perm[i:i + 32]
        xb, yb = x[idxs], y[idxs]
        opt.zero_grad()
        out = model(xb)
        loss = loss_fn(out, yb)
        loss.backward()
        opt.step()
        correct += (out.argmax(1) == yb).sum().item()
    print(f"TORCH_EPOCH epoch={epoch} seconds={time.perf_counter() - t0:.3f} train_acc={correct / n:.4f}", flush=True)
