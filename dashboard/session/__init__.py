"""Services every page's session uses: the store and the worker pool (services), the run on
screen (state), the shared default experiment, live curves, the analysis caches, the warm-up of
first views, and the Translate -> BLEU hand-off. Never imports a page."""
