#!/usr/bin/env python3
"""PyTorch CPU LoRA training throughput on a random llama of a given shape: the peer that
`conpet bench-train` is compared with. Same work per step as the native trainer: a batch of
`--batch` samples of `--seq-len` tokens (first half prompt, second half completion), frozen F32
base weights, LoRA (rank r, alpha 2r) on the chosen projections, AdamW, loss on the completion
tokens only (the LM head runs only on those positions, as in the native trainer).
Prints and writes (--report) the same keys as bench-train, plus the BLAS library PyTorch actually
loaded (Debian's torch is built against the generic libblas.so.3, which the system's alternatives
point at reference BLAS, OpenBLAS or BLIS: install `libopenblas0-pthread` for a fair peer) and the
GFLOP/s of one F32 matmul, so a report shows how strong the peer was."""
import argparse
import json
import math
import os
import resource
import time


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--layers", type=int, default=30)
    p.add_argument("--embd", type=int, default=576)
    p.add_argument("--heads", type=int, default=9)
    p.add_argument("--kv-heads", type=int, default=3)
    p.add_argument("--ff", type=int, default=1536)
    p.add_argument("--vocab", type=int, default=49152)
    p.add_argument("--seq-len", type=int, default=256)
    p.add_argument("--batch", type=int, default=4)
    p.add_argument("--rank", type=int, default=8)
    p.add_argument("--steps", type=int, default=6)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--targets", default="q,k,v,o")
    p.add_argument("--report")
    return p.parse_args()


ARGS = parse_args()
# OpenBLAS sizes its own thread pool when it loads, before torch.set_num_threads can reach it
os.environ.setdefault("OPENBLAS_NUM_THREADS", str(ARGS.threads))
os.environ.setdefault("OMP_NUM_THREADS", str(ARGS.threads))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def loaded_blas_libraries():
    """The BLAS/LAPACK shared libraries mapped into this process (after a matmul has run)."""
    found = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1]
            name = os.path.basename(path).lower()
            if path.startswith("/") and any(k in name for k in ("blas", "blis", "mkl", "lapack")):
                found.add(os.path.realpath(path))
    return sorted(found)


def matmul_gflops(n=2048, repeats=3):
    a, b = torch.randn(n, n), torch.randn(n, n)
    a @ b  # warm-up: loads the BLAS and its threads
    start = time.perf_counter()
    for _ in range(repeats):
        a @ b
    return 2 * n**3 * repeats / (time.perf_counter() - start) / 1e9


def blas_info():
    config = torch.__config__.show()
    build = next((part.split("=", 1)[1] for part in config.replace(",", " ").split() if part.startswith("BLAS_INFO=")), None)
    return {"build_blas_info": build, "libraries": loaded_blas_libraries(), "matmul_2048_gflops": round(matmul_gflops(), 1)}


class Lora(torch.nn.Module):
    def __init__(self, n_in, n_out, rank, alpha, targeted):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.randn(n_out, n_in) * 0.02, requires_grad=False)
        self.targeted = targeted
        if targeted:
            bound = 1 / math.sqrt(n_in)
            self.a = torch.nn.Parameter(torch.empty(rank, n_in).uniform_(-bound, bound))
            self.b = torch.nn.Parameter(torch.zeros(n_out, rank))
            self.scale = alpha / rank

    def forward(self, x):
        y = F.linear(x, self.weight)
        if self.targeted:
            y = y + F.linear(F.linear(x, self.a), self.b) * self.scale
        return y


def rms_norm(x, weight, eps=1e-5):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * weight


def rope(x, cos, sin):
    x1, x2 = x[..., : x.shape[-1] // 2], x[..., x.shape[-1] // 2 :]
    return torch.cat((x1 * cos - x2 * sin, x1 * sin + x2 * cos), dim=-1)


class Block(torch.nn.Module):
    def __init__(self, a, targets):
        super().__init__()
        hd = a.embd // a.heads
        self.heads, self.kv_heads, self.hd = a.heads, a.kv_heads, hd
        mk = lambda n_in, n_out, name: Lora(n_in, n_out, a.rank, 2 * a.rank, name in targets)
        self.q = mk(a.embd, a.embd, "q")
        self.k = mk(a.embd, hd * a.kv_heads, "k")
        self.v = mk(a.embd, hd * a.kv_heads, "v")
        self.o = mk(a.embd, a.embd, "o")
        self.gate = mk(a.embd, a.ff, "gate")
        self.up = mk(a.embd, a.ff, "up")
        self.down = mk(a.ff, a.embd, "down")
        self.attn_norm = torch.nn.Parameter(torch.ones(a.embd), requires_grad=False)
        self.ffn_norm = torch.nn.Parameter(torch.ones(a.embd), requires_grad=False)

    def forward(self, x, cos, sin, mask):
        b, t, _ = x.shape
        h = rms_norm(x, self.attn_norm)
        q = self.q(h).view(b, t, self.heads, self.hd).transpose(1, 2)
        k = self.k(h).view(b, t, self.kv_heads, self.hd).transpose(1, 2)
        v = self.v(h).view(b, t, self.kv_heads, self.hd).transpose(1, 2)
        q, k = rope(q, cos, sin), rope(k, cos, sin)
        rep = self.heads // self.kv_heads
        k = k.repeat_interleave(rep, dim=1)
        v = v.repeat_interleave(rep, dim=1)
        att = (q @ k.transpose(-1, -2)) / math.sqrt(self.hd) + mask
        out = (att.softmax(-1) @ v).transpose(1, 2).reshape(b, t, -1)
        x = x + self.o(out)
        h = rms_norm(x, self.ffn_norm)
        return x + self.down(F.silu(self.gate(h)) * self.up(h))


class Model(torch.nn.Module):
    def __init__(self, a, targets):
        super().__init__()
        self.embd = torch.nn.Parameter(torch.randn(a.vocab, a.embd) * 0.02, requires_grad=False)
        self.blocks = torch.nn.ModuleList(Block(a, targets) for _ in range(a.layers))
        self.norm = torch.nn.Parameter(torch.ones(a.embd), requires_grad=False)
        hd = a.embd // a.heads
        inv = 1.0 / (10000 ** (torch.arange(0, hd, 2).float() / hd))
        ang = torch.outer(torch.arange(a.seq_len).float(), inv)
        self.cos, self.sin = ang.cos(), ang.sin()
        self.mask = torch.full((a.seq_len, a.seq_len), float("-inf")).triu(1)

    def forward(self, tokens, n_prompt):
        x = self.embd[tokens]
        for block in self.blocks:
            x = block(x, self.cos, self.sin, self.mask)
        h = rms_norm(x[:, n_prompt - 1 :], self.norm)  # completion positions only
        return h @ self.embd.t()  # tied output, as in SmolLM-135M


def main():
    a = ARGS
    torch.manual_seed(1)
    torch.set_num_threads(a.threads)
    targets = set(a.targets.split(","))
    model = Model(a, targets)
    params = [q for q in model.parameters() if q.requires_grad]
    opt = torch.optim.AdamW(params, lr=1e-4, weight_decay=0.0)
    n_prompt = a.seq_len // 2
    # inputs are seq_len tokens; targets the next token of the completion half (+ EOS)
    data = torch.randint(259, a.vocab, (a.steps, a.batch, a.seq_len + 1))
    ends = []
    cpu = []
    start = time.perf_counter()
    for step in range(a.steps):
        tokens = data[step, :, :-1]
        labels = data[step, :, n_prompt:]
        logits = model(tokens, n_prompt)
        loss = F.cross_entropy(logits.reshape(-1, a.vocab), labels.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        ends.append(time.perf_counter() - start)
        cpu.append(time.process_time())
        print(f"step {step + 1}/{a.steps} loss {loss.item():.4f} {ends[-1]:.2f}s", flush=True)
    timed = ends[-1] - ends[0]
    n_model = sum(q.numel() for q in model.parameters() if not q.requires_grad)
    report = {
        "tokens_per_second": (a.steps - 1) * a.batch * a.seq_len / timed,
        "trainable_parameters": sum(q.numel() for q in params),
        "model_parameters": n_model,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "backend": "pytorch-cpu",
        "threads": a.threads,
        "seq_len": a.seq_len,
        "rank": a.rank,
        "steps": a.steps,
        "timed_steps": a.steps - 1,
        "batch_size": a.batch,
        "target_modules": sorted(targets),
        "seconds_per_step": timed / (a.steps - 1),
        # with one thread: the throughput of a quiet core, whatever else the machine runs (as bench-train reports)
        "tokens_per_cpu_second": (a.steps - 1) * a.batch * a.seq_len / (cpu[-1] - cpu[0]),
        "torch_version": torch.__version__,
        "blas": blas_info(),
        "load_average": list(os.getloadavg()),
    }
    print(json.dumps(report, indent=2))
    if a.report:
        with open(a.report, "w") as f:
            f.write(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
