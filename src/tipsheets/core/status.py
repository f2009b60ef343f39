"""Program status: which handouts list a program, and how.

A program's ``status`` is one of:

``active`` (the default)
    Listed everywhere.
``not-taking-referrals``
    The class runs but takes no new referrals for now (it is full, or closed to
    referrals for a while).

    - **Desk aid** (read by caseworkers): still listed, after the open classes,
      with "Not taking referrals right now" in place of its dates. A caseworker
      knows the local classes by name and would otherwise refer a parent from
      memory; seeing it marked closed, they send the parent elsewhere.
    - **Referral card** (handed to a parent): left out. A card goes home with
      the parent, and a card for a closed class sends them to a door that will
      not open.
    - **Flyer** (read by parents): still built, since a flyer may already be on
      a wall, and parents already signed up still read it; it says the class is
      not taking new sign-ups right now, in place of its dates, and keeps the
      phone number to ask when places open.
``paused`` and ``ended``
    Left off desk aids, referral cards and editions' class boxes; no flyer is
    built, and the build removes the files of its earlier flyer (and calendar)
    and reports them.

An office may also leave programs off its desk aid and cards by id
(``exclude_programs``).
"""

from __future__ import annotations

from tipsheets.core.models import Office, Program

#: statuses whose programs are not listed anywhere and get no flyer
WITHDRAWN = frozenset({"paused", "ended"})


def listed(program: Program) -> bool:
    """Whether the program appears on handouts at all (it is neither paused nor ended)."""
    return program.status not in WITHDRAWN


def taking_referrals(program: Program) -> bool:
    return program.status == "active"


def on_desk_aid(program: Program, office: Office) -> bool:
    """Whether the office's desk aid lists the program (it may be marked as not taking referrals)."""
    return listed(program) and program.id not in office.exclude_programs


def on_cards(program: Program, office: Office) -> bool:
    """Whether the office's referral cards have a card for the program: only classes that take referrals."""
    return on_desk_aid(program, office) and taking_referrals(program)


def has_flyer(program: Program) -> bool:
    """Whether a flyer (and a calendar) is built for the program."""
    return listed(program)
