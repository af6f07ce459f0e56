"""The BLEU page's parts: uploads and the input doctor, cached analysis state, the corpus and
download sections, the sentence explorer and n-gram highlighting."""
