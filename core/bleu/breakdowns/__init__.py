"""Breakdowns of one BLEU analysis: length buckets, word accuracy, n-grams, differing sentences,
significance."""
