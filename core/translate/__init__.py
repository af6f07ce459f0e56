"""The translation lab: recurrent encoder-decoders trained side by side in numpy.

corpus = generated_corpus()                      # or split_corpus(read_pairs(...))
models = train_models(prepare(corpus, cfg), cfg)  # cfg: TranslateConfig
result = translate_test_set(models["gru"], corpus, beam=4)

The model, in reading order (one path from text to BLEU):
    preprocess.py  text -> token ids (tokenize.py, vocab.py), the source reversed or not
    batching.py    length-bucketed, padded, masked (T, B) batches
    model.py       the shape (ModelSpec) and the parameters: embeddings, encoder and decoder
                   cells (any registered cell), attention, output layer
    network.py     forward: encoder over the source, decoder over the target with
                   attention.py (Luong general), masked cross-entropy; then its exact backward
    train.py       the loop: identical batches for every model, Adam (core.optim),
                   checkpoints with dev BLEU, the best weights kept
    decode.py      greedy and batched beam search; translator.py: text in, text out
    evaluate.py    dev loss and sacrebleu BLEU; experiment.py: the test set's translations
Around it: config.py (TranslateConfig, DecodeSettings), corpus.py, readers.py, generated.py
(the built-in corpus), saved.py (saved translators), stored.py (the run store), background.py
(trainings on core.workers' pool), analysis.py (BLEU by length, attention), __main__.py (CLI).
"""

from core.translate.config import TranslateConfig
from core.translate.corpus import ParallelCorpus, split_corpus
from core.translate.experiment import TestResult, translate_test_set
from core.translate.generated import GeneratedCorpusConfig, generated_corpus
from core.translate.preprocess import prepare
from core.translate.readers import CorpusError, Pairs, read_aligned, read_pairs, read_table_pairs
from core.translate.saved import SavedModelError, load_model, save_model
from core.translate.train import TrainedModel, TrainProgress, train_model, train_models

__all__ = [
    "CorpusError",
    "GeneratedCorpusConfig",
    "Pairs",
    "ParallelCorpus",
    "SavedModelError",
    "TestResult",
    "TrainProgress",
    "TrainedModel",
    "TranslateConfig",
    "generated_corpus",
    "load_model",
    "prepare",
    "read_aligned",
    "read_pairs",
    "read_table_pairs",
    "save_model",
    "split_corpus",
    "translate_test_set",
    "train_model",
    "train_models",
]
