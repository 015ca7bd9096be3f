"""Content images: variants, dimensions, lazy loading, no metadata, cache, size notice."""

from __future__ import annotations

import os

import pytest
from bs4 import BeautifulSoup
from PIL import Image

import pelicanconf
from conftest import SITEURL, post


def photo(path, size=(2000, 1200), gps=True):
    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))  # unique bytes
    exif = Image.Exif()
    exif[0x010F] = "Kameravalmistaja"  # Make
    exif[0x0132] = "2021:03:01 12:00:00"
    if gps:
        exif.get_ifd(0x8825).update({1: "N", 2: (60.0, 10.0, 0.0), 3: "E", 4: (24.0, 56.0, 0.0)})
    image.save(path, "JPEG", exif=exif, quality=90)
    return path.read_bytes()


# What the images need from the site's settings (pelicanconf.py owns them; its
# STATIC_PATHS is empty, as the tiny site's: originals are never copied as they are).
IMAGE_SETTINGS = {key: getattr(pelicanconf, key) for key in ("IMAGE_SOURCE_DIR", "IMAGE_OUTPUT_DIR")}


def image_post(tiny_site, body, **settings):
    """A tiny site with only the images plugin and one post with ``body``; its HTML."""
    tiny_site.write("posts/kuvat.md", post(title="Kuvakirjoitus", body=body))
    result = tiny_site.build("responsive_images", **IMAGE_SETTINGS, **settings)
    assert result.ok, result.problems
    return result, BeautifulSoup(tiny_site.read("kuvakirjoitus.html"), "html.parser")


def images(tiny_site):
    folder = tiny_site.content / "images"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.mark.plugin
def test_images_get_variants_dimensions_and_lazy_loading(tiny_site):
    original = photo(images(tiny_site) / "konsertti.jpg")
    photo(images(tiny_site) / "toinen.jpg", size=(640, 480), gps=False)
    _result, page = image_post(tiny_site, "![Kuoro lavalla]({static}/images/konsertti.jpg)\n\n"
                                          "Tekstiä.\n\n![Toinen kuva](/images/toinen.jpg)\n")
    first, second = page.find_all("img")
    assert first["alt"] == "Kuoro lavalla"
    assert (first["width"], first["height"]) == ("1600", "960")
    assert first["loading"] == "eager" and second["loading"] == "lazy"
    assert (second["width"], second["height"]) == ("640", "480")
    widths = [int(part.split()[1][:-1]) for part in first["srcset"].split(", ")]
    assert widths == [480, 800, 1200, 1600]
    assert all(part.split()[0].endswith(".webp") for part in first["srcset"].split(", "))
    assert first["sizes"]
    output = tiny_site.output
    for url in [first["src"]] + [p.split()[0] for p in first["srcset"].split(", ")]:
        assert url.startswith("/kuvat/"), url
        with Image.open(output / url.lstrip("/")) as variant:
            assert not variant.getexif(), url
            assert "exif" not in variant.info and "xmp" not in variant.info
    assert not (output / "images").exists(), "originals are never published"
    for file in output.rglob("*"):
        if file.is_file():
            assert original[2000:2100] not in file.read_bytes()
    assert b"Kameravalmistaja" not in b"".join(p.read_bytes() for p in output.rglob("kuvat/*"))


@pytest.mark.plugin
def test_processed_images_are_cached_between_builds(tiny_site):
    photo(images(tiny_site) / "konsertti.jpg")
    cache = tiny_site.root / "kuvavälimuisti"
    image_post(tiny_site, "![Kuoro]({static}/images/konsertti.jpg)\n", CACHE_PATH=str(cache))
    cached = {p: p.stat().st_mtime_ns for p in (cache / "images").iterdir()}
    assert len(cached) == 5
    image_post(tiny_site, "![Kuoro]({static}/images/konsertti.jpg)\n", CACHE_PATH=str(cache))
    assert {p: p.stat().st_mtime_ns for p in (cache / "images").iterdir()} == cached


@pytest.mark.plugin
def test_oversized_original_gives_a_notice_naming_the_file(tiny_site):
    photo(images(tiny_site) / "valtava.jpg", size=(4000, 3000))
    result, _page = image_post(tiny_site, "![Iso kuva]({static}/images/valtava.jpg)\n")
    [notice] = result.notices
    assert notice.startswith("Kuva") and "valtava.jpg" in notice and "4000×3000" in notice


def test_real_post_image(site):
    page = site.html("ajankohtaista/2020/uusi-ilme-ja-verkkosivut/")
    img = page.find("main").find("img")
    assert img["width"] and img["height"] and img["srcset"] and img["alt"]
    assert img["src"].startswith(f"{SITEURL}/kuvat/")
