"""Exceptions for configuration problems and bugs; bad input is data (model.Rejected), not an error."""


class PausewatchError(Exception):
    """An error the user can fix; the message says how. The CLI prints it without a traceback."""


class ConfigError(PausewatchError):
    pass


class StoreError(PausewatchError):
    pass
