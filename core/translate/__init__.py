"""The translation lab: recurrent encoder-decoders trained side by side in numpy.

corpus = generated_corpus()                      # or split_corpus(read_pairs(...))
models = train_models(prepare(corpus, cfg), cfg)  # cfg: TranslateConfig
result = translate_test_set(models["gru"], corpus, beam=4)
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
