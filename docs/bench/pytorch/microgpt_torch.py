"""microgpt's model and training step in PyTorch (CPU, f32, eager), for the side-by-side benchmark.

The same model as microgpt-java and the reference microgpt.py:
  x = rmsnorm(wte[token] + wpe[pos])                      embeddings summed, then RMSNorm without gain
  per layer:
    x = x + wo @ attention(rmsnorm(x))                    q, k, v without bias; causal; scores / sqrt(head_dim)
    x = x + fc2 @ relu(fc1 @ rmsnorm(x))
  logits = lm_head @ x                                    untied from wte
rmsnorm(x) = x * (mean(x^2) + 1e-5) ** -0.5. Loss: each document's mean cross-entropy over its positions, then
the mean over the batch's documents. Adam with betas 0.85, 0.99, eps 1e-8 and the reference's linear decay of
the learning rate to zero over the planned steps. A document trains on its first min(block, len(tokens) - 1)
positions; a batch is padded to its longest document (padding comes after every real position, so causal
attention never lets a real position see it, and the loss ignores it).

Weights are named and laid out as in microgpt's safetensors checkpoints: wte [vocab, n_embd],
wpe [block, n_embd], lm_head [vocab, n_embd], layer{i}.attn_wq/wk/wv/wo [n_embd, n_embd],
layer{i}.mlp_fc1 [4 n_embd, n_embd], layer{i}.mlp_fc2 [n_embd, 4 n_embd], each y = W x; Adam's moments as
adam.m.<name> and adam.v.<name>.

Used by side_by_side.py; `python microgpt_torch.py --help` for its own two commands (check, bench).
"""
import argparse
import json
import math
import random
import sys
import time

import torch
import torch.nn.functional as F

BETAS = (0.85, 0.99)
EPS = 1e-8
NORM_EPS = 1e-5


def rmsnorm(x):
    return x * (x.pow(2).mean(dim=-1, keepdim=True) + NORM_EPS).rsqrt()


class MicroGPT(torch.nn.Module):
    def __init__(self, vocab_size, n_embd, n_head, n_layer, block_size):
        super().__init__()
        self.n_head, self.n_layer, self.block_size = n_head, n_layer, block_size
        p = lambda *shape: torch.nn.Parameter(torch.randn(*shape) * 0.08)   # the reference's init spread
        self.weights = torch.nn.ParameterDict()
        self.weights["wte"] = p(vocab_size, n_embd)
        self.weights["wpe"] = p(block_size, n_embd)
        self.weights["lm_head"] = p(vocab_size, n_embd)
        for i in range(n_layer):
            for kind in ("attn_wq", "attn_wk", "attn_wv", "attn_wo"):
                self.weights[f"layer{i}_{kind}"] = p(n_embd, n_embd)
            self.weights[f"layer{i}_mlp_fc1"] = p(4 * n_embd, n_embd)
            self.weights[f"layer{i}_mlp_fc2"] = p(n_embd, 4 * n_embd)

    def named_weights(self):
        """(checkpoint name, parameter) pairs (a ParameterDict key may hold no dot: layer0.attn_wq is layer0_attn_wq)."""
        return [(k.replace("_attn", ".attn").replace("_mlp", ".mlp"), v) for k, v in self.weights.items()]

    def forward(self, tokens, targets, mask):
        """tokens, targets, mask: [B, T]; returns the mean over documents of each one's mean cross-entropy."""
        w = self.weights
        B, T = tokens.shape
        x = rmsnorm(w["wte"][tokens] + w["wpe"][:T])
        C = x.shape[-1]
        hd = C // self.n_head
        for i in range(self.n_layer):
            h = rmsnorm(x)
            q = (h @ w[f"layer{i}_attn_wq"].T).view(B, T, self.n_head, hd).transpose(1, 2)
            k = (h @ w[f"layer{i}_attn_wk"].T).view(B, T, self.n_head, hd).transpose(1, 2)
            v = (h @ w[f"layer{i}_attn_wv"].T).view(B, T, self.n_head, hd).transpose(1, 2)
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True)   # softmax(q k^T / sqrt(hd)) v, causal
            x = x + y.transpose(1, 2).reshape(B, T, C) @ w[f"layer{i}_attn_wo"].T
            h = rmsnorm(x)
            x = x + F.relu(h @ w[f"layer{i}_mlp_fc1"].T) @ w[f"layer{i}_mlp_fc2"].T
        logits = x @ w["lm_head"].T
        nll = F.cross_entropy(logits.view(B * T, -1), targets.view(B * T), reduction="none").view(B, T)
        per_doc = (nll * mask).sum(dim=1) / mask.sum(dim=1)
        return per_doc.mean()


def optimizer(model, lr):
    return torch.optim.Adam(model.parameters(), lr=lr, betas=BETAS, eps=EPS)


def train_step(model, opt, batch, lr):
    for g in opt.param_groups:
        g["lr"] = lr
    opt.zero_grad(set_to_none=True)
    loss = model(*batch)
    loss.backward()
    opt.step()
    return loss.item()


def read_documents(path):
    """Python's reading of a dataset, as the reference: stripped lines, blank ones dropped."""
    with open(path, encoding="utf-8") as f:
        return [line.strip() for line in f if line.strip()]


def shuffled(docs, seed=42):
    """The reference's data order: random.seed(seed); random.shuffle(docs)."""
    docs = list(docs)
    random.seed(seed)
    random.shuffle(docs)
    return docs


def vocabulary(docs):
    """The sorted characters; BOS is the id after them."""
    return sorted(set("".join(docs)))


def encode(doc, stoi, bos):
    return [bos] + [stoi[c] for c in doc] + [bos]


def make_batch(token_docs, block_size):
    """Inputs, targets and mask [B, T], padded to the longest document's trained positions."""
    n = [min(block_size, len(d) - 1) for d in token_docs]
    T = max(n)
    tokens = torch.zeros(len(token_docs), T, dtype=torch.long)
    targets = torch.zeros(len(token_docs), T, dtype=torch.long)
    mask = torch.zeros(len(token_docs), T)
    for b, (d, m) in enumerate(zip(token_docs, n)):
        tokens[b, :m] = torch.tensor(d[:m])
        targets[b, :m] = torch.tensor(d[1:m + 1])
        mask[b, :m] = 1
    return tokens, targets, mask


def batches(token_docs, batch_size, block_size):
    """Step k's batch: documents (k * batch + i) mod count, as microgpt trains them; endless."""
    k = 0
    while True:
        docs = [token_docs[(k * batch_size + i) % len(token_docs)] for i in range(batch_size)]
        yield make_batch(docs, block_size)
        k += 1


# ---- check: same weights as one of our checkpoints, same losses ----

def load_checkpoint(path):
    from safetensors import safe_open
    with safe_open(path, framework="pt") as f:
        meta = f.metadata()
        tensors = {k: f.get_tensor(k).float() for k in f.keys()}
    return meta, tensors


def check(args):
    """Loads the checkpoint saved after step 1 (weights and Adam state) and recomputes steps 2 and 3."""
    meta, tensors = load_checkpoint(args.checkpoint)
    cfg = {k: int(meta[k]) for k in ("vocab_size", "n_embd", "n_head", "n_layer", "block_size", "batch_size", "steps", "seed", "steps_done")}
    docs = shuffled(read_documents(args.data), cfg["seed"])
    chars = vocabulary(docs)
    if "".join(chars) != meta["vocab"]:
        sys.exit(f"check: the vocabulary of {args.data} differs from the checkpoint's")
    stoi = {c: i for i, c in enumerate(chars)}
    token_docs = [encode(d, stoi, len(chars)) for d in docs]
    model = MicroGPT(cfg["vocab_size"], cfg["n_embd"], cfg["n_head"], cfg["n_layer"], cfg["block_size"])
    opt = optimizer(model, float(meta["learning_rate"]))
    with torch.no_grad():
        for name, p in model.named_weights():
            p.copy_(tensors[name])
    for name, p in model.named_weights():
        opt.state[p] = {"step": torch.tensor(float(cfg["steps_done"])),
                        "exp_avg": tensors["adam.m." + name].clone(), "exp_avg_sq": tensors["adam.v." + name].clone()}
    it = batches(token_docs, cfg["batch_size"], cfg["block_size"])
    for _ in range(cfg["steps_done"]):
        next(it)
    expected = [float(x) for x in args.losses.split(",")]
    lr0 = float(meta["learning_rate"])
    ours = []
    for j in range(len(expected)):
        step_index = cfg["steps_done"] + j
        ours.append(train_step(model, opt, next(it), lr0 * (1 - step_index / cfg["steps"])))
    report = {"expected": expected, "pytorch": ours, "differences": [a - b for a, b in zip(ours, expected)]}
    print(json.dumps(report))
    # The first loss is of the very same weights: f32 sums in another order differ by a few ulps per term.
    # Later ones follow an Adam update from f32 gradients: Adam divides by sqrt(v), so tiny gradients' rounding
    # differences move weights by up to lr; the loss still agrees to a few 1e-5.
    tolerances = [2e-5] + [1e-4] * (len(expected) - 1)
    bad = [j for j, (a, b, t) in enumerate(zip(ours, expected, tolerances)) if abs(a - b) > t * max(1.0, abs(b))]
    if bad:
        j = bad[0]
        sys.exit(f"check failed: step {cfg['steps_done'] + j + 1}: pytorch loss {ours[j]!r}, microgpt {expected[j]!r}"
                 f" (difference {ours[j] - expected[j]:.3g}, allowed {tolerances[j]:g} relative)")


# ---- bench: µs per training sample ----

def bench(args):
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    docs = shuffled(read_documents(args.data))
    chars = vocabulary(docs)
    stoi = {c: i for i, c in enumerate(chars)}
    token_docs = [encode(d, stoi, len(chars)) for d in docs]
    results = []
    for n_embd in [int(x) for x in args.n_embd.split(",")]:
        model = MicroGPT(len(chars) + 1, n_embd, args.n_head, args.n_layer, args.block_size)
        opt = optimizer(model, 0.01)
        it = batches(token_docs, args.batch, args.block_size)

        def run_for(seconds, min_steps):
            start = time.perf_counter()
            steps = 0
            while steps < min_steps or time.perf_counter() - start < seconds:
                train_step(model, opt, next(it), 0.01)
                steps += 1
            return steps, time.perf_counter() - start

        run_for(args.warmup, 2)
        rounds = []
        for _ in range(args.rounds):
            steps, elapsed = run_for(args.seconds, 1)
            rounds.append(elapsed * 1e6 / (steps * args.batch))
        results.append({"nEmbd": n_embd, "roundMicros": rounds})
    print(json.dumps({"torch": torch.__version__, "threads": args.threads, "results": results}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check", help="recompute steps after a checkpoint; fail unless the losses match microgpt's")
    c.add_argument("--checkpoint", required=True, help="a microgpt checkpoint saved with training state")
    c.add_argument("--data", required=True, help="the dataset it trained on")
    c.add_argument("--losses", required=True, help="microgpt's losses of the next steps, comma-separated")
    b = sub.add_parser("bench", help="time training steps: JSON with µs per sample per round")
    b.add_argument("--data", required=True)
    b.add_argument("--n-embd", default="16,64")
    b.add_argument("--n-head", type=int, default=4)
    b.add_argument("--n-layer", type=int, default=1)
    b.add_argument("--block-size", type=int, default=16)
    b.add_argument("--batch", type=int, default=16)
    b.add_argument("--threads", type=int, default=1)
    b.add_argument("--warmup", type=float, default=1.0, help="seconds of untimed steps (at least 2 steps)")
    b.add_argument("--seconds", type=float, default=1.0, help="length of a timed round (at least 1 step)")
    b.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    check(args) if args.command == "check" else bench(args)


if __name__ == "__main__":
    main()
