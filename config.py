"""Settings: where the data lives, which ledger opens first, which engine answers queries.

``load_config()`` reads them from environment variables and, when the file exists, from the
top-level keys of the same names in ``.streamlit/secrets.toml`` (read with tomllib). An
environment variable wins over the file; an empty value counts as unset.

=====================  ======================  ==========================================
setting                name (env and secrets)  default
=====================  ======================  ==========================================
``data_dir``           ``AR_DATA_DIR``         ``<project>/data`` (``RECEIVABLES_DATA_DIR``,
                                               the earlier name, is still read)
``default_ledger``     ``AR_DEFAULT_LEDGER``   ``<data_dir>/ledger.duckdb``
``engine``             ``AR_ENGINE``           ``duckdb`` (the only engine so far)
``import_root``        ``AR_IMPORT_ROOT``      none: the Data page reads server folders in
                                               the data folder only (issue 13)
=====================  ======================  ==========================================

Paths are taken as given (a relative one is relative to the working directory). A bad value
raises ``ConfigError`` naming the variable.

Login is not read here: the ``[auth]`` table of secrets.toml is Streamlit's own (``st.login``)
and ``[ar_roles]`` (which claim gives which role) is read by ui/auth.py through ``st.secrets``
into core/roles.py; docs/security.md. Secrets stay in the file, never in environment listings.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from core.errors import LedgerError

ROOT = Path(__file__).resolve().parent
SECRETS_FILE = ROOT / ".streamlit" / "secrets.toml"
DATA_FOLDER = "data"  # the default data folder, under the project folder
LEDGER_FILE = "ledger.duckdb"  # the default ledger's file name, in the data folder

DATA_DIR_ENV = "AR_DATA_DIR"
LEGACY_DATA_DIR_ENV = "RECEIVABLES_DATA_DIR"  # the name before config.py; env only
DEFAULT_LEDGER_ENV = "AR_DEFAULT_LEDGER"
ENGINE_ENV = "AR_ENGINE"
IMPORT_ROOT_ENV = "AR_IMPORT_ROOT"
ENGINES = ("duckdb",)


class ConfigError(LedgerError):
    """A bad setting: the message names the variable (or the secrets file)."""


@dataclass(frozen=True)
class Config:
    data_dir: Path
    default_ledger: Path
    engine: str = "duckdb"
    import_root: Path | None = None  # a folder the Data page may read ledgers from


def load_config(
    environ: Mapping[str, str] | None = None, secrets_path: Path | str | None = None
) -> Config:
    """The settings from ``environ`` (default os.environ) and the secrets file (default
    ``.streamlit/secrets.toml`` of the project), environment first."""
    environ = os.environ if environ is None else environ
    secrets = _secrets(Path(secrets_path) if secrets_path else SECRETS_FILE)

    def value(name: str, legacy: str | None = None) -> str | None:
        for source, key in ((environ, name), (environ, legacy), (secrets, name)):
            text = source.get(key) if key else None
            if text is not None and not isinstance(text, str):
                raise ConfigError(f"{name} must be text, got {text!r}")
            if text and text.strip():
                return text.strip()
        return None

    data_dir = Path(value(DATA_DIR_ENV, LEGACY_DATA_DIR_ENV) or ROOT / DATA_FOLDER)
    ledger = value(DEFAULT_LEDGER_ENV)
    engine = (value(ENGINE_ENV) or ENGINES[0]).lower()
    import_root = value(IMPORT_ROOT_ENV)
    if engine not in ENGINES:
        raise ConfigError(
            f"{ENGINE_ENV} must be one of {', '.join(ENGINES)}, got {value(ENGINE_ENV)!r}"
        )
    return Config(
        data_dir=data_dir,
        default_ledger=Path(ledger) if ledger else data_dir / LEDGER_FILE,
        engine=engine,
        import_root=Path(import_root) if import_root else None,
    )


def _secrets(path: Path) -> dict:
    if not path.is_file():
        return {}
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the settings ({exc})") from exc
