"""Author and agency slugs: one page per distinct name (pure, no Pelican)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping

from .text import short_hash


def distinct_slugs(slugs: Mapping[str, str], keep: Collection[str] = ()) -> dict[str, str]:
    """Give every name a slug no other name has.

    Pelican's slug of 王伟 and of 汪伟 is ``wang-wei``, and Pelican treats two
    authors with the same slug as one: one name would vanish.  For each slug
    several names share, the first name in sorted order keeps it and each other
    gets a short hash of itself appended (a name in ``keep``, the default
    agency, comes first); the result depends only on the set of names, never
    on the order the seeds were read.
    """
    sharing: dict[str, list[str]] = defaultdict(list)
    for name, slug in slugs.items():
        sharing[slug].append(name)
    taken = set(sharing)  # a hashed slug never takes another name's own slug
    result: dict[str, str] = {}
    for slug, names in sorted(sharing.items()):
        first, *others = sorted(names, key=lambda name: (name not in keep, name))
        result[first] = slug
        for name in others:
            candidate, salt = f"{slug}-{short_hash(name)}", 0
            while candidate in taken:
                salt += 1
                candidate = f"{slug}-{short_hash(f'{name}#{salt}')}"
            taken.add(candidate)
            result[name] = candidate
    return result
