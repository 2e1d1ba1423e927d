"""Firmware image checks (§5.15): every refusal has its reason, an accepted image installs atomically."""
from __future__ import annotations

from pathlib import Path

import pytest

from reference_impl.firmware import (FIRMWARE_VERSION, FirmwareRejected, build_image, check_image,
                                     install, installed_version)


def test_a_good_image_is_accepted_and_installed(tmp_path: Path) -> None:
    image = check_image(build_image("2.0.5.1", b"x" * 1000), "SIP-H680W")
    assert image.version == "2.0.5.1" and image.size == 1000
    assert installed_version(tmp_path) == FIRMWARE_VERSION
    install(tmp_path, image)
    assert installed_version(tmp_path) == "2.0.5.1"


@pytest.mark.parametrize("data, reason", [
    (b"MZ\x90\x00 not firmware", "not an H680 firmware image"),
    (b"H680FW1\n{broken\n", "header cannot be read"),
    (build_image("2.0.5.1", b"abc", models=("SIP-H680L",)), "this phone is a SIP-H680W"),
    (build_image("2.0.5.1", b"abcdef")[:-2], "incomplete: 4 of 6 bytes"),
    (build_image("2.0.5.1", b"abcdef")[:-1] + b"X", "checksum does not match"),
    (build_image("two", b"abc"), "not a version number"),
])
def test_bad_images_are_refused_with_the_reason(data: bytes, reason: str) -> None:
    with pytest.raises(FirmwareRejected, match=reason):
        check_image(data, "SIP-H680W")


def test_a_garbled_version_file_falls_back_to_the_built_in_version(tmp_path: Path) -> None:
    (tmp_path / "firmware.version").write_text("garbage!\n")
    assert installed_version(tmp_path) == FIRMWARE_VERSION
