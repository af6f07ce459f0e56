"""The pages: one package each (train, sweeps, gradients, gates, translate, bleu), holding the
page's script (named after the page, <page>.py: AppTest finds a page by its file name before
the first run), its form, its state, its figure builders (charts: plotly only, no streamlit)
and its text. Pages never import each other (import-linter); what two pages share lives in
dashboard.session (services, jobs, caches, hand-offs) or dashboard.shared (style, figure cache)."""
