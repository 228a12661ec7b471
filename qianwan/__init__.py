"""qianwan (千万): the composition root. Settings and wiring live here and nowhere else."""
