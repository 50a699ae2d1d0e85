"""Demo discussions for ``seed_demo`` that show the thread tools, in both languages:
replies to a post, a reply that helped most, a pinned and a locked thread, medicine
tags. Written through the actions and idempotent (run it twice, nothing changes)."""

from __future__ import annotations

from typing import Any

from patientvoice.accounts.models import User
from patientvoice.directory.models import Medicine

from . import actions
from .models import Community, Post, Thread

# (community, title, replying member, the start of the answered post, reply text)
REPLIES_TO = [
    ("reumatoid-artrit", "Hur hanterar ni tröttheten?", "erik", "Trötthet (fatigue)",
     "Bra att veta att det kan vara blodbrist! Det hade jag aldrig tänkt på."),
    ("breast-cancer", "Going back to work after treatment", "sam", "My dad found it",
     "One sentence and change the subject: I will try exactly that. Thank you."),
]  # fmt: skip

# (community, title, the thread author, the start of the best reply)
BEST_ANSWERS = [
    ("reumatoid-artrit", "Hur hanterar ni tröttheten?", "anna", "Trötthet (fatigue)"),
    ("breast-cancer", "Going back to work after treatment", "sam", "My dad found it"),
]

# Threads opened here for the demo: (community, author, language, title, body,
# pinned, locked).
NOTICE_THREADS = [
    ("reumatoid-artrit", "lena", "sv", "Digitalt medlemsmöte i mars – frågor",
     "Tack alla som skickade frågor till medlemsmötet! Svaren finns nu på föreningens "
     "webbplats, så tråden är låst.", False, True),
    ("breast-cancer", "sam", "en", "Welcome – start here",
     "New here? Say hello in a new thread, read the guidelines above, and remember: "
     "nothing here replaces your care team.", True, True),
]  # fmt: skip

# Threads of the main demo data to pin: (community, title).
PINNED = [("reumatoid-artrit", "Frågor inför första besöket hos reumatologen")]

# Medicine tags of the main demo data, set by each thread's author: (community, title,
# medicine slugs from directory/data/medicines.csv, loaded by a migration).
MEDICINE_TAGS = [
    ("reumatoid-artrit", "Hur hanterar ni tröttheten?", ["methotrexate", "hydroxychloroquine"]),
    ("anhoriga-diabetes", "Skolan och insulinet", ["insulin-aspart", "insulin-glargine"]),
    ("breast-cancer", "Going back to work after treatment", ["tamoxifen"]),
]


def _thread(community: Community, title: str) -> Thread | None:
    return Thread.objects.filter(community=community, title=title).first()


def _post_starting(thread: Thread, start: str) -> Post | None:
    return Post.objects.filter(thread=thread, body__startswith=start).order_by("position").first()


def seed_demo_thread_tools(
    *, members: dict[str, User], communities: dict[str, Community], guidelines: dict[str, Any]
) -> None:
    """Add the demo's replies-to, best answers, pinned and locked threads and
    medicine tags."""
    for slug, title, key, start, text in REPLIES_TO:
        thread = _thread(communities[slug], title)
        answered = _post_starting(thread, start) if thread else None
        if thread is None or answered is None:
            continue
        if not Post.objects.filter(thread=thread, body=text).exists():
            actions.join_community(user=members[key], community=thread.community)
            actions.reply_to_thread(
                author=members[key],
                thread=thread,
                body=text,
                language=thread.community.language,
                reply_to=answered,
            )
    for slug, title, key, start in BEST_ANSWERS:
        thread = _thread(communities[slug], title)
        best = _post_starting(thread, start) if thread else None
        if thread is not None and best is not None:
            actions.mark_best_answer(actor=members[key], thread=thread, post=best)
    for slug, key, language, title, body, pinned, locked in NOTICE_THREADS:
        community = communities[slug]
        thread = _thread(community, title)
        if thread is None:
            actions.join_community(user=members[key], community=community)
            if slug in guidelines:
                actions.accept_guidelines(user=members[key], guidelines=guidelines[slug])
            thread, _result = actions.create_thread(
                author=members[key], community=community, title=title, body=body,
                language=language,
            )  # fmt: skip
        actions.pin_thread(actor=None, thread=thread, pinned=pinned)
        actions.lock_thread(actor=None, thread=thread, locked=locked)
    for slug, title in PINNED:
        thread = _thread(communities[slug], title)
        if thread is not None:
            actions.pin_thread(actor=None, thread=thread, pinned=True)
    for slug, title, medicine_slugs in MEDICINE_TAGS:
        thread = _thread(communities[slug], title)
        if thread is not None and thread.author is not None:
            actions.set_thread_medicines(
                actor=thread.author,
                thread=thread,
                medicines=Medicine.objects.filter(slug__in=medicine_slugs, is_active=True),
            )
