"""Time one float32 training step (forward + backward + update) of every registered cell,
and the same step in PyTorch where it has the cell, when it happens to be installed (it is
not a dependency).

    python bench/train_step.py                  # grid, BLAS on 1 thread (as training runs)
    python bench/train_step.py --threads 2      # both libraries on 2 threads
    python bench/train_step.py --quick          # only B=64, T=100, H=128
    python bench/train_step.py --quick --cells lstm gru

Two kinds of step, each timed for ours and for torch with equal thread counts:
- cell:  hs = cell(xs); L = sum(hs^2); backward; plain SGD update of every weight, for every
         cell of the registry. PyTorch counterparts: nn.RNN (tanh) for rnn, nn.GRU for gru
         (same cost; PyTorch applies the reset after the product) and gru_reset_after (its own
         algorithm), nn.LSTM for lstm. The GRU ablations have none.
- model: the real training step of core.train.loop (cell + linear readout at the answer step,
         softmax cross-entropy, global-norm clipping, Adam) on a delayed-recall batch;
         torch: nn.RNN / nn.GRU + nn.Linear, cross_entropy, clip_grad_norm_, optim.Adam.
--products also times the cell step's matrix products alone, one fused call per matrix and
step (what any implementation with this BLAS on this core pays at least), with their GFLOP/s
and their ratio to PyTorch's step.
Rounds alternate ours and torch so both see the same machine load; we print medians of wall
time and of process CPU time (less disturbed by other programs), achieved GFLOP/s (matrix
products only; over wall and over CPU time) and the ratios ours/torch.
Target: every cell's step <= 0.5x PyTorch's at B=64, T=100, H=128 (one thread, idle machine).
OpenBLAS picks its kernel from the CPU unless OPENBLAS_CORETYPE overrides it: unset it (and
OPENBLAS_L2_SIZE) for this command to measure the machine's own kernel; the first line of
the output names the kernel in use. Like every process that trains, the bench keeps its freed
heap (core.heap; torch, in the same process, gets the same allocator settings);
--default-heap measures with glibc's defaults instead.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.cells import cell_names, get_cell  # noqa: E402
from core.heap import keep_freed_heap  # noqa: E402
from core.optim import Adam, clip_by_global_norm  # noqa: E402
from core.tasks import get_task  # noqa: E402
from core.train.model import init_model, model_loss  # noqa: E402

try:
    import torch
except ImportError:  # torch is optional: only the comparison column needs it
    torch = None

# (B, T, H, D); the last is the default experiment's size (delayed recall of 16 symbols, T = 80)
GRID = [
    (64, 100, 128, 10),
    (64, 100, 128, 128),
    (32, 30, 32, 10),
    (64, 200, 64, 10),
    (32, 80, 16, 16),
]
# PyTorch's module for a cell, where it has one with the same cost (nn.GRU applies the reset
# after its product, like gru_reset_after; our seed-convention GRU costs the same).
TORCH_MODULES = {"rnn": "RNN", "gru": "GRU", "gru_reset_after": "GRU", "lstm": "LSTM"}
MODEL_STEP_CELLS = ("rnn", "gru", "lstm")  # full training steps timed against torch


def matmul_flops(name: str, B: int, T: int, H: int, D: int) -> float:
    """2 x multiply-adds of every matrix product in forward + backward (input grads excluded),
    from the cell's parameter shapes: the input matrix W (D, G) twice (x[W;b] and d[W;b]),
    every recurrent matrix (H, G) three times (h U, dh U^T and dU)."""
    total = 0.0
    for key, shape in get_cell(name).param_shapes(D, H).items():
        if len(shape) == 2:
            rows, cols = shape
            total += 2 * (rows + 1) * cols if key == "W" else 3 * rows * cols
    return 2.0 * T * B * total


def torch_module(name: str):
    """torch.nn.RNN / GRU / LSTM for a cell that PyTorch has, else None."""
    return getattr(torch.nn, TORCH_MODULES[name]) if name in TORCH_MODULES else None


# ----------------------------------------------------------------------------- ours
def ours_cell_step(name: str, B: int, T: int, H: int, D: int):
    cell = get_cell(name)
    params = cell.init(D, H, np.random.default_rng(0), dtype="float32")
    xs = np.random.default_rng(1).standard_normal((T, B, D)).astype(np.float32)
    lr = np.float32(1e-4)

    def step():
        hs, cache = cell.forward(params, xs, None)
        grads = cell.backward(params, cache, 2.0 * hs)  # dL/dhs of sum(hs^2)
        for k, p in params.items():
            p -= lr * grads.params[k]

    return step


def recall_batch(B: int, T: int):
    task = get_task("recall", T)
    return task, task.sample(np.random.default_rng(2), B, "float32")


def ours_model_step(model: str, B: int, T: int, H: int):
    cell = get_cell(model)
    task, batch = recall_batch(B, T)
    params = init_model(cell, task.input_size, H, task.output_size, np.random.default_rng(0))
    adam = Adam(lr=1e-3)
    state = adam.init(params)

    def step():
        out = model_loss(cell, params, batch)
        adam.update(params, clip_by_global_norm(out.grads, 1.0).grads, state)

    return step


def products_step(name: str, B: int, T: int, H: int, D: int):
    """Only the matrix products that matmul_flops counts, each fused to one call per matrix and
    step (the least they can take here): x1 [W; b] and x1^T d once; per recurrent matrix
    U (H, G), T products h U and T products d U^T, then h^T d once over all steps."""
    rng = np.random.default_rng(3)
    shapes = get_cell(name).param_shapes(D, H)
    G = shapes["W"][1]
    Us = [rand(rng, s) for k, s in shapes.items() if len(s) == 2 and k != "W"]  # (H, G_U)
    W1, x1, dx = rand(rng, (D + 1, G)), rand(rng, (T * B, D + 1)), rand(rng, (T * B, G))
    h, hs_T = rand(rng, (B, H)), rand(rng, (H, T * B))  # (B, H); h_prev of all steps, (H, T*B)
    outs = [np.empty((B, U.shape[1]), np.float32) for U in Us]  # (B, G_U)
    backs = [np.empty((B, H), np.float32) for _ in Us]  # (B, H)
    ds = [rand(rng, (T * B, U.shape[1])) for U in Us]  # (T*B, G_U)

    def step():
        x1 @ W1
        x1.T @ dx
        for U, out, back in zip(Us, outs, backs, strict=True):
            UT = np.ascontiguousarray(U.T)
            for _ in range(T):
                np.matmul(h, U, out=out)
                np.matmul(out, UT, out=back)
        for d in ds:
            hs_T @ d

    return step


def rand(rng: np.random.Generator, shape: tuple) -> np.ndarray:
    return rng.standard_normal(shape).astype(np.float32)


# ----------------------------------------------------------------------------- torch
def torch_cell_step(model: str, B: int, T: int, H: int, D: int):
    net = torch_module(model)(D, H)
    sgd = torch.optim.SGD(net.parameters(), lr=1e-4)
    xs = torch.randn(T, B, D)

    def step():
        sgd.zero_grad()
        hs, _ = net(xs)
        (hs * hs).sum().backward()
        sgd.step()

    return step


def torch_model_step(model: str, B: int, T: int, H: int):
    task, batch = recall_batch(B, T)
    net = torch_module(model)(task.input_size, H)
    readout = torch.nn.Linear(H, task.output_size)
    weights = list(net.parameters()) + list(readout.parameters())
    adam = torch.optim.Adam(weights, lr=1e-3)
    xs, steps = torch.from_numpy(batch.xs), torch.from_numpy(batch.steps)
    targets = torch.from_numpy(batch.targets).long()  # (S, B)

    def step():
        adam.zero_grad()
        hs, _ = net(xs)
        logits = readout(hs[steps])  # (S, B, C)
        loss = torch.nn.functional.cross_entropy(logits.flatten(0, 1), targets.flatten())
        loss.backward()
        torch.nn.utils.clip_grad_norm_(weights, 1.0)
        adam.step()

    return step


# ----------------------------------------------------------------------------- timing
def time_rounds(steps: dict, rounds: int, warmup: int = 2) -> dict[str, dict[str, list]]:
    """Wall and CPU seconds per call of each step function, alternating every round.
    CPU time (this process, all threads) is less disturbed by other programs than wall time."""
    for fn in steps.values():
        for _ in range(warmup):
            fn()
    times = {name: {"wall": [], "cpu": []} for name in steps}
    for _ in range(rounds):
        for name, fn in steps.items():
            wall, cpu = time.perf_counter(), time.process_time()
            fn()
            times[name]["cpu"].append(time.process_time() - cpu)
            times[name]["wall"].append(time.perf_counter() - wall)
    return times


def report(kind: str, model: str, shape: tuple, flops: float, times: dict) -> None:
    """One line: medians in ms (wall, and CPU in brackets), GFLOP/s from the wall median (and
    from the CPU median, in brackets: the rate while this process ran)."""
    B, T, H, D = shape
    med = {name: {k: np.median(v) * 1e3 for k, v in t.items()} for name, t in times.items()}
    ours = med["ours"]
    line = (
        f"{kind:5s} {model:15s} B={B:<3d} T={T:<3d} H={H:<3d} D={D:<3d} "
        f"ours {ours['wall']:7.2f} ms [cpu {ours['cpu']:7.2f}] "
        f"{flops / ours['wall'] * 1e-6:5.1f} GFLOP/s [cpu {flops / ours['cpu'] * 1e-6:5.1f}]"
    )
    if "torch" in med:
        theirs = med["torch"]
        line += (
            f" | torch {theirs['wall']:7.2f} ms [cpu {theirs['cpu']:7.2f}]"
            f" | ours/torch {ours['wall'] / theirs['wall']:4.2f}"
            f" [cpu {ours['cpu'] / theirs['cpu']:4.2f}]"
        )
    if "products" in med:
        alone = med["products"]["wall"]
        line += f" | products alone {alone:6.2f} ms, {flops / alone * 1e-6:5.1f} GFLOP/s"
        if "torch" in med:
            line += f", {alone / med['torch']['wall']:4.2f}x torch"
    print(line, flush=True)


def run(args) -> None:
    grid = GRID[:1] if args.quick else GRID
    use_torch = torch is not None and not args.no_torch
    names = args.cells or cell_names()
    for B, T, H, D in grid:
        for name in names:
            steps = {"ours": ours_cell_step(name, B, T, H, D)}
            if use_torch and name in TORCH_MODULES:
                steps["torch"] = torch_cell_step(name, B, T, H, D)
            if args.products:
                steps["products"] = products_step(name, B, T, H, D)
            report(
                "cell",
                name,
                (B, T, H, D),
                matmul_flops(name, B, T, H, D),
                time_rounds(steps, args.rounds),
            )
    for B, T, H, _ in grid[:1] if args.quick else [g for g in grid if g[3] == 10]:
        D = get_task("recall", T).input_size
        for model in [m for m in MODEL_STEP_CELLS if m in names]:
            steps = {"ours": ours_model_step(model, B, T, H)}
            if use_torch:
                steps["torch"] = torch_model_step(model, B, T, H)
            report(
                "model",
                model,
                (B, T, H, D),
                matmul_flops(model, B, T, H, D),
                time_rounds(steps, args.rounds),
            )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=1, help="BLAS / torch threads (default 1)")
    ap.add_argument("--rounds", type=int, default=15, help="timed rounds per configuration")
    ap.add_argument("--quick", action="store_true", help="only B=64, T=100, H=128")
    ap.add_argument("--no-torch", action="store_true", help="skip the PyTorch comparison")
    ap.add_argument("--cells", nargs="+", choices=cell_names(), help="only these cells")
    ap.add_argument(
        "--products",
        action="store_true",
        help="also time the step's matrix products alone (the floor any implementation on "
        "this BLAS and core pays)",
    )
    ap.add_argument(
        "--default-heap",
        action="store_true",
        help="leave glibc's malloc thresholds as they are (training processes tune them)",
    )
    args = ap.parse_args()
    heap = "glibc defaults"
    if not args.default_heap:  # as every training process does
        heap = "kept" if keep_freed_heap() else "not tunable here (not glibc)"
    blas = [
        f"{i['internal_api']} {i.get('version')} kernel={i.get('architecture')}"
        for i in threadpool_info()
        if i["user_api"] == "blas"
    ]
    print(
        f"numpy {np.__version__}; BLAS: {'; '.join(blas) or 'unknown'}; threads={args.threads}; "
        f"freed heap {heap}"
    )
    if torch is not None and not args.no_torch:
        torch.set_num_threads(args.threads)
        # Vanishing gradients under torch's default init reach float32 denormals on long
        # sequences, which slows its CPU kernels several-fold; flushing them is its best case.
        torch.set_flush_denormal(True)
        print(f"torch {torch.__version__} (threads={torch.get_num_threads()})")
    else:
        print("no PyTorch comparison (torch not installed, or --no-torch)")
    with threadpool_limits(limits=args.threads, user_api="blas"):
        run(args)


if __name__ == "__main__":
    main()
