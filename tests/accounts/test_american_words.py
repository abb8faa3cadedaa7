"""An American reader never reads "physiotherapist" or "physiotherapy": every message in the
sources that says it (templates, Python, and the reviewed clinical data through the
generated content strings) has an en-US translation that says "physical therapist" or
"physical therapy" instead. Likewise "carer" (a caregiver), "footballers" (soccer players),
"dummy tablet" (a sugar pill), "straight away" (right away), "e-mail" (email) and "in
hospital" (in the hospital); and British spellings and names (SPELLINGS: "programme",
"tumour", "towards", "paracetamol", ...), except in a reference, whose title is a proper
name quoted as published. The messages are read from the sources
themselves (``source_messages``), so a new or reworded British string without its American
one fails here, whoever adds it. The condition and
treatment pages, whose texts come from the data, are read through the test client in both
languages."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.utils import translation

from rehabit.clinical.datafiles import extra_references
from tests.accounts.source_messages import Message, source_messages

pytestmark = pytest.mark.django_db

BRITISH = re.compile(r"physiotherap", re.IGNORECASE)
AMERICAN = re.compile(r"physical therap", re.IGNORECASE)
# Each British word (as a pattern), what its American translation says instead, and how
# many source messages say it at least (so that a reader that finds none cannot pass).
# "Footballers" are soccer players, or Australian football players where the study was
# of Australian rules football: "players" either way.
WORDS: dict[str, tuple[re.Pattern[str], re.Pattern[str], int]] = {
    "physiotherap": (BRITISH, AMERICAN, 120),
    "carer": (re.compile(r"\bcarers?\b", re.I), re.compile(r"\bcaregivers?\b", re.I), 6),
    "footballer": (re.compile(r"\bfootballers?\b", re.I), re.compile(r"\bplayers\b", re.I), 6),
    "dummy tablet": (
        re.compile(r"\bdummy tablets?\b", re.I),
        re.compile(r"\bsugar pills?\b", re.I),
        8,
    ),
    "straight away": (
        re.compile(r"\bstraight away\b", re.I),
        re.compile(r"\bright away\b", re.I),
        15,
    ),
    "e-mail": (re.compile(r"\be-mail", re.I), re.compile(r"\bemail", re.I), 60),
    # The British name of a slipped growth plate at the hip; American doctors say
    # "slipped capital femoral epiphysis" (SCFE), the term a parent will hear there.
    "slipped upper femoral epiphysis": (
        re.compile(r"\bslipped upper femoral epiphys", re.I),
        re.compile(r"\bslipped capital femoral epiphys", re.I),
        2,
    ),
    # "in hospital", "to hospital" (as a patient): American English says "the hospital".
    "in hospital": (
        re.compile(r"\b(?:in|to|into|from) hospital\b", re.I),
        re.compile(r"\b(?:in|to|into|from) the hospital\b", re.I),
        6,
    ),
    # A box is checked, not ticked; a leg is in a cast, not "in plaster"; fluids go
    # through an IV, not "a drip"; a long-distance bus is not a "coach".
    # And a box is unchecked, not unticked ("Untick “ends the next day”").
    "tick": (
        re.compile(r"\b(?:un)?tick(?:s|ed|ing)?\b", re.I),
        re.compile(r"\b(?:un)?check(?:s|ed|ing)?\b", re.I),
        13,
    ),
    "plaster": (re.compile(r"\bplaster\b", re.I), re.compile(r"\bcast\b", re.I), 9),
    "drip": (re.compile(r"\bdrip\b", re.I), re.compile(r"\bIV\b"), 4),
    # A dummy injection or treatment is a placebo one (as the dummy tablet is a sugar pill).
    "dummy": (
        re.compile(r"\bdummy (?!tablet)", re.I),
        re.compile(r"\bplacebo\b", re.I),
        3,
    ),
    "coach": (
        re.compile(r"\bcoach,? (?:train|trip|journey)", re.I),
        re.compile(r"\bbus,? (?:train|trip|journey)", re.I),
        1,
    ),
}
# British spellings, the same way. A reference (author, year, title, journal) keeps its
# title as published, a proper name: it has no American translation for its spelling.
CITATION = re.compile(r"^[^:]*?\. (?:19|20)\d\d[a-z]?\. [A-Z0-9]")


def _is_reference(msgid: str) -> bool:
    """A reference: author, year, title, journal (CITATION), or any of the data's
    references.yaml, whose guidelines and web pages are not all written that way (the NHS's
    "Paracetamol for children" has no year)."""
    return bool(CITATION.search(msgid)) or msgid in extra_references().values()


SPELLINGS: dict[str, tuple[re.Pattern[str], re.Pattern[str], int]] = {
    "programme": (
        re.compile(r"\bprogrammes?\b", re.I),
        re.compile(r"\bprograms?\b", re.I),
        16,
    ),
    "tumour": (re.compile(r"\btumours?\b", re.I), re.compile(r"\btumors?\b", re.I), 15),
    # "coloured", "cola-coloured"
    "colour": (re.compile(r"colour", re.I), re.compile(r"color", re.I), 5),
    "fibre": (re.compile(r"\bfibres?\b", re.I), re.compile(r"\bfibers?\b", re.I), 5),
    # All of them the urgent care centre so far.
    "centre": (re.compile(r"\bcentres?\b", re.I), re.compile(r"\bcenters?\b", re.I), 9),
    "orthopaedic": (re.compile(r"orthopaedic", re.I), re.compile(r"orthopedic", re.I), 4),
    # The medical words with "ae" or "oe": (ortho)paedic, haem-, -aemia (anaemia,
    # ischaemia), (par)anaesthesia, oedema, oesophagus, dyspnoea, oestrogen, faecal,
    # diarrhoea. The staff's intake labels say most of them.
    "ae/oe": (
        re.compile(
            r"paed|\bhaem|aemi[ac]|naesth|raesth|oedema|\boesoph|dyspnoea|\boestr|\bfaec"
            r"|diarrhoea",
            re.I,
        ),
        re.compile(
            r"ped(?:iatric|ic)|\bhem|emi[ac]|nesth|resth|edema|\besoph|dyspnea|\bestr|\bfec"
            r"|diarrhea",
            re.I,
        ),
        15,
    ),
    # -ise, -isation: recognise, immobilisation (the references' "randomised" are titles).
    "-ise": (
        re.compile(
            r"\b(?:recogni|organi|reali|minimi|maximi|mobili|immobili|randomi|stabili|prioriti)"
            r"s(?:e|es|ed|ing|ation|ations)\b",
            re.I,
        ),
        re.compile(
            r"\b(?:recogni|organi|reali|minimi|maximi|mobili|immobili|randomi|stabili|prioriti)"
            r"z(?:e|es|ed|ing|ation|ations)\b",
            re.I,
        ),
        2,
    ),
    "metre": (re.compile(r"metres?\b", re.I), re.compile(r"meters?\b", re.I), 1),
    "licence": (re.compile(r"\blicences?\b", re.I), re.compile(r"\blicenses?\b", re.I), 1),
    # One l in American English before -ed and -ing ("cancellation" has two in both).
    "cancelled": (
        re.compile(r"\bcancell(?:ed|ing)\b", re.I),
        re.compile(r"\bcancel(?:ed|ing)\b", re.I),
        27,
    ),
    # Not a spelling but a form: American English says "toward" (a title would keep
    # "Towards", so it is checked as a spelling).
    "towards": (re.compile(r"\btowards\b", re.I), re.compile(r"\btoward\b", re.I), 19),
    # The medicine's American name ("Tylenol" the brand an American knows it by); not a
    # spelling either, but a reference keeps it as published ("Efficacy of paracetamol
    # for acute low-back pain", the NHS's "Paracetamol for children"). Doses unchanged.
    "paracetamol": (re.compile(r"paracetamol", re.I), re.compile(r"acetaminophen", re.I), 18),
    # The games by their American names: soccer (Australian rules football keeps its name;
    # so does a reference's title, "... football injury prevention programmes ..."), field
    # hockey (American "hockey" is on ice), track and field.
    "football": (
        re.compile(r"(?<!Australian )\bfootball\b", re.I),
        re.compile(r"\bsoccer\b", re.I),
        5,
    ),
    "hockey": (
        re.compile(r"(?<!field )\bhockey\b", re.I),
        re.compile(r"\bfield hockey\b", re.I),
        2,
    ),
    "athletics": (
        re.compile(r"\bathletics\b", re.I),
        re.compile(r"\btrack and field\b", re.I),
        1,
    ),
    # "It stops you sleeping" is British; American English says "stops you from sleeping".
    "stops you sleeping": (
        re.compile(r"\bstops? (?:you|your child) sleeping\b", re.I),
        re.compile(r"\bstops? (?:you|your child) from sleeping\b", re.I),
        4,
    ),
    # A weight or a height in metric units alone: an American reader gets pounds or feet
    # beside it ("50 kg (110 pounds)", "60 cm (2 feet)").
    "kg": (
        re.compile(r"\b\d+ kg\b(?!,? \(?(?:about )?\d+ pounds)", re.I),
        re.compile(r"\b\d+ kg,? \(?(?:about )?\d+ pounds", re.I),
        3,
    ),
    "cm": (
        re.compile(r"\b\d+ cm\b(?! \(\d+ feet\))", re.I),
        re.compile(r"\b\d+ cm \(\d+ feet\)", re.I),
        2,
    ),
}
# British spellings no source message says yet: the first message to say one fails here
# until it has its American translation (then its word moves to SPELLINGS, with a count).
NOT_SAID_YET: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    "favour": (re.compile(r"favour", re.I), re.compile(r"favor", re.I)),
    "behaviour": (re.compile(r"behaviour", re.I), re.compile(r"behavior", re.I)),
    "litre": (re.compile(r"litres?\b", re.I), re.compile(r"liters?\b", re.I)),
    "grey": (re.compile(r"\bgrey", re.I), re.compile(r"\bgray", re.I)),
    # The verb (the noun is "practice" in both).
    "practise": (
        re.compile(r"\bpractis(?:e|es|ed|ing)\b", re.I),
        re.compile(r"\bpractic(?:e|es|ed|ing)\b", re.I),
    ),
}


def _translated(message: Message, plural_number: int = 1) -> str:
    if message.plural is not None and message.context is not None:
        return translation.npgettext(message.context, message.msgid, message.plural, plural_number)
    if message.plural is not None:
        return translation.ngettext(message.msgid, message.plural, plural_number)
    if message.context is not None:
        return translation.pgettext(message.context, message.msgid)
    return translation.gettext(message.msgid)


def _british_messages(
    british: re.Pattern[str] = BRITISH, *, citations: bool = True
) -> dict[Message, tuple[str, ...]]:
    return {
        message: files
        for message, files in source_messages().items()
        if (british.search(message.msgid) or british.search(message.plural or ""))
        and (citations or not _is_reference(message.msgid))
    }


def test_the_sources_are_read_whole() -> None:
    """The reader finds the messages of all three kinds of source, and the ones the
    American catalogue already had (so a broken reader cannot pass the test below)."""
    british = _british_messages()
    files = {f for found in british.values() for f in found}
    assert "core/content_strings.py" in files  # the conditions, treatments and exercises
    assert any(f.endswith(".html") for f in files)
    assert any(f.endswith(".py") and f != "core/content_strings.py" for f in files)
    assert Message("Book a physiotherapist") in british
    assert Message("Online physiotherapy session with %(name)s") in british
    assert len(british) >= 120


@pytest.mark.parametrize("word", [*WORDS, *SPELLINGS, *NOT_SAID_YET])
def test_every_british_word_has_an_american_translation(word: str) -> None:
    """Every source message with the word (in its singular or plural) reads the same in
    British English, and in American English says the American word and not the British
    one, in both plural forms. A spelling is not changed in a reference's title."""
    if word in WORDS:
        british_word, american_word, at_least = WORDS[word]
        british = _british_messages(british_word)
    elif word in SPELLINGS:
        british_word, american_word, at_least = SPELLINGS[word]
        british = _british_messages(british_word, citations=False)
    else:
        (british_word, american_word), at_least = NOT_SAID_YET[word], 0
        british = _british_messages(british_word, citations=False)
    assert len(british) >= at_least, (word, len(british))
    untranslated: list[str] = []
    for message, files in sorted(british.items(), key=lambda m: m[0].msgid):
        with translation.override("en-gb"):
            assert _translated(message) == message.msgid
        with translation.override("en-us"):
            american = [_translated(message, n) for n in (1, 2)]
        for text in american:
            if british_word.search(text) or not american_word.search(text):
                untranslated.append(f"{', '.join(files)}: {message.msgid[:100]!r}")
                break
    assert not untranslated, (
        f"{len(untranslated)} British messages saying {word!r} with no American translation "
        "in locale/en_US/LC_MESSAGES/django.po:\n" + "\n".join(untranslated)
    )


def test_a_references_title_keeps_its_published_spelling() -> None:
    """The references are found (the reader of citations is not empty), and one whose
    title has a British spelling reads the same in American English: a title is a proper
    name ("Effect of specific exercise-based football injury prevention programmes ...")."""
    references = [m for m in source_messages() if _is_reference(m.msgid)]
    assert len(references) >= 50
    spelled = [
        m
        for m in references
        if any(british.search(m.msgid) for british, _american, _n in SPELLINGS.values())
    ]
    assert any(m.msgid.startswith("Thorborg K, Krommes KK") for m in spelled)
    for message in spelled:
        with translation.override("en-us"):
            assert _translated(message) == message.msgid
    # And no text written to the reader is taken for one.
    assert not [m.msgid for m in references if re.search(r"\byou", m.msgid, re.I)]


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", html)


@pytest.mark.parametrize(
    "path",
    [
        "/conditions/lumbar_spinal_stenosis/",
        "/conditions/sciatica/",
        "/treatments/exercise_therapy/",
        "/treatments/spinal_decompression/",
        "/conditions/lumbar_spinal_stenosis/treatments/",
    ],
)
def test_condition_and_treatment_pages_read_physical_therapist_in_american_english(
    path: str,
) -> None:
    british = _text(Client(HTTP_ACCEPT_LANGUAGE="en-GB").get(path).content.decode())
    response = Client(HTTP_ACCEPT_LANGUAGE="en-US").get(path)
    assert response.status_code == 200
    assert response["Content-Language"] == "en-us"
    american = _text(response.content.decode())
    # The data's texts name the physiotherapist (not only the page's description).
    assert len(BRITISH.findall(british)) >= 2, path
    assert not BRITISH.search(american), BRITISH.search(american)
    assert len(AMERICAN.findall(american)) >= len(BRITISH.findall(british))


def test_the_stenosis_page_leans_on_a_shopping_cart_in_american_english() -> None:
    path = "/conditions/lumbar_spinal_stenosis/"
    british = Client(HTTP_ACCEPT_LANGUAGE="en-GB").get(path).content.decode()
    american = Client(HTTP_ACCEPT_LANGUAGE="en-US").get(path).content.decode()
    assert "shopping trolley" in british
    assert "shopping cart" in american and "trolley" not in american


def test_the_walking_aid_is_a_cane_in_american_english() -> None:
    messages = [m for m in source_messages() if "a stick or a walker" in m.msgid]
    assert len(messages) >= 2
    for message in messages:
        with translation.override("en-us"):
            american = _translated(message)
        assert american == message.msgid.replace("a stick", "a cane")


def test_british_pages_say_physiotherapist_throughout() -> None:
    """The British source says "physiotherapist": the home page did not ("talk to a
    physical therapist online"), and an American reader gets "physical therapist"
    from the catalogue."""
    british = Client(HTTP_ACCEPT_LANGUAGE="en-GB").get("/").content.decode()
    american = Client(HTTP_ACCEPT_LANGUAGE="en-US").get("/").content.decode()
    assert "talk to a physiotherapist online" in british
    assert "written with physiotherapists" in british
    assert not AMERICAN.search(british)
    assert "talk to a physical therapist online" in american
    assert "written with physical therapists" in american
