"""What happens inside a trained recurrent net: gradient flow back through time and its decay,
per-step Jacobians, recurrent spectra, theory overlays, gate traces, gradient clipping, and the
tiny-GRU explainer of what a step reads, writes and carries."""
