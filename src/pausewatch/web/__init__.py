"""web: the dashboard and HTTP API that `pausewatch serve` runs over the same store as the CLI."""
