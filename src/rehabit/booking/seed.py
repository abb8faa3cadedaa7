"""Demo therapists (filled in below)."""


def seed_demo_therapists(*, if_empty: bool = False) -> int:
    return 0
