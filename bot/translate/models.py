"""Offline translation models: Argos Translate packages installed in a data directory.

An ``.argosmodel`` file is a zip holding one folder with a CTranslate2 model (``model/``),
a SentencePiece model (``sentencepiece.model``) and ``metadata.json`` (``from_code``,
``to_code``, ``package_version``). ``install`` checks that structure and unpacks the
package to ``<models dir>/<from>-<to>/``; ``installed`` lists what is there, with the
licence and attribution read from the package's README. The directory is
``BRIEFBOT_MODELS_DIR``, else ``models`` under the user's data directory.

Nothing here imports CTranslate2: installing and listing work on the light install.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from bot.errors import ConfigError, InputError

#: The Argos Translate package index (a JSON list of packages with download links).
DEFAULT_INDEX_URL = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
#: Pairs briefbot can use: Chinese to English and English to Chinese.
PAIRS = ("zh-en", "en-zh")
#: An unpacked package may not be larger than this (the zh-en model is 83 MB).
MAX_UNPACKED_BYTES = 1_000_000_000
_INFO_FILE = "briefbot-model.json"
_REQUIRED = ("metadata.json", "sentencepiece.model", "model/model.bin")


@dataclass(frozen=True, slots=True)
class InstalledModel:
    pair: str
    path: Path
    version: str
    license: str
    attribution: str

    @property
    def source_code(self) -> str:
        return self.pair.split("-")[0]

    @property
    def target_code(self) -> str:
        return self.pair.split("-")[1]


def models_dir() -> Path:
    """Where models are installed: ``BRIEFBOT_MODELS_DIR``, else the user's data directory."""
    configured = os.environ.get("BRIEFBOT_MODELS_DIR")
    if configured:
        return Path(configured).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("briefbot", appauthor=False)) / "models"


def check_pair(pair: str) -> str:
    if pair not in PAIRS:
        raise InputError(f"Unknown language pair {pair!r}; use one of: {', '.join(PAIRS)}.")
    return pair


def installed(directory: Path | None = None) -> list[InstalledModel]:
    """Every model installed in ``directory`` (default: :func:`models_dir`), by pair."""
    root = directory or models_dir()
    found = []
    for pair in PAIRS:
        model = find(pair, root)
        if model:
            found.append(model)
    return found


def find(pair: str, directory: Path | None = None) -> InstalledModel | None:
    """The installed model for ``pair``, or None."""
    path = (directory or models_dir()) / pair
    info = path / _INFO_FILE
    if not info.is_file() or not all((path / name).is_file() for name in _REQUIRED):
        return None
    data = json.loads(info.read_text(encoding="utf-8"))
    return InstalledModel(
        pair=pair,
        path=path,
        version=str(data.get("version", "?")),
        license=str(data.get("license", "unknown")),
        attribution=str(data.get("attribution", "")),
    )


def install(pair: str, package: Path, directory: Path | None = None) -> InstalledModel:
    """Check an ``.argosmodel`` package for ``pair`` and unpack it, replacing an older install."""
    check_pair(pair)
    root = directory or models_dir()
    if not package.is_file():
        raise InputError(f"No such file: {package}.")
    try:
        archive = zipfile.ZipFile(package)
    except (zipfile.BadZipFile, OSError):
        raise InputError(f"{package} is not an Argos Translate package (.argosmodel, a zip file).") from None
    with archive:
        prefix = _package_folder(archive, package)
        metadata = _metadata(archive, prefix, package)
        found = f"{metadata.get('from_code')}-{metadata.get('to_code')}"
        if found != pair:
            raise InputError(f"{package} translates {found}, not {pair}.")
        root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{pair}-", dir=root))
        try:
            _extract(archive, prefix, staging, package)
            readme = staging / "README.md"
            license_, attribution = describe(
                readme.read_text(encoding="utf-8", errors="replace") if readme.is_file() else ""
            )
            info = {
                "version": str(metadata.get("package_version", "?")),
                "license": license_,
                "attribution": attribution,
                "sha256": _sha256(package),
                "from": str(package.name),
            }
            (staging / _INFO_FILE).write_text(json.dumps(info, ensure_ascii=False, indent=2), encoding="utf-8")
            target = root / pair
            old = root / f".{pair}-old"
            shutil.rmtree(old, ignore_errors=True)
            if target.exists():
                target.rename(old)
            staging.rename(target)
            shutil.rmtree(old, ignore_errors=True)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    model = find(pair, root)
    assert model is not None
    return model


def describe(readme: str) -> tuple[str, str]:
    """The licence and the attribution a package's README states (OPUS-MT: CC BY 4.0, its authors)."""
    licence = "unknown"
    match = re.search(r"\bCC[- ]BY(?:[- ]SA)?[- ]\d\.\d\b", readme, re.IGNORECASE)
    if match:
        licence = re.sub(r"[- ]", " ", match.group(0).upper())
    authors = re.search(r"^Authors?:\s*(.+)$", readme, re.MULTILINE)
    year = re.search(r"^Year:\s*(\d{4})", readme, re.MULTILINE)
    attribution = ""
    if authors:
        names = [name.strip() for name in re.split(r",| and ", authors.group(1)) if name.strip()]
        surnames = [name.split()[-1] for name in names]
        who = " & ".join(surnames) if len(surnames) <= 2 else f"{surnames[0]} et al."
        attribution = f"{who}, {year.group(1)}" if year else who
    return licence, attribution


def _package_folder(archive: zipfile.ZipFile, package: Path) -> str:
    tops = {PurePosixPath(name).parts[0] for name in archive.namelist() if name.strip("/")}
    if len(tops) != 1:
        raise InputError(f"{package} is not an Argos Translate package: it should hold exactly one folder.")
    prefix = tops.pop() + "/"
    names = set(archive.namelist())
    missing = [name for name in _REQUIRED if prefix + name not in names]
    if missing:
        raise InputError(f"{package} is not a complete Argos Translate package: it lacks {', '.join(missing)}.")
    return prefix


def _metadata(archive: zipfile.ZipFile, prefix: str, package: Path) -> dict[str, object]:
    try:
        data = json.loads(archive.read(prefix + "metadata.json"))
    except (ValueError, KeyError):
        raise InputError(f"{package} has an unreadable metadata.json.") from None
    if not isinstance(data, dict):
        raise InputError(f"{package} has an unreadable metadata.json.")
    return data


def _extract(archive: zipfile.ZipFile, prefix: str, into: Path, package: Path) -> None:
    total = 0
    for member in archive.infolist():
        relative = PurePosixPath(member.filename[len(prefix) :])
        if member.is_dir() or not str(relative) or relative.parts[0] == "stanza":
            continue  # stanza's sentence splitter: briefbot splits sentences itself
        if relative.is_absolute() or ".." in relative.parts:
            raise InputError(f"{package} names a file outside its folder ({member.filename}); not installed.")
        total += member.file_size
        if total > MAX_UNPACKED_BYTES:
            raise InputError(f"{package} unpacks to more than {MAX_UNPACKED_BYTES // 1_000_000} MB; not installed.")
        destination = into.joinpath(*relative.parts)
        destination.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(member) as source, destination.open("wb") as out:
            shutil.copyfileobj(source, out, 1 << 20)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def index_url() -> str:
    return os.environ.get("BRIEFBOT_MODELS_INDEX_URL") or DEFAULT_INDEX_URL


def download(
    pair: str, directory: Path | None = None, *, url: str | None = None, timeout: float = 60.0
) -> InstalledModel:
    """Find ``pair`` in the Argos package index, download it and install it."""
    import httpx

    check_pair(pair)
    source, target = pair.split("-")
    url = url or index_url()
    unreachable = (
        f"Could not reach the Argos package index at {url}; download the .argosmodel file yourself and run "
        f"`briefbot models install {pair} --from FILE`."
    )
    try:
        with httpx.Client(timeout=timeout, follow_redirects=True) as client:
            response = client.get(url)
            response.raise_for_status()
            index = response.json()
            links = [
                link
                for entry in index
                if isinstance(entry, dict) and entry.get("from_code") == source and entry.get("to_code") == target
                for link in entry.get("links", [])
            ]
            if not links:
                raise InputError(f"The Argos package index at {url} has no {pair} package.")
            root = directory or models_dir()
            root.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=root, suffix=".argosmodel", delete=False) as tmp:
                part = Path(tmp.name)
                try:
                    with client.stream("GET", links[0]) as stream:
                        stream.raise_for_status()
                        size = 0
                        for chunk in stream.iter_bytes(1 << 20):
                            size += len(chunk)
                            if size > MAX_UNPACKED_BYTES:
                                raise InputError(
                                    f"The {pair} package at {links[0]} is larger than expected; not installed."
                                )
                            tmp.write(chunk)
                except BaseException:
                    part.unlink(missing_ok=True)
                    raise
    except (httpx.HTTPError, ValueError):
        raise InputError(unreachable) from None
    try:
        return install(pair, part, root)
    finally:
        part.unlink(missing_ok=True)


def require(pair: str) -> InstalledModel:
    """The installed model for ``pair``, or a ConfigError that says how to install it."""
    model = find(check_pair(pair))
    if model is None:
        raise ConfigError(
            f"No offline {pair} model is installed in {models_dir()}; run `briefbot models install {pair}` "
            "(or `--from FILE` with an .argosmodel package)."
        )
    return model
