"""The widget registry for `make bench`: how to build each widget with its default view (as its lesson does), and
the bare call that computes and draws the same figure without the widget (its pure *_view function), so the widget's
own overhead shows as a ratio."""
from __future__ import annotations

from hrher2 import widgets as W

WIDGETS = {
    "HER2 receptor map": {
        "lesson": "04",
        "build": lambda t: W.her2_receptor_map(t["drugs"], t["references"], t["errata"], drug="trastuzumab"),
        "bare": lambda t: W.her2_receptor_view(t["drugs"], "trastuzumab", t["references"]),
    },
    "drug explorer": {
        "lesson": "04",
        "build": lambda t: W.drug_explorer(t["drugs"], t["references"], t["errata"], family="anti-HER2 drugs"),
        "bare": lambda t: (W.drug_explorer_view(t["drugs"], family="anti-HER2 drugs"), W.adc_view(t["drugs"], t["errata"])),
    },
    "estrogen sources": {
        "lesson": "05",
        "build": lambda t: W.estrogen_explorer(t["pathway_nodes"], t["pathway_edges"], t["drug_targets"],
                                               status="postmenopausal", options=["AI"]),
        "bare": lambda t: W.estrogen_view(t["pathway_nodes"], t["pathway_edges"], t["drug_targets"], "postmenopausal", ["AI"]),
    },
    "survival simulator": {
        "lesson": "07",
        "build": lambda t: W.survival_simulator(),
        "bare": lambda t: W.survival_view(),
    },
}
