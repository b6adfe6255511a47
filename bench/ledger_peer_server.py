#!/usr/bin/python3
"""The ledger's peer: a FastAPI app serving a TorchScript model with PyTorch, as many teams deploy today.

Three routes, all in TF Serving's REST shape so wrk posts the same body to Pier and to this server:
  GET  /ping                              a trivial route: this server's HTTP ceiling
  POST /v1/models/NAME:predict            the usual way: a pydantic body model ({"instances": [[float, ...]]})
                                          that FastAPI validates, and a plain `def` handler on its thread pool
  POST /raw/v1/models/NAME:predict        the fast way: an `async def` handler on the event loop that reads
                                          the raw request body and calls json.loads itself
GET /v1/models/NAME answers 200 once the model is loaded (readiness).

Run as its users run it (bench/ledger.sh does):
  PEER_MODELS=mnist=/path/mnist.pt /usr/bin/python3 -m uvicorn ledger_peer_server:app --app-dir bench \
      --host 127.0.0.1 --port 18601 --workers 2 --loop uvloop --http httptools --no-access-log
Each worker process loads the models and runs PyTorch with PEER_TORCH_THREADS intra-op threads (default 1:
the worker processes give the parallelism).
"""
import json
import os
from typing import List

import torch
from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
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


@app.get("/ping")
async def ping():
    return {"status": "ok"}


@app.get("/v1/models/{name}")
def status(name: str):
    model(name)
    return {"model_version_status": [{"version": "1", "state": "AVAILABLE"}]}


class PredictRequest(BaseModel):
    instances: List[List[float]]


def run(m, rows):
    if not rows:
        raise HTTPException(status_code=400, detail='expected {"instances": [row, ...]} with at least one row')
    try:
        x = torch.tensor(rows, dtype=torch.float32)
    except (TypeError, ValueError) as e:
        raise HTTPException(status_code=400, detail=f"instances are not a numeric tensor: {e}")
    with torch.inference_mode():
        return m(x).tolist()


@app.post("/v1/models/{name}:predict")
def predict(name: str, request: PredictRequest):
    # FastAPI parsed and validated the body on the event loop; this plain function runs on its thread pool
    return {"predictions": run(model(name), request.instances)}


@app.post("/raw/v1/models/{name}:predict")
async def predict_raw(name: str, request: Request):
    m = model(name)
    try:
        rows = json.loads(await request.body())["instances"]
    except (ValueError, KeyError, TypeError) as e:
        raise HTTPException(status_code=400, detail=f'expected {{"instances": [row, ...]}}: {e}')
    return JSONResponse({"predictions": run(m, rows)})
