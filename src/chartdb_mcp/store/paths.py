"""Where the diagram store lives when nobody says otherwise."""

from pathlib import Path

import platformdirs

APP_NAME = "chartdb-mcp"
STORE_FILE_NAME = "chartdb.sqlite"


def default_store_path() -> Path:
    """The store file in the platform's per-user data folder; the folder is not created here."""
    return platformdirs.user_data_path(APP_NAME, appauthor=False) / STORE_FILE_NAME
