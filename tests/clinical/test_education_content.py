"""Checks on the patient education content in ``clinical/data/education/*.yaml``.

The content is clinical data: these tests guard its shape (so the pages render), the
safety-relevant flags, the citations, that each page agrees with its entry in
``conditions.yaml``, and that none of it is copied from the seed article.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = REPO_ROOT / "src" / "rehabit" / "clinical" / "data"
EDUCATION_DIR = DATA_DIR / "education"

# Every condition the differential can rank has a page (conditions.yaml is the list).
CONDITIONS: dict[str, dict[str, Any]] = {
    c["id"]: c
    for c in yaml.safe_load((DATA_DIR / "conditions.yaml").read_text(encoding="utf-8"))[
        "conditions"
    ]
}
CONDITION_IDS = set(CONDITIONS)
# References beyond evidence.md, cited as [R1], [R2], ... (references.yaml).
EXTRA_REFS = set(
    yaml.safe_load((DATA_DIR / "references.yaml").read_text(encoding="utf-8"))["references"]
)
# Kept by hand on purpose: flipping a condition's "serious" flag must be a reviewed change.
SERIOUS_IDS = {
    "hamstring_avulsion",
    "dvt",
    "cauda_equina",
    "arterial_aneurysm",
    "exercise_flow_limitation",
    "vascular_claudication",
    "fracture",
    "bone_stress_injury",
    "infection",
    "tumour",
    "soft_tissue_tumour",
    "compartment_syndrome",
    "exertional_rhabdomyolysis",
}
CONDITION_KEYS = {
    "id",
    "title",
    "also_called",
    "summary",
    "serious",
    "what_it_is",
    "typical_signs",
    "what_helps",
    "how_long",
    "when_to_get_help",
    "sources",
}
MAY_BE_EMPTY = {"also_called", "serious"}
# Optional sections: "in_children" says what the cause looks like in a child and when a
# parent should get help (looks_like: paragraphs; get_help: {level, text}; expert: the
# reasoning behind any statement that has no reference, never shown).
OPTIONAL_KEYS = {"in_children"}
IN_CHILDREN_KEYS = {"looks_like", "get_help"}
# Causes the assessment can rank first for a child aged 5 to 15 (the published cases run at
# a child's age put these first most often), and those the data marks as paediatric: each
# page says what a parent needs to know about a child.
CHILD_PAGE_IDS = {
    "infection",
    "bone_stress_injury",
    "tumour",
    "hamstring_avulsion",
    "referred_hip_or_sij_pain",
    "soft_tissue_tumour",
    "muscle_imbalance_tightness",
    "hamstring_strain",
    "thigh_contusion",
    "fracture",
}
OVERVIEW_KEYS = {"title", "intro", "anatomy", "causes", "get_help_now", "sources"}
LEVELS = {"emergency", "urgent", "soon"}
# How urgent each level is; conditions.yaml dispositions use the same words plus self_care.
URGENCY = {"self_care": 0, "soon": 1, "urgent": 2, "emergency": 3}
FIRST_REF, LAST_REF = 1, 94
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
CONDITION_REF = re.compile(r"\[(R?\d+)[a-z]?\]")

SHINGLE_WORDS = 8


# --- locating files -------------------------------------------------------------------


def _shared_dir() -> Path | None:
    """The shared folder beside the repository (``/work/shared`` or ``../shared`` in CI)."""
    candidates = []
    if os.environ.get("REHABIT_SHARED_DIR"):
        candidates.append(Path(os.environ["REHABIT_SHARED_DIR"]))
    candidates += [Path("/work/shared"), REPO_ROOT.parent / "shared"]
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return None


def _seed_files() -> list[Path]:
    shared = _shared_dir()
    if shared is None or not (shared / "seed").is_dir():
        return []
    return sorted(p for p in (shared / "seed").iterdir() if p.is_file())


def _evidence_file() -> Path | None:
    shared = _shared_dir()
    if shared is None:
        return None
    path = shared / "clinical" / "evidence.md"
    return path if path.is_file() else None


def _load(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _condition_paths() -> list[Path]:
    return sorted(p for p in EDUCATION_DIR.glob("*.yaml") if p.stem != "overview")


def _all_documents() -> list[tuple[str, Any]]:
    return [(p.name, _load(p)) for p in sorted(EDUCATION_DIR.glob("*.yaml"))]


def _strings(node: Any) -> Iterator[str]:
    """Every string value in a loaded YAML document, recursively."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in NUMBER.findall(text)}


def _note_numbers(sources: list[dict[str, Any]], refs: set[str] | None = None) -> set[str]:
    """Numbers stated in the source notes (optionally only those of the given refs)."""
    found: set[str] = set()
    for source in sources:
        if refs is None or str(source["ref"]) in refs:
            found |= _numbers(source["note"])
    return found


def _content_strings(doc: dict[str, Any]) -> Iterator[str]:
    """User-facing text: everything except the machine id and the source notes."""
    for key, value in doc.items():
        if key in {"id", "sources"}:
            continue
        yield from _strings(value)


# --- text helpers ---------------------------------------------------------------------


def _words(text: str) -> list[str]:
    text = text.lower().replace("\u2019", "").replace("'", "")
    return re.findall(r"[a-z0-9]+", text)


def _seed_sentences(text: str) -> list[list[str]]:
    pieces = re.split(r"[.!?:;\u2022\n]+", text)
    return [words for words in (_words(p) for p in pieces) if len(words) >= SHINGLE_WORDS]


def _shingles(words: list[str], n: int = SHINGLE_WORDS) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


# --- structure ------------------------------------------------------------------------


def test_every_condition_file_is_present() -> None:
    found = {p.stem for p in _condition_paths()}
    assert found == CONDITION_IDS
    assert (EDUCATION_DIR / "overview.yaml").is_file()


@pytest.mark.parametrize("path", _condition_paths(), ids=lambda p: p.stem)
def test_condition_file_shape(path: Path) -> None:
    doc = _load(path)
    assert isinstance(doc, dict)
    assert CONDITION_KEYS <= set(doc) <= CONDITION_KEYS | OPTIONAL_KEYS, (
        f"{path.name}: keys differ from the schema"
    )
    assert doc["id"] == path.stem
    for key in CONDITION_KEYS - MAY_BE_EMPTY:
        assert doc[key], f"{path.name}: {key} is empty"
    assert isinstance(doc["also_called"], list)
    assert all(isinstance(name, str) and name.strip() for name in doc["also_called"])
    for key in ("title", "summary", "what_it_is", "how_long"):
        assert isinstance(doc[key], str) and doc[key].strip(), f"{path.name}: {key}"
    paragraphs = [p for p in doc["what_it_is"].split("\n\n") if p.strip()]
    assert 2 <= len(paragraphs) <= 4, f"{path.name}: what_it_is needs 2-4 paragraphs"
    for key in ("typical_signs", "what_helps"):
        items = doc[key]
        assert isinstance(items, list) and 4 <= len(items) <= 8, f"{path.name}: {key}"
        assert all(isinstance(item, str) and item.strip() for item in items)
    for item in doc["when_to_get_help"]:
        assert set(item) == {"level", "text"}, f"{path.name}: {item}"
        assert item["level"] in LEVELS, f"{path.name}: bad level {item['level']!r}"
        assert isinstance(item["text"], str) and item["text"].strip()


def test_every_cause_a_child_can_get_has_a_section_for_a_child() -> None:
    having = {p.stem for p in _condition_paths() if "in_children" in _load(p)}
    assert having >= CHILD_PAGE_IDS, f"no in_children: {sorted(CHILD_PAGE_IDS - having)}"


@pytest.mark.parametrize("path", _condition_paths(), ids=lambda p: p.stem)
def test_in_children_shape_and_the_signs_that_mean_go_now(path: Path) -> None:
    """A parent reads what the cause looks like in a child and when to go: a child with a
    fever who will not stand goes to the emergency department now, and a limp with a fever
    or feeling unwell is seen the same day (the red flags child_fever_cannot_stand and
    child_limp_with_fever say the same)."""
    section = _load(path).get("in_children")
    if section is None:
        return
    assert IN_CHILDREN_KEYS <= set(section) <= IN_CHILDREN_KEYS | {"expert"}, path.name
    assert isinstance(section.get("expert", ""), str)
    paragraphs = section["looks_like"]
    assert isinstance(paragraphs, list) and 1 <= len(paragraphs) <= 3, path.name
    assert all(isinstance(p, str) and p.strip() and "\n" not in p for p in paragraphs)
    items = section["get_help"]
    assert isinstance(items, list) and 2 <= len(items) <= 7, path.name
    for item in items:
        assert set(item) == {"level", "text"}, f"{path.name}: {item}"
        assert item["level"] in LEVELS, f"{path.name}: bad level {item['level']!r}"
        assert isinstance(item["text"], str) and item["text"].strip()
    texts = {level: [i["text"].lower() for i in items if i["level"] == level] for level in LEVELS}
    assert any(
        "fever" in t and "will not stand" in t and "emergency department now" in t
        for t in texts["emergency"]
    ), f"{path.name}: no emergency sign for a child with a fever who will not stand"
    assert any("limp" in t and "fever" in t and "doctor today" in t for t in texts["urgent"]), (
        f"{path.name}: no same-day sign for a child's limp with a fever"
    )
    # Each item speaks to the parent about their child.
    assert all("child" in i["text"] for i in items), path.name


@pytest.mark.parametrize("path", _condition_paths(), ids=lambda p: p.stem)
def test_a_cause_has_one_name_on_every_page(path: Path) -> None:
    """The page about a cause is titled with the name the result, the plan and the booking
    pages give it (conditions.yaml), so a person can find it again."""
    doc = _load(path)
    assert doc["title"] == CONDITIONS[doc["id"]]["name"], path.name


@pytest.mark.parametrize("path", _condition_paths(), ids=lambda p: p.stem)
def test_serious_flag(path: Path) -> None:
    doc = _load(path)
    assert doc["serious"] is (doc["id"] in SERIOUS_IDS)
    if doc["serious"]:
        levels = {item["level"] for item in doc["when_to_get_help"]}
        assert levels & {"emergency", "urgent"}, f"{path.name}: serious but nothing urgent"


def test_serious_list_matches_the_condition_list() -> None:
    assert {cid for cid, c in CONDITIONS.items() if c["serious"]} == SERIOUS_IDS


@pytest.mark.parametrize("path", _condition_paths(), ids=lambda p: p.stem)
def test_page_is_at_least_as_urgent_as_its_condition(path: Path) -> None:
    """The page's get-help list reaches the condition's default (and severe) disposition."""
    doc = _load(path)
    condition = CONDITIONS[doc["id"]]
    needed = max(
        URGENCY[condition[key]] for key in ("default_disposition", "if_severe") if key in condition
    )
    reached = max(URGENCY[item["level"]] for item in doc["when_to_get_help"])
    assert reached >= needed, f"{path.name}: get-help list never reaches {needed}"


@pytest.mark.parametrize("path", _condition_paths(), ids=lambda p: p.stem)
def test_doctor_conditions_send_people_to_a_doctor(path: Path) -> None:
    doc = _load(path)
    if CONDITIONS[doc["id"]]["see"] != "doctor":
        return
    advice = " ".join(doc["what_helps"] + [i["text"] for i in doc["when_to_get_help"]]).lower()
    assert re.search(r"\b(doctor|emergency|hospital)\b", advice), path.name


@pytest.mark.parametrize("path", _condition_paths(), ids=lambda p: p.stem)
def test_summary_renders_unchanged_in_html(path: Path) -> None:
    """The page test finds the summary in the HTML, so it must not need escaping."""
    summary = _load(path)["summary"]
    assert not set(summary) & set("&<>\"'"), f"{path.name}: summary would be HTML-escaped"


def test_overview_shape() -> None:
    doc = _load(EDUCATION_DIR / "overview.yaml")
    assert set(doc) == OVERVIEW_KEYS
    for key in OVERVIEW_KEYS:
        assert doc[key], f"overview: {key} is empty"
    cause_ids = [cause["id"] for cause in doc["causes"]]
    assert len(cause_ids) == len(set(cause_ids)), "overview: a cause is listed twice"
    assert set(cause_ids) == CONDITION_IDS
    assert all(isinstance(c["text"], str) and c["text"].strip() for c in doc["causes"])
    levels = set()
    for item in doc["get_help_now"]:
        assert set(item) == {"level", "sign", "action"}, item
        assert item["level"] in LEVELS, item
        assert item["sign"].strip() and item["action"].strip()
        levels.add(item["level"])
    assert {"emergency", "urgent"} <= levels


def test_overview_warning_signs_cover_the_required_red_flags() -> None:
    doc = _load(EDUCATION_DIR / "overview.yaml")
    by_level: dict[str, str] = {}
    for item in doc["get_help_now"]:
        text = f"{item['sign']} {item['action']}".lower()
        by_level[item["level"]] = by_level.get(item["level"], "") + "\n" + text
    emergency, urgent = by_level["emergency"], by_level["urgent"]
    for phrase in ("bottom or genitals", "breath", "put weight", "hard and swollen", "cold, pale"):
        assert phrase in emergency, f"emergency list lacks {phrase!r}"
    for phrase in ("swollen, warm or red", "fever", "pop", "getting weaker", "pulses"):
        assert phrase in urgent, f"urgent list lacks {phrase!r}"
    # A parent reads the signs for a child too (red flags child_*: a fever with a leg the
    # child will not stand on, a limp, the hip growth plate, under 5, night pain).
    assert "a child has a fever" in emergency and "will not stand" in emergency
    for phrase in ("a child limps", "x-ray of both hips", "a child under 5"):
        assert phrase in urgent, f"urgent list lacks {phrase!r}"
    assert "worse at night" in by_level["soon"] and "child" in by_level["soon"]


# --- citations ------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(EDUCATION_DIR.glob("*.yaml")), ids=lambda p: p.stem)
def test_sources_cite_the_evidence_file(path: Path) -> None:
    name, doc = path.name, _load(path)
    assert doc["sources"], f"{name}: no sources"
    for source in doc["sources"]:
        assert set(source) == {"ref", "note"}, f"{name}: {source}"
        ref = source["ref"]
        if isinstance(ref, str):
            assert ref in EXTRA_REFS, f"{name}: ref {ref!r} is not in references.yaml"
        else:
            assert isinstance(ref, int) and not isinstance(ref, bool), f"{name}: ref {ref!r}"
            assert FIRST_REF <= ref <= LAST_REF, f"{name}: ref {ref} out of range"
        assert isinstance(source["note"], str) and source["note"].strip()
    refs = [str(source["ref"]) for source in doc["sources"]]
    assert len(refs) == len(set(refs)), f"{name}: a reference is listed twice"


@pytest.mark.parametrize("path", _condition_paths(), ids=lambda p: p.stem)
def test_page_cites_the_references_of_its_condition(path: Path) -> None:
    doc = _load(path)
    wanted = set(CONDITION_REF.findall(CONDITIONS[doc["id"]].get("source") or ""))
    cited = {str(source["ref"]) for source in doc["sources"]}
    assert wanted <= cited, f"{path.name}: conditions.yaml cites {sorted(wanted - cited)}"


@pytest.mark.parametrize("path", sorted(EDUCATION_DIR.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_number_is_stated_in_the_pages_own_sources(path: Path) -> None:
    """Each figure shown to the reader can be traced to a note of a reference the page cites."""
    doc = _load(path)
    stated = _note_numbers(doc["sources"])
    missing = sorted(
        {n for text in _content_strings(doc) for n in _numbers(text)} - stated, key=float
    )
    assert not missing, f"{path.name}: numbers not in its source notes: {missing}"


def test_every_number_appears_in_the_evidence_file() -> None:
    evidence = _evidence_file()
    if evidence is None:
        pytest.skip("clinical/evidence.md not found in /work/shared or ../shared")
    evidence_numbers = set(re.findall(r"\d+(?:\.\d+)?", evidence.read_text(encoding="utf-8")))
    # Exact restatements of an evidence figure in plainer units.
    evidence_numbers |= {"1000"}  # ref 44: "<0.3%" said as "fewer than 3 in every 1,000"
    missing = []
    for name, doc in _all_documents():
        # Figures from references.yaml ([R1]..) are stated in the notes citing them.
        extra = _note_numbers(doc["sources"], EXTRA_REFS)
        for text in _content_strings(doc):
            for number in sorted(_numbers(text)):
                if number not in evidence_numbers | extra:
                    missing.append(f"{name}: {number}")
    assert not missing, f"numbers not found in evidence.md or the R-reference notes: {missing}"


# --- style and safety wording ---------------------------------------------------------


def test_no_html_or_markdown_in_strings() -> None:
    markup = re.compile(r"<[a-zA-Z/!]|\*\*|__|`|\[[^\]]*\]\(|^\s*#|^\s*[-*+]\s", re.MULTILINE)
    for name, doc in _all_documents():
        for text in _strings(doc):
            assert not markup.search(text), f"{name}: markup in {text[:60]!r}"


def test_anti_inflammatory_advice_always_carries_the_pharmacist_caution() -> None:
    for name, doc in _all_documents():
        for text in _content_strings(doc):
            lowered = text.lower()
            if "anti-inflammator" in lowered or "ibuprofen" in lowered:
                assert "pharmacist" in lowered, f"{name}: NSAID advice without caution"
            assert not re.search(r"\d\s*(mg|milligram|tablets? a day)", lowered), name


def test_british_spelling() -> None:
    american = re.compile(
        r"\b(tumor|color|behavior|favor|center|pediatric|orthopedic|anemia|edema|"
        r"hematoma|ischemia|anesthe\w*|fiber|program|recognize\w*|minimize\w*|"
        r"stabilize\w*|organize\w*|realize\w*)\b",
        re.IGNORECASE,
    )
    for name, doc in _all_documents():
        for text in _content_strings(doc):
            match = american.search(text)
            assert not match, f"{name}: American spelling {match.group(0)!r}"


# --- originality against the seed article ---------------------------------------------


@pytest.fixture(scope="module")
def seed_texts() -> list[str]:
    files = _seed_files()
    if not files:
        pytest.skip(
            "seed article not found (looked in /work/shared/seed and ../shared/seed); "
            "the copy check needs it"
        )
    return [p.read_text(encoding="utf-8") for p in files]


def test_no_seed_sentence_or_eight_word_run_is_reused(seed_texts: list[str]) -> None:
    sentences = [s for text in seed_texts for s in _seed_sentences(text)]
    seed_shingles: set[tuple[str, ...]] = set()
    for text in seed_texts:
        seed_shingles |= _shingles(_words(text))
    assert sentences and seed_shingles

    problems = []
    for name, doc in _all_documents():
        for text in _strings(doc):
            words = _words(text)
            joined = " " + " ".join(words) + " "
            for sentence in sentences:
                if " " + " ".join(sentence) + " " in joined:
                    problems.append(f"{name}: seed sentence {' '.join(sentence)!r}")
            for shingle in _shingles(words) & seed_shingles:
                problems.append(f"{name}: seed run {' '.join(shingle)!r}")
    assert not problems, "\n".join(problems)
