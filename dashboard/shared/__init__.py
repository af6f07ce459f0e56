"""Helpers any page uses: model colours and labels (style, labels), the training curves
(curves), the per-server figure cache, presentation mode, and text escaping."""
