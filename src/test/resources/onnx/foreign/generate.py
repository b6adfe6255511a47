"""Writes the foreign-tool ONNX fixtures used by OnnxForeignFilesTest, with the onnx python package
(Debian's python3-onnx 1.12) and numpy, so that Pier's hand-written onnx.proto is checked against files
it did not write. Run: /usr/bin/python3 generate.py (in this directory). Outputs are committed."""
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

rng = np.random.default_rng(7)

# 1) An MLP the way converters write it: raw_data weights, a typed-field (float_data) bias, symbolic batch
#    dim "N", doc strings, value_info, metadata, opset 13, IR 7.
w1 = rng.standard_normal((5, 4)).astype(np.float32)
b1 = rng.standard_normal(4).astype(np.float32)
w2 = rng.standard_normal((3, 4)).astype(np.float32)  # [out, in], used with transB=1
b2 = np.array([0.0, 0.5, -0.5], dtype=np.float32)
graph = helper.make_graph(
    [
        helper.make_node("MatMul", ["x", "w1"], ["h0"], name="fc1/MatMul"),
        helper.make_node("Add", ["h0", "b1"], ["h1"], name="fc1/Add"),
        helper.make_node("Relu", ["h1"], ["h2"], name="relu"),
        helper.make_node("Gemm", ["h2", "w2", "b2"], ["logits"], name="fc2", transB=1),
        helper.make_node("Softmax", ["logits"], ["probs"], name="softmax", axis=1),
        helper.make_node("ArgMax", ["logits"], ["label"], name="argmax", axis=1, keepdims=0),
    ],
    "torch_jit",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 5])],
    [helper.make_tensor_value_info("probs", TensorProto.FLOAT, ["N", 3]),
     helper.make_tensor_value_info("label", TensorProto.INT64, ["N"])],
    initializer=[
        numpy_helper.from_array(w1, "w1"),
        helper.make_tensor("b1", TensorProto.FLOAT, [4], b1.tolist(), raw=False),
        numpy_helper.from_array(w2, "w2"),
        helper.make_tensor("b2", TensorProto.FLOAT, [3], b2.tolist(), raw=False),
    ],
    doc_string="two-layer perceptron",
    value_info=[helper.make_tensor_value_info("h2", TensorProto.FLOAT, ["N", 4])],
)
model = helper.make_model(graph, producer_name="onnx-example", producer_version="1.12",
                          opset_imports=[helper.make_opsetid("", 13)])
model.ir_version = 7
helper.set_model_props(model, {"author": "fixture"})
onnx.checker.check_model(model)
onnx.save(model, "mlp_onnx_python.onnx")

x = rng.standard_normal((3, 5)).astype(np.float32)
h = np.maximum(x @ w1 + b1, 0)
logits = h @ w2.T + b2
e = np.exp(logits - logits.max(axis=1, keepdims=True))
probs = (e / e.sum(axis=1, keepdims=True)).astype(np.float32)
label = logits.argmax(axis=1).astype(np.int64)
for name, arr in [("input_0", x), ("output_0", probs), ("output_1", label)]:
    t = numpy_helper.from_array(arr, name)
    with open(f"mlp_{name}.pb", "wb") as f:
        f.write(t.SerializeToString())

# 2) An old-style (IR 3) model: the initializer is also listed as a graph input, int32_data holds FLOAT16
#    bit patterns (make_tensor converts the float values to them), dims without names are unknown.
half = np.array([1.5, -2.0], dtype=np.float16)
old = helper.make_graph(
    [helper.make_node("Cast", ["k"], ["kf"], to=TensorProto.FLOAT),
     helper.make_node("Mul", ["x", "kf"], ["y"])],
    "old",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [None, 2]),
     helper.make_tensor_value_info("k", TensorProto.FLOAT16, [2])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [None, 2])],
    initializer=[helper.make_tensor("k", TensorProto.FLOAT16, [2], half.astype(np.float32).tolist(), raw=False)],
)
old_model = helper.make_model(old, producer_name="legacy", opset_imports=[helper.make_opsetid("", 9)])
old_model.ir_version = 3
onnx.save(old_model, "old_style.onnx")
print("ok")
