"""Brands are brand.yml: real files written by others load, build, and are refused only for contrast.

The files under ``tests/brand_yml/`` come from the brand-yml project and from
Quarto's tests (see its README). Each is loaded by Posit's ``brand_yml`` as it
is, then put in a project as ``content/brands/<id>/_brand.yml`` and built into a
tip sheet, whose PDF is read back: its fonts are embedded, its text is in the
family the brand asked for where tipsheets has it, and its colours are the
brand's.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import brand_yml
import pikepdf
import pydantic
import pytest

from conftest import REPO
from hostile_project import make_project, run_cli, sheet
from tipsheets.build.options import Options
from tipsheets.build.pipeline import build
from tipsheets.check.brands import contrast_failures
from tipsheets.core import colours
from tipsheets.core.source import load_yaml
from tipsheets.project import check_project, load_project

FIXTURES = Path(__file__).resolve().parents[1] / "brand_yml"
AS_OF = dt.date(2024, 6, 1)

#: id → (folder under tests/brand_yml, brand file, the files beside it that it names)
REAL = {
    "posit": ("brand-yml/posit", "_brand.yml", ["posit-logo.svg", "posit-logo-fullcolor.svg",
                                                "posit-logo-reverse.svg"]),
    "slack": ("brand-yml/slack", "_brand-slack.yml", ["SLA-Logo-Mark.svg", "SLA-Logo-Mark-Black-RGB.svg",
                                                      "SLA-Logo-Mark-Monochrome-White.svg",
                                                      "SLA-Slack-From-Salesforce-Logo-BLACK.svg",
                                                      "SLA-Slack-From-Salesforce-Logo-WHITE.svg"]),
    "dell": ("brand-yml/dell", "_brand-dell.yml", ["dell-color.svg"]),
    "nhsr": ("brand-yml/nhsr-community", "_brand-nhs-r.yml", ["nhsr-logo.svg"]),
    "typography-fonts": ("brand-yml/examples", "brand-typography-fonts.yml", ["fonts"]),
    "typography-simple": ("brand-yml/examples", "brand-typography-simple.yml", []),
    "logo-full-alt": ("brand-yml/examples", "brand-logo-full-alt.yml", ["logos"]),
    "family-string": ("quarto/brand-typography-family-string", "_brand.yml", []),
    "logo-reveal": ("quarto/logo_reveal", "_brand.yml", ["posit-logo.svg"]),
    "alt-text": ("quarto/alt-text-consistency", "_brand.yml", ["logo.png", "logo-dark.png", "mixed.png"]),
}


def brand_project(root: Path, id: str, text: str | None = None) -> Path:
    """A project whose tip sheet ``one`` is branded with the real brand ``id``, as ``<id>/_brand.yml``."""
    folder, name, beside = REAL[id]
    make_project(root, {"one": sheet() + f"brands: [{id}]\n"})
    into = root / "content" / "brands" / id
    into.mkdir()
    (into / "_brand.yml").write_text(text if text is not None else (FIXTURES / folder / name).read_text())
    for item in beside:
        source = FIXTURES / folder / item
        (shutil.copytree if source.is_dir() else shutil.copy)(source, into / item)
    return root


def _build(project: Path, formats: tuple[str, ...] = ("pdf", "html")):  # noqa: ANN202
    return build(Options(project=project, out_dir=project / "output", formats=formats, as_of=AS_OF))


def embedded_fonts(pdf_file: Path) -> dict[str, bool]:
    """Every font the PDF's pages use: its base name (subset tag removed) → whether its file is embedded."""
    found: dict[str, bool] = {}
    with pikepdf.open(pdf_file) as pdf:
        for page in pdf.pages:
            for font in (page.Resources.get("/Font") or {}).values():
                descriptor = font.get("/FontDescriptor")
                if descriptor is None and "/DescendantFonts" in font:
                    descriptor = font.DescendantFonts[0].get("/FontDescriptor")
                embedded = descriptor is not None and any(k in descriptor for k in ("/FontFile", "/FontFile2",
                                                                                    "/FontFile3"))
                name = str(font.BaseFont).lstrip("/").split("+")[-1]
                found[name.replace("-", "").replace(" ", "")] = embedded
    return found


def fill_colours(pdf_file: Path) -> set[str]:
    """Every fill colour set on the PDF's pages (``r g b rg``), as #rrggbb."""
    found = set()
    with pikepdf.open(pdf_file) as pdf:
        for page in pdf.pages:
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) == "rg":
                    found.add("#" + "".join(f"{round(float(v) * 255):02x}" for v in operands))
    return found


def near(colour: str, found: set[str]) -> bool:
    """``colour`` among ``found``, to the rounding of a PDF's three decimals."""
    want = [int(colour[i:i + 2], 16) for i in (1, 3, 5)]
    return any(all(abs(int(f[i:i + 2], 16) - w) <= 1 for i, w in zip((1, 3, 5), want, strict=True)) for f in found)


def set_colour(file: Path, role: str, value: str) -> None:
    """Write ``color.<role>: "<value>"`` into a brand file, in place of what it had or as a new line."""
    source = load_yaml(file, file.name)
    lines = file.read_text().splitlines(keepends=True)
    mark = source.positions.values.get(("color", role))
    if mark is not None and not isinstance(source.data["color"][role], dict):
        line = lines[mark.line - 1]
        lines[mark.line - 1] = line[: mark.col - 1] + f'"{value}"\n'
    else:
        at = source.positions.keys[("color",)].line
        lines.insert(at, f'  {role}: "{value}"\n')
    file.write_text("".join(lines))


# --------------------------------------------------------------------------- real files


def test_the_fixtures_are_what_their_readme_says() -> None:
    named = {f"{folder}/{name}" for folder, name, _ in REAL.values()}
    readme = (FIXTURES / "README.md").read_text()
    assert all(f"`{path}`" in readme for path in named)
    assert (FIXTURES / "brand-yml" / "LICENSE.md").is_file() and (FIXTURES / "quarto" / "LICENSE").is_file()


def _every_tipsheets_brand() -> list[Path]:
    return sorted((REPO / "content" / "brands").glob("*.yaml")) + sorted(
        (REPO / "src" / "tipsheets" / "starter" / "content" / "brands").glob("*.yaml"))


@pytest.mark.parametrize("file", [FIXTURES / f / n for f, n, _ in REAL.values()] + _every_tipsheets_brand(),
                         ids=lambda p: p.parent.name + "/" + p.name)
def test_brand_yml_itself_reads_every_brand_file_unchanged(file: Path) -> None:
    """Posit's own reader accepts the real files and every brand tipsheets ships, as they are.

    Quarto's light and dark colour values (``foreground: {light: ..., dark: ...}``)
    are newer than brand_yml 0.2: Quarto splits such a file into a light brand and
    a dark one, and so does tipsheets, which prints on paper; brand_yml reads the
    light half.
    """
    import yaml

    data = yaml.safe_load(file.read_text())
    split = any(isinstance(v, dict) for k, v in (data.get("color") or {}).items() if k != "palette")
    if not split:
        brand_yml.Brand.from_yaml(file)
        return
    with pytest.raises(ValueError):
        brand_yml.Brand.from_yaml(file)
    data["color"] = {k: v.get("light") if isinstance(v, dict) and k != "palette" else v
                     for k, v in data["color"].items()}
    brand_yml.Brand.model_validate(data)


@pytest.mark.parametrize("id", sorted(REAL))
def test_a_real_brand_file_builds_a_handout(tmp_path: Path, id: str) -> None:
    project = brand_project(tmp_path / "project", id)
    catalog = load_project(project)
    assert catalog.errors == [], [e.format() for e in catalog.errors]
    errors = [p for p in check_project(catalog) if p.level == "error"]
    # a file brand_yml accepts is refused only where its colours would not read
    assert all("below the WCAG AA minimum of 4.5:1" in p.format() for p in errors), [p.format() for p in errors]
    file = project / "content" / "brands" / id / "_brand.yml"
    for _ in range(3):  # take the shades the messages name, until every pair reads
        failures = contrast_failures(load_project(project).brand(id))
        if not failures:
            break
        for failure in failures:
            assert failure.shade is not None
            set_colour(file, failure.role, failure.shade)
    catalog = load_project(project)
    assert [p.format() for p in check_project(catalog) if p.level == "error"] == []
    result = _build(project)
    assert [o.status for o in result.outcomes] == ["built"], result.outcomes[0].errors
    pdf = project / "output" / "tipsheets" / "one.pdf"
    fonts = embedded_fonts(pdf)
    assert fonts and all(fonts.values()), fonts  # PDF/UA: every font embedded
    brand = catalog.brand(id)
    printed = colours.printed(brand.colours)
    used = fill_colours(pdf)
    assert near(printed["primary"], used) and near(printed["foreground"], used), (printed, used)
    html = (project / "output" / "tipsheets" / "one.html").read_text()
    assert brand.logo is None or f'alt="{brand.logo.alt}"' in html.replace("&#34;", '"')


def test_a_file_font_is_embedded_and_a_download_falls_back_to_lato_with_a_warning(tmp_path: Path) -> None:
    project = brand_project(tmp_path / "project", "typography-fonts")
    set_colour(project / "content/brands/typography-fonts/_brand.yml", "primary", "#b02a2a")
    result = run_cli("validate", cwd=project)
    assert result.returncode == 0, result.stderr + result.stdout
    said = result.stdout + result.stderr
    # the headings' Google font and the code's Bunny font are never fetched: one line each, naming the fallback
    assert ("typography.fonts[2]: 'Roboto Slab' comes from Google Fonts, which tipsheets never downloads; "
            "headings text prints in Open Sans instead") in said
    assert "typography.fonts[3]: 'Fira Code' comes from Bunny Fonts, which tipsheets never downloads" in said
    assert "'https://example.com/Closed-Sans-Bold.woff2' is an address; tipsheets never downloads fonts" in said
    result = _build(project)
    assert [o.status for o in result.outcomes] == ["built"], result.outcomes[0].errors
    fonts = embedded_fonts(project / "output/tipsheets/one.pdf")
    assert any(name.startswith("OpenSans") for name in fonts), fonts
    assert not any(name.startswith("Lato") for name in fonts), fonts  # every text is the brand's own font
    assert all(fonts.values())
    html = (project / "output/tipsheets/one.html").read_text()
    assert 'font-family: "Open Sans", "Lato"' in html  # the web page names the family, then the theme's
    assert 'h1, h2, h3 { font-family: "Roboto Slab", "Open Sans"' in html  # by name, though not printed


def test_an_installed_family_prints_in_that_family(tmp_path: Path) -> None:
    project = brand_project(tmp_path / "project", "family-string",
                            text=(FIXTURES / "quarto/brand-typography-family-string/_brand.yml").read_text()
                            .replace('base: "Roboto Slab"', 'base: "DejaVu Serif"'))
    assert [p.format() for p in check_project(load_project(project)) if "DejaVu" in p.format()] == []
    result = _build(project, formats=("pdf",))
    assert [o.status for o in result.outcomes] == ["built"], result.outcomes[0].errors
    fonts = embedded_fonts(project / "output/tipsheets/one.pdf")
    assert any(name.startswith("DejaVuSerif") for name in fonts) and all(fonts.values()), fonts


def test_a_google_font_prints_in_lato_and_says_so_in_one_line(tmp_path: Path) -> None:
    project = brand_project(tmp_path / "project", "family-string")
    result = run_cli("validate", cwd=project)
    lines = [line for line in (result.stdout + result.stderr).splitlines() if "Roboto Slab" in line]
    assert lines == ["content/brands/family-string/_brand.yml:9:7: warning: typography.fonts[0]: 'Roboto Slab' "
                     "comes from Google Fonts, which tipsheets never downloads; base text prints in Lato instead "
                     "(hint: put the font files in the project and list them under source: file, or install the "
                     "font)"]
    _build(project, formats=("pdf",))
    fonts = embedded_fonts(project / "output/tipsheets/one.pdf")
    assert any(name.startswith("Lato") for name in fonts) and not any("Roboto" in n for n in fonts), fonts


@pytest.mark.parametrize(("data", "problem"), [
    (b"not a font at all, only words", "is not a font file"),
    (b"wOF2" + b"\x00" * 60, "is a damaged WOFF2 file"),
    (b"ttcf" + b"\x00" * 60, "is a font collection"),
    ("cut", "is a damaged TrueType file"),
    ("bomb", "would expand to more than 48 MB"),
])
def test_a_font_file_that_is_not_a_sound_font_is_refused_at_its_field(tmp_path: Path, data: bytes | str,
                                                                      problem: str) -> None:
    project = brand_project(tmp_path / "project", "typography-fonts")
    font = project / "content/brands/typography-fonts/fonts/open-sans/OpenSans-Variable.ttf"
    if data == "cut":
        data = font.read_bytes()[: 40_000]
    elif data == "bomb":  # a WOFF whose one table inflates to far more than any font
        import struct
        import zlib
        packed = zlib.compress(b"\x00" * 60_000_000, 9)
        header = struct.pack(">4s4sIHHIHHIIIII", b"wOFF", b"\x00\x01\x00\x00", 44 + 20 + len(packed), 1, 0,
                             60_000_012, 1, 0, 0, 0, 0, 0, 0)
        data = header + struct.pack(">4sIIII", b"glyf", 64, len(packed), 60_000_000, 0) + packed
    font.write_bytes(data)
    lines = [p.format() for p in check_project(load_project(project)) if p.level == "error"]
    assert any(line.startswith("content/brands/typography-fonts/_brand.yml:11:17: typography.fonts[0].files[0]"
                               f".path: 'fonts/open-sans/OpenSans-Variable.ttf' {problem}") for line in lines), lines
    set_colour(project / "content/brands/typography-fonts/_brand.yml", "primary", "#b02a2a")
    result = _build(project, formats=("pdf",))
    assert [o.status for o in result.outcomes] == ["failed"]


def test_a_logo_without_alt_text_is_described_by_the_brand_name(tmp_path: Path) -> None:
    project = brand_project(tmp_path / "project", "slack")
    result = run_cli("validate", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert ("content/brands/slack/_brand.yml:15:17: warning: logo.images.logo-black: this logo has no alt text; "
            'handouts describe it as "Slack logo"') in result.stdout + result.stderr
    result = _build(project)
    assert [o.status for o in result.outcomes] == ["built"], result.outcomes[0].errors
    assert 'alt="Slack logo"' in (project / "output/tipsheets/one.html").read_text()
    with pikepdf.open(project / "output/tipsheets/one.pdf") as pdf:
        alts = {str(node.get("/Alt")) for node in pdf.objects if isinstance(node, pikepdf.Dictionary)
                and "/Alt" in node}
    assert "Slack logo" in alts


# --------------------------------------------------------------------------- every form of logo and colour


LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#234"/></svg>'


@pytest.mark.parametrize(("logo", "alt"), [
    ("logo: mark.svg\n", "Acme logo"),
    ("logo:\n  small: mark.svg\n", "Acme logo"),
    ("logo:\n  medium:\n    light: {path: mark.svg, alt: The light mark}\n    dark: {path: other.svg, alt: Dark}\n",
     "The light mark"),
    ("logo:\n  large: {path: mark.svg, alt: The large mark}\n", "The large mark"),
    ("logo:\n  images:\n    m: {path: mark.svg, alt: Named}\n  medium: {light: m, dark: m}\n", "Named"),
    ("logo: {path: mark.svg, alt: A whole resource}\n", "A whole resource"),
])
def test_every_form_of_logo_brand_yml_allows_is_printed(tmp_path: Path, logo: str, alt: str) -> None:
    root = make_project(tmp_path / "project", {"one": sheet() + "brands: [acme]\n"})
    (root / "content/brands/acme").mkdir()
    (root / "content/brands/acme/mark.svg").write_text(LOGO)
    (root / "content/brands/acme/other.svg").write_text(LOGO)
    (root / "content/brands/acme/_brand.yml").write_text("meta:\n  name: Acme\n" + logo)
    brand_yml.Brand.from_yaml(root / "content/brands/acme/_brand.yml")
    result = _build(root, formats=("html",))
    assert [o.status for o in result.outcomes] == ["built"], result.outcomes[0].errors
    html = (root / "output/tipsheets/one.html").read_text()
    assert '<img class="logo" src="data:image/svg+xml' in html and f'alt="{alt}"' in html


@pytest.mark.parametrize("value", ["blue", "BLUE", "navy", "rgb(29 78 137)", "rgb(29, 78, 137)", "#1d4e89ff",
                                   "hsl(213 65% 33%)", "hwb(213 11% 46%)", "lab(32% 2 -36)", "lch(32% 36 272)",
                                   "oklab(0.42 -0.02 -0.09)", "oklch(0.42 0.09 255)", "color(srgb 0.11 0.3 0.54)",
                                   "color(display-p3 0.15 0.3 0.52)", "{light: navy, dark: '#9ab'}"])
def test_every_css_colour_form_is_read_and_printed_as_hex(tmp_path: Path, value: str) -> None:
    root = make_project(tmp_path / "project")
    brand = root / "content/brands/default.yaml"
    written = value if value.startswith("{") else f'"{value}"'
    brand.write_text(brand.read_text().replace('primary: "#1D5C6B"', f"primary: {written}"))
    catalog = load_project(root)
    assert catalog.errors == []
    primary = catalog.brand("default").colours["primary"]
    assert re.fullmatch(r"#[0-9a-f]{6}", primary)
    assert colours.contrast(primary, "#ffffff") > 4.5
    assert [p.format() for p in check_project(catalog) if p.level == "error"] == []


# --------------------------------------------------------------------------- hostile colours


HOSTILE = ["</style><script>alert(1)</script>", "red; } body { background: url(https://example.org/x) }",
           "url(https://example.org/x)", "expression(alert(1))", "var(--x)", "currentcolor", "inherit",
           "#12345", "rgb(1 2)", "\u202e#ffffff", "#fff\n}", "red !important", "r" * 5000,
           "color(--hsv 120 1 1)"]


@pytest.mark.parametrize("role", ["foreground", "background", "primary", "secondary", "light"])
@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_a_page_colour_that_is_not_a_colour_is_refused_at_load_naming_the_field(tmp_path: Path, role: str,
                                                                                value: str) -> None:
    root = make_project(tmp_path / "project")
    brand = root / "content/brands/default.yaml"
    text = re.sub(rf"^  {role}: .*$", f"  {role}: {_quoted(value)}", brand.read_text(), flags=re.M)
    brand.write_text(text)
    brand_yml.Brand.from_yaml(brand)  # brand.yml itself does not look at colour values
    result = run_cli("validate", cwd=root)
    assert result.returncode == 2, result.stdout + result.stderr
    line = next(line for line in result.stderr.splitlines() if line.startswith("content/brands/default.yaml"))
    assert re.match(rf"content/brands/default\.yaml:\d+:\d+: color\.{role}: .* is not a colour \(hint: ", line)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    result = run_cli("build", cwd=root)
    assert result.returncode == 2 and "internal error" not in result.stderr


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


@pytest.mark.parametrize("value", ["sky", "dark", "{light: sky, dark: '#000000'}"])
def test_a_colour_named_through_a_palette_or_role_that_is_not_a_colour_is_refused(tmp_path: Path,
                                                                                  value: str) -> None:
    root = make_project(tmp_path / "project")
    brand = root / "content/brands/default.yaml"
    brand.write_text(brand.read_text().replace('light: "#EAF3F4"', f"light: {value}\n  dark: \"url(x)\"").replace(
        "color:\n", "color:\n  palette:\n    sky: \"</style>\"\n"))
    errors = [e.format() for e in load_project(root).errors]
    assert len(errors) == 1 and ": color.light" in errors[0] and "which is not a colour" in errors[0], errors


@pytest.mark.parametrize("length", [40, 1500, 20_000])
def test_a_long_palette_chain_is_refused_in_one_line_not_a_recursion_error(tmp_path: Path, length: int) -> None:
    root = make_project(tmp_path / "project")
    brand = root / "content/brands/default.yaml"
    chain = "".join(f"    c{i}: c{i + 1}\n" for i in range(length)) + f'    c{length}: "#1d4e89"\n'
    brand.write_text(brand.read_text().replace("color:\n", "color:\n  palette:\n" + chain).replace(
        'primary: "#1D5C6B"', "primary: c0"))
    result = run_cli("validate", cwd=root)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "RecursionError" not in result.stderr and "internal error" not in result.stderr
    assert "goes through more than 32 colour names before it reaches a colour" in result.stderr


def test_a_short_palette_chain_and_a_role_naming_a_role_are_followed(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    brand = root / "content/brands/default.yaml"
    chain = "".join(f"    c{i}: c{i + 1}\n" for i in range(20)) + '    c20: "#1d4e89"\n'
    brand.write_text(brand.read_text().replace("color:\n", "color:\n  palette:\n" + chain).replace(
        'primary: "#1D5C6B"', "primary: c0").replace('secondary: "#8A4B12"', "secondary: dark\n  dark: c3"))
    catalog = load_project(root)
    assert catalog.errors == []
    assert catalog.brand("default").colours["primary"] == "#1d4e89" == catalog.brand("default").colours["secondary"]


@pytest.mark.parametrize("palette", ["    a: b\n    b: a\n", "    a: a\n", "    a: b\n    b: c\n    c: a\n"])
def test_colour_names_that_go_round_in_a_circle_are_refused(tmp_path: Path, palette: str) -> None:
    root = make_project(tmp_path / "project")
    brand = root / "content/brands/default.yaml"
    brand.write_text(brand.read_text().replace("color:\n", "color:\n  palette:\n" + palette))
    errors = [e.format() for e in load_project(root).errors]
    assert len(errors) == 1 and "the colour names go round in a circle" in errors[0], errors


# --------------------------------------------------------------------------- contrast, pair by pair


def _brand_with(tmp_path: Path, **roles: str) -> Path:
    root = make_project(tmp_path / "project")
    brand = root / "content/brands/default.yaml"
    text = brand.read_text()
    for role, value in roles.items():
        text = re.sub(rf"^  {role}: .*$", f'  {role}: "{value}"', text, flags=re.M)
    brand.write_text(text)
    return root


#: for each pair the theme prints, one change to the test brand that makes that pair unreadable
ONE_PAIR_FAILS = {
    "body text": {"foreground": "#aaaaaa"},
    "headings, links and the brand name": {"primary": "#8fb3c0"},
    "bylines, footers, sources, the funding line and card details": {"secondary": "#F06EAA"},
    "text in sidebars, the case example, the flyer's details box and the desk aid's safety box": {
        "light": "#1A2530"},
    "headings and terms in sidebars, the case example and the flyer's details box": {"light": "#9fb0c0"},
    "small print in the 'Classes near you' box and the desk aid's safety box": {"light": "#c9a88a",
                                                                               "foreground": "#000000"},
    "text on the primary colour: the tip numbers and the flyer's sign-up band": {"primary": "#777777"},
}


def test_every_pair_the_theme_prints_is_checked() -> None:
    assert {p.where for p in colours.PAIRS} == set(ONE_PAIR_FAILS)


@pytest.mark.parametrize("where", sorted(ONE_PAIR_FAILS))
def test_each_pair_of_colours_is_held_to_4_5_to_1(tmp_path: Path, where: str) -> None:
    root = _brand_with(tmp_path, **ONE_PAIR_FAILS[where])
    catalog = load_project(root)
    assert catalog.errors == []
    errors = [p.format() for p in check_project(catalog) if p.level == "error"]
    mine = [line for line in errors if f"({where})" in line]
    assert mine, errors
    ratio = float(re.search(r"has contrast ([\d.]+):1", mine[0])[1])
    assert ratio < 4.5
    shade = re.search(r'set color\.(\w+) to "(#[0-9a-f]{6})"', mine[0])
    assert shade, mine[0]
    fixed = _brand_with(tmp_path / "fixed", **{**ONE_PAIR_FAILS[where], shade[1]: shade[2]})
    still = [p.format() for p in check_project(load_project(fixed))
             if p.level == "error" and f"({where})" in p.format()]
    assert still == []
    result = _build(root, formats=("pdf",))
    assert [o.status for o in result.outcomes] == ["failed"]


def test_the_nearest_shade_is_the_nearest_that_passes(tmp_path: Path) -> None:
    root = _brand_with(tmp_path, secondary="#F06EAA")
    line, on_light = [p.format() for p in check_project(load_project(root)) if p.level == "error"]
    assert "on light #eaf3f4 has contrast 2.48:1" in on_light and line[-25:] == on_light[-25:]  # the same shade
    assert line.startswith("content/brands/default.yaml:14:14: color.secondary: secondary #f06eaa (bylines, "
                           "footers, sources, the funding line and card details) on background #ffffff has "
                           "contrast 2.79:1, below the WCAG AA minimum of 4.5:1 (hint: the nearest shade of "
                           "secondary that passes is #")
    shade = re.search(r"passes is (#[0-9a-f]{6})", line)[1]
    assert colours.contrast(shade, "#ffffff") >= 4.5 and colours.contrast(shade, "#eaf3f4") >= 4.5
    from coloraide import Color

    before, after = Color("#f06eaa").convert("oklch"), Color(shade).convert("oklch")
    assert abs(before["hue"] - after["hue"]) < 3  # the same pink, darker
    nearer = after.clone().set("lightness", after["lightness"] + 0.01).convert("srgb").to_string(hex=True, fit="clip")
    assert min(colours.contrast(nearer, "#ffffff"), colours.contrast(nearer, "#eaf3f4")) < 4.5


def test_navy_on_navy_in_the_sidebar_is_refused(tmp_path: Path) -> None:
    root = _brand_with(tmp_path, light="#1A2530")
    errors = [p.format() for p in check_project(load_project(root)) if p.level == "error"]
    assert any(": color.light: foreground #1a2530 (text in sidebars" in line for line in errors), errors


def test_a_theme_default_that_fails_with_the_brand_is_named_as_the_theme_s(tmp_path: Path) -> None:
    root = _brand_with(tmp_path, foreground="#f1f1f2", background="#1a1a1a", primary="#75a5cc",
                       secondary="#aaaaab")
    brand = root / "content/brands/default.yaml"
    brand.write_text(re.sub(r"^  light: .*\n", "", brand.read_text(), flags=re.M))
    errors = [p.format() for p in check_project(load_project(root)) if p.level == "error"]
    assert any("on light #eef3f8 (the theme's: the brand gives none)" in line and "set color.light to" in line
               for line in errors), errors


# --------------------------------------------------------------------------- the old form, _brand.yml


OLD = """\
meta:
  name: Old Style Agency
color:
  primary: "#1D5C6B"
contact:
  phone: "(706) 555-0199"
funding: Paid for by an old grant.
"""


def test_a_brand_written_the_old_way_still_loads_with_one_line_saying_how_to_move_it(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", {"one": sheet() + "brands: [old]\n"})
    (root / "content/brands/old.yaml").write_text(OLD)
    result = run_cli("validate", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line for line in (result.stdout + result.stderr).splitlines() if "old.yaml" in line]
    assert lines == ["content/brands/old.yaml:5:1: warning: contact: 'contact' and 'funding' are at the top of the "
                     "file, where brand.yml allows no other keys, so Quarto and brand_yml refuse this file (hint: "
                     "move them under defaults.tipsheets: write 'defaults:' and, under it, '  tipsheets:', then "
                     "indent them by four spaces beneath that)"]
    with pytest.raises(pydantic.ValidationError, match="Extra inputs are not permitted"):
        brand_yml.Brand.from_yaml(root / "content/brands/old.yaml")
    moved = "meta:\n  name: Old Style Agency\ncolor:\n  primary: \"#1D5C6B\"\ndefaults:\n  tipsheets:\n" + "".join(
        "    " + line + "\n" for line in OLD.splitlines()[4:])
    (root / "content/brands/old.yaml").write_text(moved)
    brand_yml.Brand.from_yaml(root / "content/brands/old.yaml")  # moved as the hint says: brand.yml now
    result = run_cli("validate", cwd=root)
    assert "old.yaml" not in result.stdout + result.stderr
    _build(root, formats=("html",))
    html = (root / "output/tipsheets/one.html").read_text()
    assert "Paid for by an old grant." in html


def test_a_key_in_both_places_is_an_error(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project")
    (root / "content/brands/default.yaml").write_text(OLD + "defaults:\n  tipsheets:\n    funding: New grant.\n")
    assert [e.format() for e in load_project(root).errors] == [
        "content/brands/default.yaml:7:1: funding: 'funding' is given twice: here and under defaults.tipsheets "
        "(hint: keep the one under defaults.tipsheets and delete this one)"]


def test_brand_files_named_brand_yml_have_their_folder_s_id_or_are_the_default(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", {"one": sheet(), "two": sheet() + "brands: [acme]\n"})
    brands = root / "content/brands"
    text = (brands / "default.yaml").read_text()
    (brands / "default.yaml").unlink()
    (brands / "_brand.yml").write_text(text)
    (brands / "acme").mkdir()
    (brands / "acme/_brand.yaml").write_text(text.replace("path: logos/default.svg", "path: ../logos/default.svg"))
    catalog = load_project(root)
    assert catalog.errors == []
    assert {e.id: e.path for e in catalog.of("brands")} == {"acme": "content/brands/acme/_brand.yaml",
                                                           "default": "content/brands/_brand.yml"}
    result = _build(root, formats=("html",))
    assert [o.status for o in result.outcomes] == ["built", "built"], [o.errors for o in result.outcomes]
    (brands / "default.yaml").write_text(text)
    errors = [e.format() for e in load_project(root).errors]
    assert errors == ["content/brands/default.yaml:1:1: brands id 'default' is also used by content/brands/_brand.yml"]


def test_a_linked_brand_yml_names_its_logo_from_where_it_really_is(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", {"one": sheet() + "brands: [acme]\n"})
    kit = root / "brand-kit"
    (kit / "art").mkdir(parents=True)
    (kit / "art/acme.svg").write_text(LOGO)
    (kit / "_brand.yml").write_text("meta:\n  name: Acme\nlogo:\n  images:\n    mark: {path: art/acme.svg, "
                                    "alt: The Acme mark}\n  medium: mark\n")
    (root / "content/brands/acme").mkdir()
    (root / "content/brands/acme/_brand.yml").symlink_to(kit / "_brand.yml")
    catalog = load_project(root)
    assert catalog.errors == []
    assert [p.format() for p in check_project(catalog) if p.level == "error"] == []
    result = _build(root)
    assert [o.status for o in result.outcomes] == ["built"], result.outcomes[0].errors
    assert 'alt="The Acme mark"' in (root / "output/tipsheets/one.html").read_text()
    assert "brand-kit/art/acme.svg" in result.outcomes[0].target.inputs  # a changed logo rebuilds


def test_a_brand_yml_linked_from_outside_the_project_is_not_read(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", {"one": sheet() + "brands: [acme]\n"})
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "_brand.yml").write_text("meta:\n  name: Acme\n")
    (root / "content/brands/acme").mkdir()
    (root / "content/brands/acme/_brand.yml").symlink_to(outside / "_brand.yml")
    errors = [e.format() for e in load_project(root).errors]
    assert errors == ["content/brands/acme/_brand.yml:1:1: this is a symbolic link to a file outside the project; "
                      "it is not read (hint: put the content file itself in the project)"]


def test_a_linked_brand_yml_cannot_name_a_logo_outside_the_project(tmp_path: Path) -> None:
    root = make_project(tmp_path / "project", {"one": sheet() + "brands: [acme]\n"})
    (tmp_path / "secret.svg").write_text(LOGO)
    kit = root / "kit"
    kit.mkdir()
    (kit / "_brand.yml").write_text("meta:\n  name: Acme\nlogo: {path: ../../secret.svg, alt: x}\n")
    (root / "content/brands/acme").mkdir()
    (root / "content/brands/acme/_brand.yml").symlink_to(kit / "_brand.yml")
    errors = [p.format() for p in check_project(load_project(root)) if p.level == "error"]
    assert errors[0].startswith("content/brands/acme/_brand.yml:3:14: logo.path: '../../secret.svg' points outside "
                                "the project")


# --------------------------------------------------------------------------- brand_yml's errors, in plain words


@pytest.mark.parametrize(("text", "expected"), [
    ("bogus: 1\n", "1:1: bogus: unknown field 'bogus' (hint: brand.yml has meta, logo, color, typography and defaults"),
    ("meta:\n  link: not an address\n", "2:9: meta.link: 'not an address' is not a web address (hint: write the "
                                        "full address, starting with https://)"),
    ("meta:\n  name: {full: [1, 2]}\n", "2:16: meta.name.full: this should be text"),
    ("typography:\n  base: {family: X, weight: 250}\n", "2:29: typography.base.weight: Invalid font weight 250"),
    ("typography:\n  fonts:\n    - Roboto\n", "3:7: typography.fonts[0]: each font is a mapping with a family"),
    ("typography:\n  fonts:\n    - {family: X, source: nope}\n", "3:7: typography.fonts[0]: 'nope' is not allowed "
                                                                   "here (hint: use one of: system, file, google, "
                                                                   "bunny)"),
    ("logo:\n  smal: x.svg\n", "2:3: logo.smal: unknown field 'smal' (hint: brand.yml has images, small, medium"),
    ("color:\n  primary: #1D5C6B\n", "2:11: color.primary: primary is empty: YAML reads '#1D5C6B' as a comment (hint: "
     "# starts a comment in YAML: put the colour in quotes: primary: \"#1D5C6B\")"),
    ("color:\n  primary:\n", "2:11: color.primary: no colour is given here (hint: put the colour in quotes"),
    ("color: red\n", "1:8: color: color is a mapping"),
])
def test_brand_yml_errors_are_one_plain_line(tmp_path: Path, text: str, expected: str) -> None:
    root = make_project(tmp_path / "project")
    (root / "content/brands/default.yaml").write_text(text)
    result = run_cli("validate", cwd=root)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if line.startswith("content/brands/default.yaml")]
    assert len(lines) == 1 and lines[0].startswith(f"content/brands/default.yaml:{expected}"), lines
    assert "Input should be" not in result.stderr and "pydantic" not in result.stderr
    assert "Traceback" not in result.stderr


# --------------------------------------------------------------------------- the schema editors read


@pytest.mark.parametrize("id", sorted(REAL))
def test_the_brand_schema_accepts_every_real_file(id: str) -> None:
    import json

    import jsonschema
    import yaml

    folder, name, _ = REAL[id]
    schema = json.loads((REPO / "schemas" / "brand.schema.json").read_text())
    data = yaml.safe_load((FIXTURES / folder / name).read_text())
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(data)) == []
    wrong = {**data, "colour": {"primary": "red"}}
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(wrong))


def test_a_woff2_font_file_is_decoded_and_embedded(tmp_path: Path) -> None:
    from fontTools.ttLib import TTFont

    project = brand_project(tmp_path / "project", "typography-fonts")
    fonts_dir = project / "content/brands/typography-fonts/fonts/open-sans"
    font = TTFont(fonts_dir / "OpenSans-Variable.ttf")
    font.flavor = "woff2"
    font.save(fonts_dir / "OpenSans.woff2")
    file = project / "content/brands/typography-fonts/_brand.yml"
    file.write_text(file.read_text().replace("OpenSans-Variable.ttf\n", "OpenSans.woff2\n", 1))
    set_colour(file, "primary", "#b02a2a")
    assert [p.format() for p in check_project(load_project(project)) if p.level == "error"] == []
    result = _build(project, formats=("pdf",))
    assert [o.status for o in result.outcomes] == ["built"], result.outcomes[0].errors
    fonts = embedded_fonts(project / "output/tipsheets/one.pdf")
    assert any(name.startswith("OpenSans") for name in fonts) and all(fonts.values()), fonts
