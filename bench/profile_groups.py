#!/usr/bin/python3
"""Groups an async-profiler cpu profile (collapsed stacks) as docs/benchmarks.md reports them: each sample goes to
the first group whose marker appears anywhere in its stack, in the order below; then the top self frames.
Usage: bench/profile_groups.py FILE.collapsed"""
import collections
import sys

GROUPS = [
    ("JIT", ["CompileBroker", "C2Compiler", "Compiler::"]),
    ("collector", ["ZThread", "ZDriver", "ZWorker", "GCThread", "ZDirector", "ZUncommit", "ZRelocate", "ZMark"]),
    ("ONNX Runtime", ["OrtSession.run", "OrtModelSession.run"]),
    ("JSON decode", ["TfPredictDecoder", "NestedReader", "V2DenseDecoder", "V2TensorReader"]),
    ("JSON encode", ["TfServingJson", "TensorWriter"]),
    ("socket writes", ["writev", "sys_write", "doWrite"]),
    ("socket reads", ["sys_read", "doReadBytes"]),
    # under io_uring reads and writes are submitted and completed together: one group
    ("socket I/O (io_uring)", ["io_uring_enter", "io_submit_sqes", "io_issue_sqe", "IoUringChannel.doWrite"]),
    ("epoll", ["epoll_wait", "Epoll", "select"]),
    ("park/unpark", ["LockSupport.park", "LockSupport.unpark", "futex"]),
    ("page faults", ["asm_exc_page_fault"]),
    ("router", ["RouterImpl", "RoutingContextImpl"]),
    ("HTTP/1.1 codec", ["HttpObjectDecoder", "HttpObjectEncoder", "Http1xServer"]),
    ("metrics", ["ServingMetrics", "micrometer"]),
    ("monitoring", ["MonitoringService", "DriftMonitor", "RecentPredictions"]),
    ("validation", ["RequestValidator", "InputValidator"]),
]

total = 0
groups = collections.Counter()
frames = collections.Counter()
for line in open(sys.argv[1]):
    stack, _, n = line.rstrip().rpartition(" ")
    n = int(n)
    total += n
    groups[next((name for name, marks in GROUPS if any(m in stack for m in marks)), "other")] += n
    frames[stack.split(";")[-1][:90]] += n
print(f"{total} samples")
for name, n in groups.most_common():
    print(f"{100 * n / total:5.1f} %  {name}")
print("top self frames:")
for frame, n in frames.most_common(20):
    print(f"{100 * n / total:5.1f} %  {frame}")
