"""packaging/trim.py: which Qt plugins and libraries the store build leaves out."""

from __future__ import annotations

from tests.support.frozen_build import load_packaging_module

trim_module = load_packaging_module("trim")

QT = "PySide6/Qt"
BINARIES = [
    (f"{QT}/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", "/src/vk.so", "BINARY"),
    (f"{QT}/plugins/platforms/libqxcb.so", "/src/xcb.so", "BINARY"),
    (f"{QT}/plugins/platforms/libqvnc.so", "/src/vnc.so", "BINARY"),
    (f"{QT}/lib/libQt6Quick.so.6", "/src/libQt6Quick.so.6", "BINARY"),
    (f"{QT}/lib/libQt6Network.so.6", "/src/libQt6Network.so.6", "BINARY"),
    (f"{QT}/lib/libQt6Gui.so.6", "/src/libQt6Gui.so.6", "BINARY"),
    ("PySide6/QtGui.abi3.so", "/src/QtGui.abi3.so", "EXTENSION"),
    ("libusb-1.0.so.0", "/src/libusb-1.0.so.0", "BINARY"),  # loaded with ctypes: no NEEDED
]
NEEDED = {
    "/src/vk.so": ["libQt6Quick.so.6", "libQt6Gui.so.6", "libc.so.6"],
    "/src/vnc.so": ["libQt6Network.so.6", "libQt6Gui.so.6"],
    "/src/xcb.so": ["libQt6Gui.so.6"],
    "/src/QtGui.abi3.so": ["libQt6Gui.so.6"],
    # Something that stays needs Network: it must stay too.
    "/src/libQt6Gui.so.6": ["libQt6Network.so.6"],
}


def needed(path: str) -> list[str]:
    return NEEDED.get(path, [])


def test_unwanted_plugins_go_with_what_only_they_need() -> None:
    datas = [
        ("libQt6Quick.so.6", f"{QT}/lib/libQt6Quick.so.6", "SYMLINK"),
        ("libQt6Gui.so.6", f"{QT}/lib/libQt6Gui.so.6", "SYMLINK"),
        ("resources/styles/counter.qss", "/src/counter.qss", "DATA"),
    ]
    binaries, kept_datas, dropped = trim_module.trim(BINARIES, datas, needed)
    kept = {entry[0] for entry in binaries}
    assert dropped == ["libQt6Quick.so.6", "libqtvirtualkeyboardplugin.so", "libqvnc.so"]
    assert kept == {
        f"{QT}/plugins/platforms/libqxcb.so",
        f"{QT}/lib/libQt6Network.so.6",
        f"{QT}/lib/libQt6Gui.so.6",
        "PySide6/QtGui.abi3.so",
        "libusb-1.0.so.0",
    }
    assert [entry[0] for entry in kept_datas] == [
        "libQt6Gui.so.6",
        "resources/styles/counter.qss",
    ]


def test_plugin_paths_match_on_any_platform_separator() -> None:
    is_unwanted = trim_module.is_unwanted_plugin
    assert is_unwanted("PySide6\\Qt\\plugins\\generic\\libqevdevtouchplugin.so")
    assert is_unwanted("PySide6/Qt/plugins/egldeviceintegrations/libqeglfs-kms.so")
    assert not is_unwanted("PySide6/Qt/plugins/platforms/libqwayland.so")
    assert not is_unwanted("PySide6/Qt/plugins/imageformats/libqsvg.so")
    assert not is_unwanted("elsewhere/plugins/generic/thing.so")


def test_libraries_built_for_a_newer_c_library_are_left_to_the_desktop() -> None:
    binaries = [
        *BINARIES,
        ("libstdc++.so.6", "/src/libstdc++.so.6", "BINARY"),
        ("libexpat.so.1", "/src/libexpat.so.1", "BINARY"),
        ("libfontconfig.so.1", "/src/libfontconfig.so.1", "BINARY"),
    ]
    # Needed by what stays, yet dropped: the desktop's own copies serve.
    uses = {**NEEDED, "/src/libQt6Gui.so.6": ["libstdc++.so.6", "libfontconfig.so.1"]}
    datas = [("PySide6/Qt/lib/libstdc++.so.6", "libstdc++.so.6", "SYMLINK")]
    kept, kept_datas, dropped = trim_module.trim(binaries, datas, lambda p: uses.get(p, []))
    names = {entry[0] for entry in kept}
    assert {"libstdc++.so.6", "libexpat.so.1"} <= set(dropped)
    assert not names & {"libstdc++.so.6", "libexpat.so.1"}
    assert "libfontconfig.so.1" in names
    assert kept_datas == []
