"""The side-effect detector's speed on posts of 500 characters (issue 7: at least 5,000
posts per second on one core, so screening never lags publication).

Posts are put together from sentences: the evaluation corpus
(``safety/data/evaluation.jsonl``) for sentences that name medicines and reactions,
and everyday forum sentences that name neither. Three mixes are timed, one process,
one core, after a warm-up, in CPU time of the process (the machine is shared); the
lexicons are compiled once per process, a one-off cost printed separately:

* ``everyday``: no post names a medicine (most posts on a patient forum);
* ``mixed``: ``--share`` of the posts (default 30 %) contain corpus sentences;
* ``dense``: every post is corpus sentences only, about seven medicine and seven
  reaction mentions each: the worst case.

    python bench/detector.py
    python bench/detector.py --posts 20000 --share 0.5

It never asserts a duration; it prints the figures and writes JSON to bench/results/.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from patientvoice.safety.detection.detector import Detector  # noqa: E402
from patientvoice.safety.detection.evaluation import load_corpus  # noqa: E402

LENGTH = 500
EVERYDAY = [
    "Hej allihop, jag är ny här och ville bara säga hej.",
    "Har någon tips på en bra fysioterapeut i Göteborg?",
    "Vi var ute och gick i skogen i helgen, det gjorde gott.",
    "Min läkare ringde tillbaka först efter tre dagar, så frustrerande.",
    "Tack för alla svar, det känns skönt att inte vara ensam.",
    "Jag har bokat tid på vårdcentralen till nästa vecka.",
    "Väntetiden till specialistmottagningen är åtta månader nu.",
    "Någon som har erfarenhet av att söka sjukersättning?",
    "Idag orkade jag städa hela lägenheten, stolt över mig själv!",
    "Min sambo har varit ett stort stöd under hela utredningen.",
    "Hi everyone, long time reader, first time posting.",
    "Does anyone know a good support group in Malmö?",
    "We went for a walk by the sea this weekend and it was lovely.",
    "My appointment got moved again, third time this year.",
    "Thanks for all the replies, it really helps to read them.",
    "I finally got a referral to the specialist clinic.",
    "The waiting list here is ridiculous, eight months at least.",
    "Has anyone applied for disability support and got it?",
    "Managed to cook a proper dinner today, small wins.",
    "My partner has been amazing through all of this.",
]


def build_posts(count: int, share: float, seed: int) -> list[str]:
    rng = random.Random(seed)
    corpus = [example.text for example in load_corpus()]
    posts = []
    for _ in range(count):
        source = corpus if rng.random() < share else EVERYDAY
        parts: list[str] = []
        while sum(len(p) + 1 for p in parts) < LENGTH:
            parts.append(rng.choice(source))
            if source is corpus and rng.random() < 0.5 and share < 1:
                source = EVERYDAY  # the rest of a mixed post is everyday talk
        posts.append(" ".join(parts)[:LENGTH])
    return posts


def time_posts(detector: Detector, posts: list[str], rounds: int) -> dict[str, float]:
    per_round = []
    detections = 0
    for _ in range(rounds):
        started = time.process_time()
        for post in posts:
            detections += len(detector.detect(post))
        per_round.append((time.process_time() - started) / len(posts))
    best = min(per_round)
    return {
        "us_per_post": round(best * 1e6, 1),
        "us_per_post_median": round(statistics.median(per_round) * 1e6, 1),
        "posts_per_second": round(1 / best),
        "detections_per_post": round(detections / rounds / len(posts), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=5000)
    parser.add_argument("--share", type=float, default=0.3)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    options = parser.parse_args()

    started = time.process_time()
    detector = Detector.from_directory_csv()
    detector.detect("Sertralin gav mig huvudvärk.")
    build_seconds = time.process_time() - started

    mixes = {
        "everyday": build_posts(options.posts, 0.0, options.seed),
        "mixed": build_posts(options.posts, options.share, options.seed),
        "dense": build_posts(options.posts, 1.0, options.seed),
    }
    results: dict[str, object] = {"lexicon_build_seconds": round(build_seconds, 2)}
    print(f"lexicons compiled in {build_seconds:.2f} s (once per process)")
    print(f"{'mix':10} {'µs/post':>9} {'median':>9} {'posts/s':>9} {'detections':>11}")
    for name, posts in mixes.items():
        detector.detect(posts[0])  # warm the word caches a little, as a server would be
        figures = time_posts(detector, posts, options.rounds)
        results[name] = figures
        print(
            f"{name:10} {figures['us_per_post']:>9} {figures['us_per_post_median']:>9} "
            f"{figures['posts_per_second']:>9} {figures['detections_per_post']:>11}"
        )
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    path = out / f"detector-{stamp}.json"
    path.write_text(json.dumps({"options": vars(options), **results}, indent=2) + "\n")
    print(f"written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
