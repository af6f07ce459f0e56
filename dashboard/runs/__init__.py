"""The session's runs: which run is current, run names, uploads of run files, and the cached
analyses of a run that the Gradient flow and Gates pages share."""
