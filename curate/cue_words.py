"""The words that make a claim hedged: the extractor sets the flag with them
(curate.nlp.claims) and the review card highlights them (curate.review.queue), so a curator
sees the very words that set it. Shared by both rooms; no spaCy here."""
from __future__ import annotations

import re

HEDGE = re.compile(r"\b(may|might|could|possibly|possible|probably|likely|suggests?|suggested|"
                   r"suggesting|speculate|hypothes\w+|putative|presumably|potential(ly)?|"
                   r"appears? to|seems? to)\b", re.I)
