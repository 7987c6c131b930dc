"""The course palette: Okabe–Ito colours (safe for the common colour-vision deficiencies), each with one fixed meaning.

Every lesson takes its colours from here so that, say, "ER pathway" is the same blue on every page.
"""
from __future__ import annotations

#: The eight Okabe–Ito colours.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

#: Fixed meanings. Pathways.
PATHWAY = {
    "HER2 pathway": OKABE_ITO["vermillion"],
    "ER pathway": OKABE_ITO["blue"],
    "cell cycle": OKABE_ITO["bluish_green"],
    "crosstalk": OKABE_ITO["reddish_purple"],
    "blocked": "#7F7F7F",
}

#: Pathway-map node module -> its pathway's colour (the static map and the live one).
MODULE_COLOUR = {
    "ligand": PATHWAY["HER2 pathway"], "HER family": PATHWAY["HER2 pathway"], "MAPK": PATHWAY["HER2 pathway"],
    "PI3K-AKT-mTOR": PATHWAY["HER2 pathway"], "ER genomic": PATHWAY["ER pathway"],
    "ER non-genomic": PATHWAY["ER pathway"], "estrogen supply": PATHWAY["ER pathway"],
    "cell cycle": PATHWAY["cell cycle"], "outcome": PATHWAY["cell cycle"], "immune": OKABE_ITO["black"],
}

#: Fixed meanings. Trial arms.
ARM = {
    "experimental": OKABE_ITO["blue"],
    "control": OKABE_ITO["orange"],
}

#: Fixed meanings. Where a number is printed in the review.
PRINTED_IN = {
    "Table 1": OKABE_ITO["sky_blue"],
    "Table 2": OKABE_ITO["sky_blue"],
    "Table 3": OKABE_ITO["sky_blue"],
    "Text": OKABE_ITO["reddish_purple"],
}

#: Fixed meanings. Where a hazard ratio in the course comes from: the review (2024), or a source published since
#: (lesson 13). Congress abstract and journal article get different colours so that two reports of one result are
#: told apart at a glance; the marker shape repeats the meaning for readers who cannot rely on colour.
EVIDENCE_SOURCE = {
    "the review": OKABE_ITO["sky_blue"],
    "congress abstract": OKABE_ITO["orange"],
    "journal article": OKABE_ITO["blue"],
    "regulatory announcement": OKABE_ITO["bluish_green"],
    "regulatory label": OKABE_ITO["bluish_green"],
}
EVIDENCE_SHAPE = {"the review": "circle", "congress abstract": "triangle-up", "journal article": "square",
                  "regulatory announcement": "diamond", "regulatory label": "diamond"}

#: Fixed meanings. Drug families.
DRUG_CLASS = {
    "antibody": OKABE_ITO["vermillion"],
    "TKI": OKABE_ITO["orange"],
    "ADC": OKABE_ITO["reddish_purple"],
    "endocrine": OKABE_ITO["blue"],
    "CDK4/6 inhibitor": OKABE_ITO["bluish_green"],
    "PI3K/AKT/mTOR inhibitor": OKABE_ITO["sky_blue"],
    "PD-1/PD-L1 inhibitor": OKABE_ITO["yellow"],
    "chemotherapy": OKABE_ITO["black"],
}

#: Hatches that repeat the colour meaning for readers who cannot rely on colour at all.
ARM_HATCH = {"experimental": "", "control": "//"}
