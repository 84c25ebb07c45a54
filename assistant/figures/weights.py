"""How much each kind of evidence weighs when a question is read into table cells.

Scores are rapidfuzz-style 0–100 mention scores times a name's specificity; the bonuses
are added to a table's score when it is chosen (assistant.figures.choice).
"""

from __future__ import annotations

import re

PERIOD = re.compile(r"(19|20)\d\d|previous|prior|current")  # a row key that names a period
MENTIONED = 70.0  # less than this and a name is not taken as found
GOOD = 95.0  # every word of a name found, in any order or form: a row named
EXACT = 99.0  # a mention score this high means the name was found as written
MIN_TABLE_SCORE = 85.0  # less than this and the tables are not what the question is about
RETRIEVED_ROWS = 3  # how many of the retriever's top table rows back a reading
WHOLE_BONUS = 25.0  # what a total row adds when a question names a measure and no row
RATE_BONUS = 40.0  # what publishing the rate a question asks for adds to a table's score
CLOSE = 0.7  # a table scoring this share of the best one is weighed by what it accounts for
PERIOD_BONUS = 40.0  # what two periods add to a table's score for a question about change
UNNAMED_ROW = 0.25  # how much of that weight a retrieved row keeps when the question names it not
RETRIEVAL_WEIGHT = 45.0  # what the retriever's first row adds to its table's score
