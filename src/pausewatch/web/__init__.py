"""pausewatch stage package."""
