from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from gongkai.orgs.models import Role
from tests.factories import make_user


@pytest.fixture
def clerk(tree: Any) -> Any:
    """A village clerk: 信息员 of the township's 李家村 (drafts in the township in the village's name)."""
    return make_user("village_clerk", tree.village, Role.DRAFTER)


def jpeg_with_gps() -> bytes:
    """A phone photo: JPEG with EXIF carrying a GPS position, the camera and the author."""
    image = Image.new("RGB", (64, 48), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x013B] = "张三"  # Artist
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (30.0, 15.0, 0.0)
    gps[3] = "E"
    gps[4] = (120.0, 10.0, 0.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()
