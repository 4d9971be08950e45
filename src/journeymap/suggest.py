""" "Did you mean": the known names closest to an unknown one, or a short list of them all.

Close means a small edit distance (a typo: `emotoin`, `verfy-id`) or one name starting with or
containing the other (`nps-survey` for `nps`, `verify-id` for `verify-identity`). A prefix
beats a substring, and both beat an edit, so `nps-survey` suggests `nps` before `survey`.
When nothing is close, the caller can list the valid names (at most 8, then "and N more").
"""

from __future__ import annotations

from collections.abc import Iterable

MAX_SUGGESTIONS = 2
MAX_LISTED = 8
# Longer words are cut before comparing: the cost of an edit distance is the product of the
# lengths, and a hostile map's names can be long.
_MAX_COMPARED = 64
_MIN_PART = 3  # "a" is inside most names: a prefix or substring match needs 3 characters


def edit_distance(a: str, b: str, limit: int) -> int:
    """Edit distance counting a swap of two neighbours as one edit (`sma` -> `sam`), or
    `limit + 1` when it is more than `limit`.

    Only the band of `limit` cells either side of the diagonal is computed: O(len * limit).
    """
    over = limit + 1
    if abs(len(a) - len(b)) > limit:
        return over
    before = [over] * (len(b) + 1)
    previous = [j if j <= limit else over for j in range(len(b) + 1)]
    for i in range(1, len(a) + 1):
        current = [over] * (len(b) + 1)
        if i <= limit:
            current[0] = i
        low, high = max(1, i - limit), min(len(b), i + limit)
        for j in range(low, high + 1):
            cost = min(
                previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] != b[j - 1])
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cost = min(cost, before[j - 2] + 1)
            current[j] = cost
        if min(current[low - 1 : high + 1]) > limit:
            return over
        before, previous = previous, current
    return min(previous[-1], over)


def _rank(word: str, choice: str) -> tuple[int, int] | None:
    """How close `choice` is to `word`: smaller is closer; None when not close at all."""
    w, c = word.lower()[:_MAX_COMPARED], choice.lower()[:_MAX_COMPARED]
    if w == c:
        return (0, 0)
    shorter = min(len(w), len(c))
    if shorter >= _MIN_PART and (w.startswith(c) or c.startswith(w)):
        return (1, abs(len(w) - len(c)))
    limit = 1 if max(len(w), len(c)) <= 4 else 2
    distance = edit_distance(w, c, limit)
    if distance <= limit:
        return (2, distance)
    if shorter >= _MIN_PART and (c in w or w in c):
        return (3, abs(len(w) - len(c)))
    return None


def closest(word: str, choices: Iterable[str], n: int = MAX_SUGGESTIONS) -> list[str]:
    """The choices close to `word`, closest first (ties in the choices' order)."""
    ranked = []
    for index, choice in enumerate(choices):
        rank = _rank(word, choice)
        if rank is not None:
            ranked.append((rank, index, choice))
    ranked.sort()
    return [choice for _, _, choice in ranked[:n]]


def listing(choices: Iterable[str], limit: int = MAX_LISTED) -> str:
    """`'a', 'b', 'c'` or, with more than `limit`, the first ones `and N more`."""
    names = list(choices)
    shown = ", ".join(f"'{name}'" for name in names[:limit])
    return f"{shown} and {len(names) - limit} more" if len(names) > limit else shown


def did_you_mean(word: str, choices: Iterable[str], valid: str | None = None) -> str:
    """` (did you mean 'x'?)`, ` (did you mean 'x' or 'y'?)`, or when nothing is close and
    `valid` names the choices, ` (valid VALID: 'a', 'b' ... and N more)`; else nothing."""
    names = list(choices)
    close = closest(word, names)
    if close:
        return f" (did you mean {' or '.join(repr_name(c) for c in close)}?)"
    if valid and names:
        return f" ({valid}: {listing(names)})"
    return ""


def repr_name(name: str) -> str:
    return f"'{name}'"
