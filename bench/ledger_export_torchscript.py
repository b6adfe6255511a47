#!/usr/bin/python3
"""Turns one of Pier's sequential ONNX models into the same network in PyTorch, saved as TorchScript.

The ledger's peer (a FastAPI/uvicorn server with PyTorch) must serve the same network with the same weights
as `pier serve`. This reads the ONNX file with the `onnx` package (Debian python3-onnx), copies every
initializer into torch.nn layers (Linear, Conv2d, ...) the way a PyTorch user would write the model, and
traces it to TorchScript. Only the sequential graphs Pier's ONNX writer makes are handled (each node takes
the previous node's output); anything else is refused with the op's name.

Usage: /usr/bin/python3 bench/ledger_export_torchscript.py MODEL.onnx OUT.pt
Prints one line: the input shape (batch 1) used for tracing.
"""
import sys

import onnx
import torch
from onnx import numpy_helper


def attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def tensor(weights, name):
    return torch.from_numpy(weights[name].copy())


class Flatten(torch.nn.Module):
    def __init__(self, axis):
        super().__init__()
        self.axis = axis

    def forward(self, x):
        return torch.flatten(x, self.axis)


class Reshape(torch.nn.Module):
    def __init__(self, shape):
        super().__init__()
        self.shape = [int(d) for d in shape]

    def forward(self, x):
        # ONNX: 0 copies the input's dimension, -1 is inferred
        return x.reshape([x.shape[i] if d == 0 else d for i, d in enumerate(self.shape)])


def layer(node, weights):
    a = attrs(node)
    op = node.op_type
    if op == "Gemm":
        if a.get("alpha", 1.0) != 1.0 or a.get("beta", 1.0) != 1.0 or a.get("transA", 0):
            raise SystemExit(f"Gemm {node.name}: only alpha=beta=1, transA=0 are handled")
        w = tensor(weights, node.input[1])
        if not a.get("transB", 0):
            w = w.t()  # ONNX x·W with W [in, out]; torch.nn.Linear stores [out, in]
        lin = torch.nn.Linear(w.shape[1], w.shape[0], bias=len(node.input) > 2)
        lin.weight.data = w.contiguous()
        if len(node.input) > 2:
            lin.bias.data = tensor(weights, node.input[2])
        return lin
    if op == "Conv":
        w = tensor(weights, node.input[1])
        pads = list(a.get("pads", [0, 0, 0, 0]))
        if pads[:2] != pads[2:] or a.get("group", 1) != 1:
            raise SystemExit(f"Conv {node.name}: only symmetric padding and group=1 are handled")
        conv = torch.nn.Conv2d(w.shape[1], w.shape[0], tuple(w.shape[2:]), stride=tuple(a.get("strides", [1, 1])),
                               padding=tuple(pads[:2]), dilation=tuple(a.get("dilations", [1, 1])),
                               bias=len(node.input) > 2)
        conv.weight.data = w
        if len(node.input) > 2:
            conv.bias.data = tensor(weights, node.input[2])
        return conv
    if op in ("MaxPool", "AveragePool"):
        kind = torch.nn.MaxPool2d if op == "MaxPool" else torch.nn.AvgPool2d
        return kind(tuple(a["kernel_shape"]), stride=tuple(a.get("strides", a["kernel_shape"])))
    if op == "BatchNormalization":
        s, b, m, v = (tensor(weights, n) for n in node.input[1:5])
        bn = torch.nn.BatchNorm2d(s.shape[0], eps=a.get("epsilon", 1e-5))
        bn.weight.data, bn.bias.data, bn.running_mean.data, bn.running_var.data = s, b, m, v
        return bn
    if op == "Relu":
        return torch.nn.ReLU()
    if op == "Tanh":
        return torch.nn.Tanh()
    if op == "Sigmoid":
        return torch.nn.Sigmoid()
    if op == "Softmax":
        return torch.nn.Softmax(dim=a.get("axis", -1))
    if op == "Flatten":
        return Flatten(a.get("axis", 1))
    if op == "Reshape":
        return Reshape(weights[node.input[1]].tolist())
    if op == "Identity":
        return torch.nn.Identity()
    raise SystemExit(f"node {node.name or op}: op {op} is not handled by this exporter")


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: ledger_export_torchscript.py MODEL.onnx OUT.pt")
    model = onnx.load(sys.argv[1])
    g = model.graph
    weights = {i.name: numpy_helper.to_array(i) for i in g.initializer}
    inputs = [i for i in g.input if i.name not in weights]
    if len(inputs) != 1:
        raise SystemExit(f"expected one graph input, got {[i.name for i in inputs]}")
    current = inputs[0].name
    layers = []
    for node in g.node:
        if node.input[0] != current:
            raise SystemExit(f"node {node.name or node.op_type} does not take the previous output: not sequential")
        layers.append(layer(node, weights))
        current = node.output[0]
    net = torch.nn.Sequential(*layers).eval()
    dims = [d.dim_value if d.dim_value > 0 else 1 for d in inputs[0].type.tensor_type.shape.dim]
    example = torch.rand(dims)
    with torch.no_grad():
        scripted = torch.jit.trace(net, example)
    scripted.save(sys.argv[2])
    print("traced with input shape", dims)


if __name__ == "__main__":
    main()
