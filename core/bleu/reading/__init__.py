"""Reading a BLEU analysis's inputs: text and table files, their checks, the built-in corpus."""
