"""Guessing which volume is which model channel, from node (series) names.

A name is first classified into a **kind**: ``t1c`` (T1 after contrast), ``flair``, ``t2``, ``t1``
(without contrast) or ``ct``. A kind then matches the model's channel names by alias: a model may call
its channels ``t1``/``t1c``/``t2``/``flair`` or BraTS-2023 style ``t1n``/``t1c``/``t2w``/``t2f``.
Names are compared as the server does (server-conventions.md, section 2): ignoring case and ``" _-."``.

numpy-free, Slicer-free.
"""
import dataclasses
import re

KINDS = ("t1c", "flair", "t2", "t1", "ct")

#: kind -> model channel names (normalised) that mean it.
CHANNEL_ALIASES = {
    "t1c": {"t1c", "t1ce", "t1gd", "t1post", "t1contrast"},
    "flair": {"flair", "t2f", "t2flair"},
    "t2": {"t2", "t2w"},
    "t1": {"t1", "t1n", "t1w", "t1pre", "t1native"},
    "ct": {"ct"},
}

_CONTRAST = re.compile(r"(\+c\b|\+gd\b|\bgd\b|\bgad|\bpost\b|\bpostcontrast|\bcontrast|\bce\b|\bkm\b|\bt1c|\bt1ce|"
                       r"\bt1gd|\bt1post)")
_NO_CONTRAST = re.compile(r"\b(pre|precontrast|native|nativ|nc|non ?contrast|t1n)\b")
_T1 = re.compile(r"\b(t1\w*|mprage|spgr|tfl|bravo|vibe|flash)\b")


def normalise(name):
    """A name as the server compares channel names: lower case, without ``" _-."``."""
    return re.sub(r"[ _.\-]", "", name).lower()


def classify(name):
    """The kind (``t1c``, ``flair``, ``t2``, ``t1``, ``ct``) a volume name suggests, or None."""
    text = " " + re.sub(r"[^a-z0-9+]+", " ", name.lower()) + " "
    if re.search(r"\bct\b|\bcta\b", text):
        return "ct"
    if "flair" in text or re.search(r"\bt2f\b", text):
        return "flair"
    if re.search(r"\bt2\w*\b", text):
        return "t2"
    contrast = _CONTRAST.search(text) and not _NO_CONTRAST.search(text)
    if _T1.search(text):
        return "t1c" if contrast else "t1"
    if contrast:
        return "t1c"  # "Gd", "post contrast" without a sequence name: a contrast-enhanced T1 is the norm
    return None


def kind_of_channel(channel):
    """The kind a model channel name stands for, or None."""
    key = normalise(channel)
    for kind, aliases in CHANNEL_ALIASES.items():
        if key in aliases:
            return kind
    return None


@dataclasses.dataclass
class ChannelGuess:
    """``mapping``: channel -> chosen name; ``ambiguous``: channel -> every candidate name (the first is the
    one chosen); ``missing``: channels without a candidate; ``unused``: names not mapped."""
    mapping: dict
    ambiguous: dict
    missing: list
    unused: list

    @property
    def complete(self):
        return not self.missing

    def problems(self):
        """Human-readable lines about what the user should check."""
        lines = ["%s: several candidates (%s), chose %r" % (c, ", ".join(repr(n) for n in names), names[0])
                 for c, names in self.ambiguous.items()]
        lines += ["%s: no volume looks like it" % c for c in self.missing]
        return lines


def guess_mapping(names, channels):
    """Guesses a volume name for each model channel.

    A name equal to the channel (normalised) wins; otherwise the names whose :func:`classify` kind is the
    channel's kind are candidates, in the given order. A name is used for at most one channel.
    """
    names = list(names)
    kinds = {n: classify(n) for n in names}
    mapping, ambiguous, missing, used = {}, {}, [], set()
    for channel in channels:
        exact = [n for n in names if normalise(n) == normalise(channel) and n not in used]
        kind = kind_of_channel(channel)
        by_kind = [n for n in names if kind is not None and kinds[n] == kind and n not in used and n not in exact]
        candidates = exact + by_kind
        if not candidates:
            missing.append(channel)
            continue
        if len(candidates) > 1 and not exact:
            ambiguous[channel] = candidates
        mapping[channel] = candidates[0]
        used.add(candidates[0])
    return ChannelGuess(mapping, ambiguous, missing, [n for n in names if n not in used])
