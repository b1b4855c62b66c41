"""Keep the register's bundle small: drop the Qt plugins a counter never loads, and the shared
libraries that only those plugins needed; and leave to the desktop the few libraries that must
come from it. pos_app.spec calls `trim` after PyInstaller's analysis.

PyInstaller's Qt hooks collect every plugin of a type (all platforms, all image formats, all
input methods); the virtual-keyboard input method alone brings QML and Qt Quick, about 25 MB.
Pruning is conservative: a library goes only if a dropped plugin pulled it in and no binary
that stays needs it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import PurePosixPath

# (destination, source, typecode), as in PyInstaller's TOC lists.
Entry = tuple[str, str, str]

UNWANTED_PLUGINS = (
    # Input methods: Qt Virtual Keyboard needs QML and Qt Quick. Desktops bring their own
    # on-screen keyboard, and the counter has its own PIN pad.
    "platforminputcontexts/libqtvirtualkeyboardplugin.so",
    # Image formats nobody sends a register (PNG, JPEG, GIF, SVG, ICO stay).
    "imageformats/libqpdf.so",
    "imageformats/libqtiff.so",
    "imageformats/libqwebp.so",
    "imageformats/libqicns.so",
    "imageformats/libqtga.so",
    "imageformats/libqwbmp.so",
    # Platforms other than X11, Wayland and the headless ones (offscreen, minimal).
    "platforms/libqeglfs.so",
    "platforms/libqlinuxfb.so",
    "platforms/libqminimalegl.so",
    "platforms/libqvkkhrdisplay.so",
    "platforms/libqvnc.so",
    "egldeviceintegrations/",
    "generic/",  # evdev and TUIO input, used by eglfs/linuxfb only
    # The GTK theme links GTK, Pango and Cairo; the counter draws with its own style sheet.
    "platformthemes/libqgtk3.so",
)


# Libraries every desktop has (packaging/stock-desktop-libraries.txt) that a build machine newer
# than the shops' desktops would copy in, built against its newer C library: Debian 12's
# libstdc++ and libexpat call arc4random (glibc 2.36), so on Ubuntu 22.04 (glibc 2.35) the copies
# would not load and the app would not start. The desktop's own copies serve the whole bundle.
FROM_THE_DESKTOP = frozenset({"libstdc++.so.6", "libexpat.so.1"})


def is_unwanted_plugin(destination: str) -> bool:
    path = destination.replace("\\", "/")
    _, found, plugin = path.partition("/Qt/plugins/")
    return bool(found) and plugin.startswith(UNWANTED_PLUGINS)


def _name(path: str) -> str:
    return PurePosixPath(path.replace("\\", "/")).name


def _closure(
    start: Iterable[Entry], needed: Callable[[str], list[str]], bundled: dict[str, Entry]
) -> set[str]:
    """Basenames of the bundled libraries that `start` needs, directly or not."""
    seen: set[str] = set()
    queue = list(start)
    while queue:
        entry = queue.pop()
        for name in needed(entry[1]):
            if name in bundled and name not in seen:
                seen.add(name)
                queue.append(bundled[name])
    return seen


def trim(
    binaries: list[Entry], datas: list[Entry], needed: Callable[[str], list[str]]
) -> tuple[list[Entry], list[Entry], list[str]]:
    """The binaries and datas to keep, and the names of what was dropped.

    `needed(source_path)` lists the shared libraries (sonames) a binary links against.
    """
    plugins = [entry for entry in binaries if is_unwanted_plugin(entry[0])]
    others = [entry for entry in binaries if not is_unwanted_plugin(entry[0])]
    bundled = {_name(entry[0]): entry for entry in others}
    candidates = _closure(plugins, needed, bundled)
    staying = [entry for entry in others if _name(entry[0]) not in candidates]
    still_needed = _closure(staying, needed, bundled)
    dropped = {_name(entry[0]) for entry in plugins} | (candidates - still_needed)
    dropped |= FROM_THE_DESKTOP & {_name(entry[0]) for entry in others}
    kept_binaries = [entry for entry in binaries if _name(entry[0]) not in dropped]
    # Symlinks to dropped libraries (PyInstaller links top-level names into PySide6/Qt/lib).
    kept_datas = [
        entry
        for entry in datas
        if not (entry[2] == "SYMLINK" and {_name(entry[0]), _name(entry[1])} & dropped)
    ]
    return kept_binaries, kept_datas, sorted(dropped)
