"""Unit tests of the package's compute, draw and interact layers, on small frames made here."""
from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from hrher2 import disagreements, palette, plots, trials, widgets


def _results() -> pd.DataFrame:
    base = {"experimental_arm": "drug + ET", "control_arm": "ET", "pfs_p": None, "os_p": None, "refs": "60",
            "mos_exp": None, "mos_ctrl": None}
    rows = [
        dict(base, result_id="tab1-x", trial="X", cohort="HR+/HER2+", printed_in="Table 1", location="Table 1, row X",
             mpfs_exp=4.8, mpfs_ctrl=2.4, mos_exp=28.5, mos_ctrl=23.9, os_p="0.325"),
        dict(base, result_id="txt-x", trial="X", cohort="HR+/HER2+", printed_in="Text", location="Text, section S",
             mpfs_exp=4.8, mpfs_ctrl=2.4, mos_exp=18.5, mos_ctrl=23.9),
        dict(base, result_id="tab2-y", trial="Y", cohort="HER2+", printed_in="Table 2", location="Table 2, row Y",
             mpfs_exp=16.4, mpfs_ctrl=None, control_arm=None),
    ]
    return pd.DataFrame(rows)


def test_printed_medians_is_tidy_and_keeps_sources():
    tidy = trials.printed_medians(_results(), "X", "mos")
    assert list(tidy["months"]) == [28.5, 23.9, 18.5, 23.9]
    assert list(tidy["printed_in"]) == ["Table 1", "Table 1", "Text", "Text"]
    assert list(tidy["arm"]) == ["experimental", "control"] * 2
    assert set(tidy["refs"]) == {"60"} and tidy.attrs["endpoint"] == "median overall survival"


def test_single_arm_study_gives_one_bar_only():
    tidy = trials.printed_medians(_results(), "Y", "mpfs")
    assert list(tidy["arm"]) == ["experimental"] and list(tidy["months"]) == [16.4]


def test_disagreements_finds_only_values_that_differ():
    dis = disagreements.between_places(trials.printed_medians(_results(), "X", "mos"))
    assert list(dis["arm"]) == ["experimental"]
    assert dis["values"].iloc[0] == "28.5 (Table 1); 18.5 (Text)"
    assert disagreements.between_places(trials.printed_medians(_results(), "X", "mpfs")).empty


def test_bad_trial_and_endpoint_are_explained():
    with pytest.raises(ValueError, match=r"No trial called 'Z'.*Known trials: X, Y"):
        trials.printed_medians(_results(), "Z")
    with pytest.raises(ValueError, match=r"Unknown endpoint 'orr'"):
        trials.printed_medians(_results(), "X", "orr")


def test_trial_names_filters_by_endpoint():
    assert trials.trial_names(_results()) == ["X", "Y"]
    assert trials.trial_names(_results(), "mos") == ["X"]


def test_titles_state_the_finding():
    r = _results()
    assert plots.printed_medians_title(trials.printed_medians(r, "X", "mos")).endswith("print different median overall survival values")
    assert plots.printed_medians_title(trials.printed_medians(r, "X", "mpfs")).endswith("print the same median progression-free survival")
    assert "one place only (Table 2)" in plots.printed_medians_title(trials.printed_medians(r, "Y", "mpfs"))


def test_figure_draws_one_bar_per_printed_value_and_alt_text_lists_them():
    tidy = trials.printed_medians(_results(), "X", "mos")
    fig = plots.printed_medians_figure(tidy)
    ax = fig.axes[0]
    heights = sorted(p.get_height() for p in ax.patches)
    assert heights == sorted(tidy["months"])
    colours = {tuple(round(c, 3) for c in p.get_facecolor()[:3]) for p in ax.patches}
    assert len(colours) == 2  # experimental and control, from the palette
    alt = plots.printed_medians_alt(tidy)
    for value in ("28.5", "18.5", "23.9"):
        assert value in alt
    assert "printed in Text" in alt and "printed in Table 1" in alt


def test_png_output_is_deterministic():
    tidy = trials.printed_medians(_results(), "X", "mos")
    a = plots.figure_to_png(plots.printed_medians_figure(tidy))
    b = plots.figure_to_png(plots.printed_medians_figure(tidy))
    assert a == b and a[:8] == b"\x89PNG\r\n\x1a\n"


def test_svg_output_is_deterministic_text_and_metadata_free():
    import re
    import xml.etree.ElementTree as ET
    from urllib.parse import unquote

    tidy = trials.printed_medians(_results(), "X", "mos")
    a = plots.figure_to_svg(plots.printed_medians_figure(tidy))
    b = plots.figure_to_svg(plots.printed_medians_figure(tidy))
    assert a == b and a.startswith(b"<svg")
    root = ET.fromstring(a)  # well-formed on its own, prolog and DOCTYPE removed
    texts = ["".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")]
    # labels stay text (not glyph outlines): the printed medians can be found and selected
    assert any("28.5" in t for t in texts) and any("18.5" in t for t in texts)
    assert b"<metadata" not in a and b"dc:date" not in a
    html = plots.figure_html(plots.printed_medians_figure(tidy), "alt", "cap")
    payload = re.search(r'src="data:image/svg\+xml,([^"]+)"', html).group(1)
    assert unquote(payload).encode() == a
    # nothing in the URI can end the attribute or be read as an entity, a fragment or an escape
    assert not set(payload) & set("\"<>&#\n")


def test_svg_data_uri_escapes_what_html_and_urls_would_misread():
    from urllib.parse import unquote

    svg = '<svg><text>ER &amp; HER2 ≥ 50% #1 "q"</text></svg>'.encode()
    uri = plots.svg_data_uri(svg)
    assert uri.startswith("data:image/svg+xml,") and not set(uri) & set('"<>&#')
    assert unquote(uri.split(",", 1)[1]).encode() == svg


def test_figure_html_escapes_alt_text():
    tidy = trials.printed_medians(_results(), "Y", "mpfs")
    html = plots.figure_html(plots.printed_medians_figure(tidy), 'a "quoted" <alt>', "cap & tion")
    assert 'alt="a &quot;quoted&quot; &lt;alt&gt;"' in html and "cap &amp; tion" in html


def test_palette_is_okabe_ito_with_fixed_meanings():
    assert set(palette.ARM.values()) <= set(palette.OKABE_ITO.values())
    assert palette.PATHWAY["HER2 pathway"] != palette.PATHWAY["ER pathway"]


def _pv_spec(**kw):
    from hrher2 import live

    return live.provenance_chart({"trial_results": _results()}, **kw).to_dict()


def test_provenance_chart_holds_every_trial_and_endpoint_with_its_headline():
    """The live provenance explorer (lesson 00) carries each trial's printed medians for both endpoints; its headline
    for each choice is the static figure's title with the numbers behind it."""
    spec = _pv_spec(trial="X", endpoint="mos")
    rows = spec["datasets"]["pv_rows"]
    assert [r["months"] for r in rows if r["trial"] == "X" and r["endpoint"] == "mos"] == [28.5, 23.9, 18.5, 23.9]
    heads = {p["name"]: p for p in spec["params"]}["pv_headlines"]["value"]
    assert " ".join(heads["X|mos"]).startswith("X: text and table print different median overall survival values")
    assert "28.5 (Table 1) vs 18.5 (Text)" in " ".join(heads["X|mos"])
    assert heads["Y|mos"] == ["Y: the review prints no median overall survival"]
    assert "16.4" in " ".join(heads["Y|mpfs"]) and "one place only (Table 2)" in " ".join(heads["Y|mpfs"])
    where = [r["text"] for r in spec["datasets"]["pv_lines"] if r["trial"] == "X" and r["endpoint"] == "mos"]
    assert "Table 1, row X" in " ".join(where) and "Review ref. 60." in " ".join(where)


def test_provenance_chart_with_bad_input_gives_words_not_a_traceback():
    def says(spec):
        return " ".join(spec["title"]["text"])

    assert "No trial called 'Nope'" in says(_pv_spec(trial="Nope")) and "Known trials" in says(_pv_spec(trial="Nope"))
    assert "endpoint must be one of" in says(_pv_spec(trial="X", endpoint="survival"))


def test_quiz_import_is_light():
    """`from hrher2 import quiz` (in every lesson) needs no widget library: the questions are HTML and a script."""
    code = "import sys; from hrher2 import quiz; print('ipywidgets' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "False"


def test_package_import_is_light():
    """`import hrher2` must not pull in matplotlib, ipywidgets or frictionless (lessons import only what they use)."""
    code = "import sys, hrher2; print(','.join(m for m in ('matplotlib', 'ipywidgets', 'frictionless') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""


def test_errata_selection_and_callout(tables):
    from hrher2 import errata

    e = tables["errata"]
    tandem = errata.for_lesson(e, topics=["TAnDEM"])
    assert len(tandem) >= 2 and set(tandem["trial_or_topic"]) == {"TAnDEM"}
    lesson09 = errata.for_lesson(e, lesson="09")
    assert not lesson09.empty and lesson09["lesson"].str.contains("09").all()
    html = errata.callout_html(tandem)
    assert html.count("<li>") == len(tandem) and "Most likely right" in html
    assert errata.callout_html(e.iloc[0:0]) == "<p>No erratum touches this lesson.</p>"
    with pytest.raises(ValueError, match="No erratum with id E99"):
        errata.for_lesson(e, ids=["E99"])


def test_drive_changes_every_control_and_sees_the_redraw(tables):
    import drive

    w = widgets.estrogen_explorer(tables["pathway_nodes"], tables["pathway_edges"], tables["drug_targets"])
    kinds = {type(c).__name__ for c in drive.controls(w)}
    assert kinds == {"Checkbox", "ToggleButtons"}
    records = drive.exercise(w, changes=6)
    assert len(records) == 6 and all(r["seconds"] >= 0 for r in records)
    assert all(r["changed"] for r in records), records
    assert not any(r["alert"] for r in records)
