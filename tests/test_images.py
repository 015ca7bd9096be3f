"""Content images: variants, dimensions, lazy loading, no metadata, cache, size notice."""

from __future__ import annotations

import os

from PIL import Image

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


def write_post(site, body):
    site.write("posts/kuvat.md", post(title="Kuvakirjoitus", body=body))


def test_images_get_variants_dimensions_and_lazy_loading(fixture_site):
    original = photo(fixture_site.content / "images" / "konsertti.jpg")
    photo(fixture_site.content / "images" / "toinen.jpg", size=(640, 480), gps=False)
    write_post(fixture_site, "![Kuoro lavalla]({static}/images/konsertti.jpg)\n\n"
                             "Tekstiä.\n\n![Toinen kuva](/images/toinen.jpg)\n")
    build = fixture_site.build(SITEURL="")
    assert build.returncode == 0, build.stderr
    page = build.html("ajankohtaista/2021/kuvakirjoitus/")
    first, second = page.find("main").find_all("img")
    assert first["alt"] == "Kuoro lavalla"
    assert (first["width"], first["height"]) == ("1600", "960")
    assert first["loading"] == "eager" and second["loading"] == "lazy"
    assert (second["width"], second["height"]) == ("640", "480")
    widths = [int(part.split()[1][:-1]) for part in first["srcset"].split(", ")]
    assert widths == [480, 800, 1200, 1600]
    assert all(part.split()[0].endswith(".webp") for part in first["srcset"].split(", "))
    assert first["sizes"]
    for url in [first["src"]] + [p.split()[0] for p in first["srcset"].split(", ")]:
        path = build.output / url.lstrip("/")
        with Image.open(path) as variant:
            assert not variant.getexif(), url
            assert "exif" not in variant.info and "xmp" not in variant.info
    assert not (build.output / "images").exists(), "originals are never published"
    for file in build.output.rglob("*"):
        if file.is_file():
            assert original[2000:2100] not in file.read_bytes()
    assert b"Kameravalmistaja" not in b"".join(p.read_bytes() for p in build.output.rglob("kuvat/*"))


def test_processed_images_are_cached_between_builds(fixture_site):
    photo(fixture_site.content / "images" / "konsertti.jpg")
    write_post(fixture_site, "![Kuoro]({static}/images/konsertti.jpg)\n")
    cache = fixture_site.root / "kuvavälimuisti"
    assert fixture_site.build(SITEURL="", CACHE_PATH=str(cache)).returncode == 0
    cached = {p: p.stat().st_mtime_ns for p in (cache / "images").iterdir()}
    assert len(cached) == 5
    assert fixture_site.build(SITEURL="", CACHE_PATH=str(cache)).returncode == 0
    assert {p: p.stat().st_mtime_ns for p in (cache / "images").iterdir()} == cached


def test_oversized_original_gives_a_notice_naming_the_file(fixture_site):
    photo(fixture_site.content / "images" / "valtava.jpg", size=(4000, 3000))
    write_post(fixture_site, "![Iso kuva]({static}/images/valtava.jpg)\n")
    build = fixture_site.build(SITEURL="")
    assert build.returncode == 0, build.stderr
    assert "HUOMIO: Kuva" in build.stderr and "valtava.jpg" in build.stderr and "4000×3000" in build.stderr


def test_real_post_image(site):
    page = site.html("ajankohtaista/2020/uusi-ilme-ja-verkkosivut/")
    img = page.find("main").find("img")
    assert img["width"] and img["height"] and img["srcset"] and img["alt"]
    assert img["src"].startswith(f"{SITEURL}/kuvat/")
