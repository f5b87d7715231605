"""Deterministic synthetic programs in booklet's real data model, for the benchmark and its tests.

`generate(papers, seed)` gives a program with realistic lengths: paper titles of 6 to 16 words
(about 60 to 130 characters), session titles of 2 to 5 words, 1 to 8 authors per paper from a pool
of about 2.7 authors per paper, names (unique, as real ones) and affiliations with accents, sessions
of 7 or 8 talks in 90-minute blocks, four blocks a day with coffee and lunch between them, up to 8
parallel rooms over as many days as the sessions need, a track per room, keynotes held in two rooms at once, every fifth session listing its talks
without times, breaks, committees: the multi-track shape the timetable grid has to lay out.
"""

from __future__ import annotations

import random

GIVEN = ["Ana", "José", "Łukasz", "Zoë", "Mehmet", "Inês", "Søren", "Chen", "Priya", "Olumide", "Hiroshi",
         "Fatima", "Grégoire", "Ólafur", "Dvořák", "Björn", "Ayşe", "Kateřina", "Rafael", "Mei", "Arjun",
         "Sofía", "Jürgen", "Aoife", "Tomás", "Yuki", "Amara", "Matteo", "Élodie", "Wei"]
FAMILY = ["Müller", "García", "Kowalski", "Nguyen", "Okafor", "Tanaka", "Rossi", "Dubois", "Šimek",
          "Andersson", "Yılmaz", "Silva", "Zhang", "Patel", "Fernández", "O'Brien", "Van der Berg", "Novák",
          "Haddad", "Kim", "Ørsted", "Bröring", "Lefèvre", "Ivanović", "Costa", "Schmidt", "Wang", "Ali",
          "Moreau", "Łopata", "Esposito", "Johansson"]
PLACES = ["University of", "Institute of Technology", "Research Lab", "Polytechnic", "Technical University of",
          "National Laboratory", "College"]
CITIES = ["Zürich", "São Paulo", "Kraków", "Montréal", "Göteborg", "Coimbra", "Tokyo", "Lagos", "Delft",
          "Brno", "Seoul", "Toulouse", "Málaga", "Bengaluru", "Århus", "Cluj-Napoca"]
WORDS = ["scalable", "networks", "learning", "distributed", "training", "inference", "congestion", "control",
         "datacenter", "optical", "switching", "collective", "communication", "programmable", "telemetry",
         "efficient", "resilient", "scheduling", "accelerators", "transport", "RDMA", "topology", "towards",
         "characterizing", "serving", "large", "language", "models", "edge", "federated", "for", "with", "of",
         "in", "a", "the", "μ-scale", "zero-copy", "fault-tolerant", "in-network", "aggregation"]

# A real conference day: four 90-minute session blocks (09:00, 11:00, 14:00, 16:00) with coffee
# breaks and lunch between them, in up to eight parallel rooms.
SESSION_BLOCKS = [9 * 60, 11 * 60, 14 * 60, 16 * 60]
SESSION_ROWS_PER_DAY = len(SESSION_BLOCKS)
MAX_ROOMS = 8
BREAKS = [(10 * 60 + 30, 11 * 60, "break", "Coffee break"), (12 * 60 + 30, 14 * 60, "meal", "Lunch"),
          (15 * 60 + 30, 16 * 60, "break", "Coffee break")]


def _title(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 16))]
    text = " ".join(words)
    if rng.random() < 0.5:
        text = rng.choice(WORDS).capitalize() + ": " + text
    return text[0].upper() + text[1:]


TRACKS = ["Datacenter Networks", "Machine Learning Systems", "Wireless and Mobile", "Measurement",
          "Security and Privacy", "Programmable Networks", "Internet Architecture", "Optical Networks"]


def _session_title(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(2, 5))).title()


def generate(papers: int, seed: int = 2025) -> dict:
    rng = random.Random(seed)
    pool = max(4, int(papers * 2.7))
    # Unique names, as a real conference has: given name, an initial, family name.
    names = rng.sample([f"{g} {chr(65 + i)}. {f}" for g in GIVEN for i in range(26) for f in FAMILY], pool)
    people = [{"name": name, "affiliation": f"{rng.choice(PLACES)} {rng.choice(CITIES)}", "family": name.split(". ", 1)[1]}
              for name in names]
    paper_list = []
    for i in range(papers):
        authors = rng.sample(people, rng.randint(1, min(8, pool)))
        paper = {"id": f"p{i}", "title": _title(rng), "authors": authors}
        if rng.random() < 0.2:
            paper["short"] = True
        if rng.random() < 0.1:
            paper["video"] = True
        paper_list.append(paper)
    paper_list[0]["award"] = "Best Paper Award"

    sessions = []
    start = 0
    while start < papers:
        size = 8 if (len(sessions) % 2 == 0) else 7
        sessions.append(list(range(start, min(start + size, papers))))
        start += size
    rooms = max(1, min(MAX_ROOMS, -(-len(sessions) // 5)))  # 200 sessions: 8 rooms, 7 days
    rows = -(-len(sessions) // rooms)
    days_needed = -(-rows // SESSION_ROWS_PER_DAY)

    def clock(minute: int) -> str:
        return f"{minute // 60:02d}:{minute % 60:02d}"

    days, number = [], 0
    for d in range(days_needed):
        slots = [{"kind": "registration", "start": "07:30", "end": "08:00", "title": "Registration"},
                 {"kind": "keynote", "number": d + 1, "start": "08:00", "end": "09:00", "title": _title(rng),
                  **({"rooms": ["room0", "room1"]} if rooms > 1 else {}),
                  "speakers": [{**people[d % pool], "biography": " ".join(_title(rng) for _ in range(6))}],
                  "abstract": " ".join(_title(rng) for _ in range(8)), "chairs": [people[(d + 1) % pool]["name"]]}]
        for minute in SESSION_BLOCKS:
            if number >= len(sessions):
                break
            for room in range(rooms):
                if number >= len(sessions):
                    break
                talks = sessions[number]
                length = 90 // len(talks)
                timed = number % 5 != 4  # every fifth session: the source gave only its span
                slots.append({
                    "kind": "session", "number": number + 1, "title": _session_title(rng), "room": f"room{room}",
                    "track": f"t{room}", "start": clock(minute), "end": clock(minute + length * len(talks)),
                    "chairs": [{"name": people[rng.randrange(pool)]["name"],
                                "affiliation": people[rng.randrange(pool)]["affiliation"]}],
                    "talks": [{"paper": f"p{p}", **({"start": clock(minute + k * length),
                                                     "end": clock(minute + (k + 1) * length)} if timed else {})}
                              for k, p in enumerate(talks)],
                })
                number += 1
        slots += [{"kind": kind, "start": clock(start), "end": clock(end), "title": title}
                  for start, end, kind, title in BREAKS if start < minute]
        days.append({"date": f"2026-06-{d + 1:02d}", "slots": slots})

    return {
        "name": "Synthetic Conference on Networked Systems", "acronym": "SYNC", "edition": "1st", "year": "2026",
        "venue": "Centro de Congressos, Coimbra", "timezone": "Europe/Lisbon",
        "rooms": [{"id": f"room{r}", "name": f"Room {chr(65 + r)}"} for r in range(rooms)],
        "tracks": [{"id": f"t{r}", "name": TRACKS[r]} for r in range(rooms)],
        "days": days, "papers": paper_list,
        "committees": [{"title": "General Chairs", "role": "general", "members": people[:3]},
                       {"title": "Program Committee", "role": "program", "members": people[3:3 + min(60, pool - 3)]}],
        "important_dates": [{"label": "Submission deadline", "date": "2026-01-15"}],
        "call_for_papers": {"description": [" ".join(_title(rng) for _ in range(10))]},
        "award_note": "The best paper award is sponsored by the synthetic foundation.",
    }
