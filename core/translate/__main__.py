"""python -m core.translate: train encoder-decoders side by side, or translate with a saved one.

  python -m core.translate train --pairs PAIRS.tsv --models rnn gru --epochs 10 --out DIR
  python -m core.translate translate DIR/gru.json --input FILE --output FILE [--beam 4]

`train` writes, in DIR, <model>.json + <model>.npz, test.src, test.ref and <model>.hyp (one
translation per test line), and prints dev and test BLEU per model; the .src/.ref/.hyp files
feed `python -m core.bleu` unchanged.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core.cells import cell_names
from core.translate.config import TranslateConfig
from core.translate.corpus import ParallelCorpus, split_corpus
from core.translate.experiment import translate_test_set
from core.translate.generated import GeneratedCorpusConfig, generated_corpus
from core.translate.preprocess import prepare
from core.translate.readers import CorpusError, Pairs, read_aligned, read_pairs
from core.translate.saved import SavedModelError, load_model, save_model
from core.translate.tokenize import TOKENIZERS
from core.translate.train import TrainProgress, train_models
from core.translate.translator import translate_text


def _train_parser(sub) -> None:
    p = sub.add_parser(
        "train",
        help="train models side by side and translate the test set",
        description="Train encoder-decoders side by side on identical batches.",
    )
    src = p.add_argument_group("corpus (one of --pairs, --src/--tgt or --generated)")
    src.add_argument("--pairs", help="tab-separated file: source<TAB>target[<TAB>ignored]")
    src.add_argument("--src", help="source sentences, one per line (with --tgt)")
    src.add_argument("--tgt", help="target sentences aligned with --src")
    src.add_argument(
        "--generated", action="store_true", help="the built-in generated English->Korean corpus"
    )
    src.add_argument("--dev-src", help="development sources (else split off by seed)")
    src.add_argument("--dev-tgt", help="development targets aligned with --dev-src")
    src.add_argument("--test-src", help="test sources (else split off by seed)")
    src.add_argument("--test-tgt", help="test targets aligned with --test-src")
    src.add_argument(
        "--reverse-direction", action="store_true", help="translate target -> source instead"
    )
    src.add_argument(
        "--held-out",
        type=float,
        default=0.1,
        help="share of pairs split off for dev and for test each (default 0.1)",
    )
    d = TranslateConfig()
    m = p.add_argument_group("model and training")
    m.add_argument(
        "--models",
        nargs="+",
        default=list(d.models),
        choices=cell_names(),
        help=f"cells to train side by side (default: {' '.join(d.models)})",
    )
    m.add_argument("--attention", action="store_true", help="Luong general attention")
    m.add_argument("--reverse-source", action="store_true", help="feed the source backwards")
    m.add_argument("--embed", type=int, default=d.embed, help=f"embedding size ({d.embed})")
    m.add_argument("--hidden", type=int, default=d.hidden, help=f"hidden units ({d.hidden})")
    m.add_argument(
        "--src-tokens", choices=TOKENIZERS, default=d.src_tokens, help="source tokenisation (words)"
    )
    m.add_argument(
        "--tgt-tokens", choices=TOKENIZERS, default=d.tgt_tokens, help="target tokenisation (words)"
    )
    m.add_argument(
        "--vocab-size",
        type=int,
        default=d.vocab_size,
        help=f"vocabulary cap per side, specials included ({d.vocab_size})",
    )
    m.add_argument(
        "--min-count", type=int, default=d.min_count, help="rarer tokens become <unk> (1)"
    )
    m.add_argument("--batch-size", type=int, default=d.batch_size, help="sentences per batch")
    m.add_argument("--lr", type=float, default=d.lr, help=f"Adam learning rate ({d.lr})")
    m.add_argument("--clip", type=float, default=d.clip, help="gradient-norm clip (0 = off)")
    stop = m.add_mutually_exclusive_group()
    stop.add_argument("--epochs", type=int, default=d.epochs, help=f"epochs ({d.epochs})")
    stop.add_argument(
        "--time-budget",
        type=float,
        help="seconds of training wall time per model (epochs then unbounded)",
    )
    m.add_argument(
        "--budget-clock",
        choices=("wall", "cpu"),
        default="wall",
        help="what --time-budget counts: wall time, or the process's CPU time",
    )
    m.add_argument(
        "--checkpoint-every",
        type=int,
        default=0,
        help="steps between dev checkpoints (0 = each epoch)",
    )
    m.add_argument(
        "--dev-limit", type=int, default=d.dev_limit, help="dev pairs decoded at each checkpoint"
    )
    m.add_argument(
        "--bleu-tokenize", default=d.bleu_tokenize, help="sacrebleu tokenizer for every BLEU (13a)"
    )
    m.add_argument("--beam", type=int, default=1, help="beam size for the test set (1 = greedy)")
    m.add_argument("--length-norm", type=float, default=1.0, help="beam length normalisation")
    m.add_argument("--seed", type=int, default=0, help="seed of splits, init and batches")
    p.add_argument("--out", required=True, help="output folder")


def _translate_parser(sub) -> None:
    p = sub.add_parser("translate", help="translate a file with a saved model")
    p.add_argument("model", help="a saved <model>.json (its .npz beside it)")
    p.add_argument("--input", required=True, help="sentences to translate, one per line")
    p.add_argument("--output", required=True, help="where the translations are written")
    p.add_argument("--beam", type=int, default=1, help="beam size (1 = greedy)")
    p.add_argument("--length-norm", type=float, default=1.0, help="beam length normalisation")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m core.translate",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)
    _train_parser(sub)
    _translate_parser(sub)
    return parser


def _read(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as err:
        raise CorpusError(f"{path}: cannot be read ({err.strerror}).") from None


def _aligned(src: str | None, tgt: str | None, what: str) -> Pairs | None:
    if not src and not tgt:
        return None
    if not (src and tgt):
        raise CorpusError(f"{what} needs both a source and a target file.")
    return read_aligned(src, _read(src), tgt, _read(tgt))


def load_corpus(args) -> ParallelCorpus:
    """The corpus the arguments name, split into train / dev / test."""
    if args.generated:
        return generated_corpus(GeneratedCorpusConfig(seed=args.seed))
    if args.pairs:
        pairs = read_pairs(args.pairs, _read(args.pairs))
    else:
        pairs = _aligned(args.src, args.tgt, "--src/--tgt")
        if pairs is None:
            raise CorpusError("give a corpus: --pairs FILE, --src FILE --tgt FILE or --generated.")
    dev = _aligned(args.dev_src, args.dev_tgt, "--dev-src/--dev-tgt")
    test = _aligned(args.test_src, args.test_tgt, "--test-src/--test-tgt")
    if dev is not None and test is None:
        raise CorpusError("--dev-src/--dev-tgt needs --test-src/--test-tgt too.")
    if args.reverse_direction:
        pairs, dev, test = (p.reversed() if p else None for p in (pairs, dev, test))
    if dev is not None:
        return ParallelCorpus(pairs, dev, test, pairs.origin)
    return split_corpus(pairs, args.seed, args.held_out, test=test)


def _config(args) -> TranslateConfig:
    return TranslateConfig(
        models=tuple(args.models),
        embed=args.embed,
        hidden=args.hidden,
        attention=args.attention,
        reverse_source=args.reverse_source,
        src_tokens=args.src_tokens,
        tgt_tokens=args.tgt_tokens,
        vocab_size=args.vocab_size,
        min_count=args.min_count,
        batch_size=args.batch_size,
        lr=args.lr,
        clip=args.clip,
        epochs=args.epochs if args.time_budget is None else 10**6,
        budget_clock=args.budget_clock,
        time_budget=args.time_budget,
        checkpoint_every=args.checkpoint_every,
        dev_limit=args.dev_limit,
        bleu_tokenize=args.bleu_tokenize,
        seed=args.seed,
    )


def _print_progress(event: TrainProgress) -> None:
    c = event.checkpoint
    if c is not None:
        print(
            f"{event.model}: step {c.step} epoch {c.epoch:.2f} {c.seconds:.0f}s "
            f"train loss {c.train_loss:.3f} dev loss {c.dev_loss:.3f} dev BLEU {c.dev_bleu:.2f} "
            f"({event.tokens_per_s:.0f} target tokens/s)",
            flush=True,
        )


def train_command(args) -> int:
    corpus = load_corpus(args)
    cfg = _config(args)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    sizes = corpus.sizes()
    print(
        f"corpus {corpus.name}: {sizes['train']} train, {sizes['dev']} dev, "
        f"{sizes['test']} test pairs",
        flush=True,
    )
    models = train_models(prepare(corpus, cfg), cfg, _print_progress)
    _write_lines(out / "test.src", corpus.test.source)
    _write_lines(out / "test.ref", corpus.test.target)
    for name, model in models.items():
        save_model(model, out / f"{name}.json")
        result = translate_test_set(model, corpus, args.beam, args.length_norm)
        _write_lines(out / f"{name}.hyp", result.hyps)
        best = model.best.dev_bleu if model.best else float("nan")
        print(
            f"{name}: dev BLEU {best:.2f} (best checkpoint), test BLEU {result.bleu:.2f} "
            f"[sacrebleu tokenize={cfg.bleu_tokenize}, beam {args.beam}]"
        )
    return 0


def translate_command(args) -> int:
    model = load_model(args.model)
    lines = [line.strip() for line in _read(args.input).decode("utf-8").splitlines()]
    out = translate_text(
        model.params,
        model.spec,
        model.codec,
        lines,
        args.beam,
        args.length_norm,
        model.config.max_len_ratio,
    )
    _write_lines(Path(args.output), out.text)
    return 0


def _write_lines(path: Path, lines) -> None:
    path.write_text("".join(line.replace("\n", " ") + "\n" for line in lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return train_command(args) if args.command == "train" else translate_command(args)
    except (CorpusError, SavedModelError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except UnicodeDecodeError as err:
        where = getattr(args, "input", "input")
        print(f"error: {where}: not UTF-8 text ({err.reason}).", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
