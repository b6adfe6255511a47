#!/usr/bin/python3
"""The ledger's peer: a FastAPI app serving TorchScript models with PyTorch, as many teams deploy today.

It speaks TF Serving's REST predict shape, so `pier bench --protocol tfserving` drives it exactly as it
drives `pier serve`:  POST /v1/models/NAME:predict  {"instances": [...]}  ->  {"predictions": [...]}.
GET /v1/models/NAME answers 200 once the model is loaded (readiness).

Models come from the environment: PEER_MODELS="mnist=/path/mnist.pt,cnn=/path/cnn.pt".
Each uvicorn worker process loads them and runs PyTorch with PEER_TORCH_THREADS intra-op threads (default 1;
the processes give the parallelism, as Pier's workers do). A plain `def` handler: FastAPI runs it on its
thread pool after parsing the JSON body into a pydantic model, so one slow inference does not block the event
loop (torch releases the GIL while it computes).

Run: PEER_MODELS=... /usr/bin/python3 -m uvicorn ledger_peer_server:app --app-dir bench --host 127.0.0.1 \
     --port 18601 --workers N --no-access-log
"""
import os

import torch
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

torch.set_num_threads(int(os.environ.get("PEER_TORCH_THREADS", "1")))
MODELS = {}
for entry in filter(None, os.environ.get("PEER_MODELS", "").split(",")):
    name, path = entry.split("=", 1)
    MODELS[name] = torch.jit.load(path).eval()

app = FastAPI()


def model(name):
    m = MODELS.get(name)
    if m is None:
        raise HTTPException(status_code=404, detail=f"model '{name}' is not served here; models: {sorted(MODELS)}")
    return m


@app.get("/v1/models/{name}")
def status(name: str):
    model(name)
    return {"model_version_status": [{"version": "1", "state": "AVAILABLE"}]}


class PredictRequest(BaseModel):
    instances: list


@app.post("/v1/models/{name}:predict")
def predict(name: str, request: PredictRequest):
    # FastAPI has parsed the JSON body on the event loop; this plain function runs on its thread pool
    m = model(name)
    if not request.instances:
        raise HTTPException(status_code=400, detail='expected {"instances": [row, ...]} with at least one row')
    try:
        x = torch.tensor(request.instances, dtype=torch.float32)
    except (TypeError, ValueError) as e:
        raise HTTPException(status_code=400, detail=f"instances are not a numeric tensor: {e}")
    with torch.inference_mode():
        y = m(x)
    return {"predictions": y.tolist()}
