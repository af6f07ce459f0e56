"""python -m core.translate: train encoder-decoders side by side, or translate with a saved one.

  python -m core.translate train --pairs PAIRS.tsv --models rnn gru --epochs 10 --out DIR
  python -m core.translate translate DIR/gru.json --input FILE --output FILE [--beam 4]

`train` writes, in DIR, <model>.json + <model>.npz, test.src, test.ref and <model>.hyp (one
translation per test line), and prints dev and test BLEU per model; the .src/.ref/.hyp files
feed `python -m core.bleu` unchanged.
"""

from __future__ import annotations

import argparse
import functools
import os
import sys
import time
from pathlib import Path

from core.config import OneLineParser, add_arguments, from_args, given
from core.translate.background import ModelOutcome, TrainingJob
from core.translate.config import DecodeSettings, TranslateConfig
from core.translate.corpus import ParallelCorpus, split_corpus
from core.translate.generated import GeneratedCorpusConfig, generated_corpus
from core.translate.readers import CorpusError, Pairs, read_aligned, read_pairs
from core.translate.saved import SavedModelError, load_model, save_model
from core.translate.train import TrainProgress
from core.translate.translator import translate_text
from core.workers.pool import JobPool


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
    m = p.add_argument_group("model and training (--epochs or --time-budget)")
    add_arguments(m, TranslateConfig)
    add_arguments(m, DecodeSettings)
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument(
        "--workers",
        type=_positive_int,
        help="worker processes training the models side by side (default: one per model, "
        "at most the machine's cores)",
    )


def _translate_parser(sub) -> None:
    p = sub.add_parser("translate", help="translate a file with a saved model")
    p.add_argument("model", help="a saved <model>.json (its .npz beside it)")
    p.add_argument("--input", required=True, help="sentences to translate, one per line")
    p.add_argument("--output", required=True, help="where the translations are written")
    add_arguments(p, DecodeSettings)


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
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


def load_corpus(args, seed: int) -> ParallelCorpus:
    """The corpus the arguments name, split into train / dev / test by seed."""
    if args.generated:
        return generated_corpus(GeneratedCorpusConfig(seed=seed))
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
    return split_corpus(pairs, seed, args.held_out, test=test)


def _config(args) -> TranslateConfig:
    """The flags given over TranslateConfig's defaults; a time budget unbounds the epochs."""
    flags = given(TranslateConfig, args)
    if "epochs" in flags and "time_budget" in flags:
        raise ValueError("give --epochs or --time-budget, not both.")
    return from_args(TranslateConfig, args).with_time_budget(flags.get("time_budget"))


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _print_progress(event: TrainProgress) -> None:
    c = event.checkpoint
    if c is not None:
        print(
            f"{event.model}: step {c.step} epoch {c.epoch:.2f} {c.seconds:.0f}s "
            f"train loss {c.train_loss:.3f} dev loss {c.dev_loss:.3f} dev BLEU {c.dev_bleu:.2f} "
            f"({event.tokens_per_s:.0f} target tokens/s)",
            flush=True,
        )


def train_command(args, cfg: TranslateConfig) -> int:
    corpus = load_corpus(args, cfg.seed)
    decode = from_args(DecodeSettings, args)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    sizes = corpus.sizes()
    print(
        f"corpus {corpus.name}: {sizes['train']} train, {sizes['dev']} dev, "
        f"{sizes['test']} test pairs",
        flush=True,
    )
    outcomes = train_side_by_side(corpus, cfg, decode, args.workers)
    _write_lines(out / "test.src", corpus.test.source)
    _write_lines(out / "test.ref", corpus.test.target)
    for name, outcome in outcomes.items():
        model, result = outcome.model, outcome.test
        save_model(model, out / f"{name}.json")
        _write_lines(out / f"{name}.hyp", result.hyps)
        best = model.best.dev_bleu if model.best else float("nan")
        print(
            f"{name}: dev BLEU {best:.2f} (best checkpoint), test BLEU {result.bleu:.2f} "
            f"[sacrebleu tokenize={cfg.bleu_tokenize}, beam {decode.beam}]"
        )
    return 0 if len(outcomes) == len(cfg.models) else 1  # a failed model: named above


def train_side_by_side(
    corpus: ParallelCorpus, cfg: TranslateConfig, decode: DecodeSettings, workers: int | None
) -> dict[str, ModelOutcome]:
    """Every model of cfg trained at once on the worker layer's pool (one process per model, at
    most `workers`), printing checkpoints as they come. Ctrl-C stops them: each keeps its best
    checkpoint and translates the test set."""
    pool = JobPool(workers=workers or min(len(cfg.models), os.cpu_count() or 1))
    try:
        job = TrainingJob(corpus, cfg, pool, decode.beam, decode.length_norm)
        printed = dict.fromkeys(cfg.models, 0)
        try:
            while not job.done:
                job.poll()
                for m, events in job.progress.items():
                    for event in events[printed[m] :]:
                        _print_progress(event)
                    printed[m] = len(events)
                time.sleep(0.2)
        except KeyboardInterrupt:
            print("stopping: every model keeps its best checkpoint", flush=True)
            job.stop()
            job.wait()
    finally:
        pool.close()
    for m, error in job.errors.items():
        print(f"{m}: training failed: {error}", file=sys.stderr)
    return {m: job.outcomes[m] for m in cfg.models if m in job.outcomes}


def translate_command(args) -> int:
    model = load_model(args.model)
    decode = from_args(DecodeSettings, args)
    lines = [line.strip() for line in _read(args.input).decode("utf-8").splitlines()]
    out = translate_text(
        model.params,
        model.spec,
        model.codec,
        lines,
        decode.beam,
        decode.length_norm,
        model.config.max_len_ratio,
    )
    _write_lines(Path(args.output), out.text)
    return 0


def _write_lines(path: Path, lines) -> None:
    path.write_text("".join(line.replace("\n", " ") + "\n" for line in lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "translate":
        command = translate_command
    else:
        try:
            cfg = _config(args)
        except ValueError as err:
            parser.error(str(err))
        command = functools.partial(train_command, cfg=cfg)
    try:
        return command(args)
    except (CorpusError, SavedModelError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except UnicodeDecodeError as err:
        where = getattr(args, "input", "input")
        print(f"error: {where}: not UTF-8 text ({err.reason}).", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
