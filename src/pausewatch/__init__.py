"""pausewatch: watch a humanitarian pause through what every side's press says about it."""

import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())
