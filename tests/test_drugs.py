"""Tests of the drug modules (lessons 04-06): compute on small frames made here, draw and interact on the real data."""
from __future__ import annotations

import pandas as pd
import pytest

from hrher2 import drugs as D
from hrher2 import plots, widgets
from hrher2.palette import DRUG_CLASS

_COLS = ["drug", "aliases", "drug_class", "target", "binding_site", "reversible", "payload", "linker", "mechanism",
         "review_statement", "trials", "review_section", "refs", "notes"]


def _drug(drug, cls, target, site="not stated", rev="not stated", aliases="", payload="", linker="", refs="",
          mechanism="m", notes=""):
    return dict(drug=drug, aliases=aliases, drug_class=cls, target=target, binding_site=site, reversible=rev,
                payload=payload, linker=linker, mechanism=mechanism, review_statement="", trials="",
                review_section="s", refs=refs, notes=notes)


def _drugs() -> pd.DataFrame:
    rows = [
        _drug("abmab", "antibody", "HER2", "extracellular domain IV", refs="31;32", aliases="A;AB-1"),
        _drug("dimab", "antibody", "HER2", "extracellular domain II (blocks pairing)"),
        _drug("domab3", "antibody", "HER2", "extracellular domain III"),
        _drug("kinib", "TKI", "HER1 and HER2", "intracellular tyrosine kinase domain, at the ATP-binding site",
              rev="reversible", mechanism="Blocks the kinase irreversibly? no: reversibly."),
        _drug("panib", "TKI", "HER1, HER2 and HER4", "not stated (pan-ErbB)", rev="irreversible"),
        _drug("vegfib", "TKI", "VEGFR-1/2/3 (not stated in the review)"),
        _drug("abmab payloadin", "ADC", "HER2", "not stated (its antibody is trastuzumab)", aliases="AB-P",
              payload="a toxin (as printed)", linker=""),
        _drug("mysterymab", "antibody", "HER2"),
        _drug("ai-one", "AI (non-steroidal)", "aromatase"),
        _drug("cdkib", "CDK4/6 inhibitor", "CDK4/6"),
    ]
    return pd.DataFrame(rows, columns=_COLS)


def _errata() -> pd.DataFrame:
    cols = ["erratum_id", "kind", "trial_or_topic", "field", "printed_a", "where_a", "printed_b", "where_b",
            "likely_correct", "evidence", "confidence", "result_ids", "lesson", "refs"]
    rows = [
        ["E1", "drug fact", "abmab payloadin payload", "payload", "abmab is bound to a toxin", "Text", "", "",
         "a different toxin", "", "high", "", "04", ""],
        ["E2", "drug fact", "HER2 TKIs", "drug class", "TKIs such as kinib and vegfib", "Text", "", "", "only kinib",
         "", "high", "", "04", ""],
        ["E3", "text vs table", "Trial X", "mpfs", "abmab + chemo 10 months", "Text", "", "", "9", "", "high",
         "tab1-x", "08", ""],
    ]
    return pd.DataFrame(rows, columns=cols)


# --------------------------------------------------------------------------------------------- compute: facts

def test_family_of_maps_every_class_to_a_palette_colour(tables):
    for cls in tables["drugs"]["drug_class"].unique():
        assert D.family_of(cls) in DRUG_CLASS, cls
    for cls in tables["drug_targets"]["drug_class"].unique():
        assert D.family_of(cls) in DRUG_CLASS, cls
    assert D.family_of("homeopathy") is None


def test_find_drug_by_name_or_alias_and_bad_names_in_words():
    d = _drugs()
    assert D.find_drug(d, "AB-1")["drug"] == "abmab"
    assert D.find_drug(d, "ABMAB")["drug"] == "abmab"
    with pytest.raises(ValueError, match=r"No drug called 'aspirin'.*Known drugs: abmab"):
        D.find_drug(d, "aspirin")
    with pytest.raises(ValueError, match="No drug name given"):
        D.find_drug(d, "  ")


def test_ref_keys_adds_bibkeys_and_keeps_unknown_numbers():
    refs = pd.DataFrame({"ref_number": [31, 32], "bibkey": ["Smith2007", "Lan2005"]})
    assert D.ref_keys("31;32;99", refs) == "31 (Smith2007); 32 (Lan2005); 99"
    assert D.ref_keys("", refs) == ""
    assert D.ref_keys("31", None) == "31"


def test_drug_facts_leave_out_empty_fields_and_say_when_nothing_is_cited():
    facts = D.drug_facts(_drugs(), "vegfib")
    fields = list(facts["field"])
    assert "Payload" not in fields and "Linker" not in fields
    assert facts.loc[facts["field"] == "Review references", "value"].item() == "none cited"
    assert facts.attrs["drug"] == "vegfib"


def test_filter_drugs_by_family_class_target_and_text():
    d = _drugs()
    assert list(D.filter_drugs(d, "anti-HER2 drugs")["drug"])[:3] == ["abmab", "dimab", "domab3"]
    assert "ai-one" not in set(D.filter_drugs(d, "anti-HER2 drugs")["drug"])
    assert list(D.filter_drugs(d, "anti-HER2 drugs", "TKI", target="her4")["drug"]) == ["panib"]
    assert list(D.filter_drugs(d, "all drugs", text="REVERSIBLY")["drug"]) == ["kinib"]
    assert list(D.filter_drugs(d, "newer drug classes")["family"]) == ["CDK4/6 inhibitor"]
    # text is literal, not a regular expression
    assert D.filter_drugs(d, "all drugs", text="[").empty  # a broken regex, harmless as literal text
    assert list(D.filter_drugs(d, "all drugs", text="(not stated")["drug"]) == ["vegfib"]


def test_filter_drugs_bad_family_or_class_is_explained():
    with pytest.raises(ValueError, match="Unknown drug family 'vitamins'"):
        D.filter_drugs(_drugs(), "vitamins")
    with pytest.raises(ValueError, match="No class 'SERM' among the anti-HER2 drugs"):
        D.filter_drugs(_drugs(), "anti-HER2 drugs", "SERM")


def test_drug_errata_matches_topic_first_and_skips_trial_result_errata():
    d, e = _drugs(), _errata()
    assert list(D.drug_errata(d, e, "abmab payloadin")["erratum_id"]) == ["E1"]
    # E1's topic names the ADC, so the bare antibody name in its text does not count; E3 is about a trial result
    assert D.drug_errata(d, e, "abmab").empty
    assert list(D.drug_errata(d, e, "vegfib")["erratum_id"]) == ["E2"]
    assert list(D.drug_errata(d, e, "kinib")["erratum_id"]) == ["E2"]


# ----------------------------------------------------------------------------------------- compute: HER2 map

def test_her2_site_rules():
    site_of = {"trastuzumab": "domain IV"}
    d = _drugs().set_index("drug")
    assert D.her2_site(d.loc["abmab"]) == {"region": "domain IV", "basis": "stated in the review"}
    assert D.her2_site(d.loc["dimab"])["region"] == "domain II"  # not 'domain I', not 'domain III'
    assert D.her2_site(d.loc["domab3"])["region"] == "domain III"
    assert D.her2_site(d.loc["kinib"])["region"] == "kinase domain"
    assert D.her2_site(d.loc["panib"])["basis"].startswith("inferred from the class")
    assert D.her2_site(d.loc["vegfib"])["region"] == D.NOT_HER2
    assert D.her2_site(d.loc["mysterymab"])["region"] == D.NOT_STATED
    adc = d.loc["abmab payloadin"]
    assert D.her2_site(adc)["region"] == D.NOT_STATED  # without trastuzumab's site, no guess
    assert D.her2_site(adc, site_of)["region"] == "domain IV"


def test_her2_map_on_real_data_places_each_drug_as_the_table_says(tables):
    m = D.her2_map(tables["drugs"]).set_index("drug")
    assert m.at["trastuzumab", "region"] == "domain IV"
    assert m.at["pertuzumab", "region"] == "domain II"
    assert m.at["lapatinib", "region"] == "kinase domain" and m.at["lapatinib", "reversible"] == "reversible"
    assert m.at["neratinib", "reversible"] == m.at["pyrotinib", "reversible"] == "irreversible"
    assert m.at["trastuzumab deruxtecan", "region"] == m.at["trastuzumab emtansine", "region"] == "domain IV"
    assert m.at["trastuzumab deruxtecan", "basis"].startswith("inferred")
    assert {m.at["pazopanib", "region"], m.at["lenvatinib", "region"]} == {D.NOT_HER2}
    assert m.at["zanidatamab", "region"] == D.NOT_STATED
    assert "anastrozole" not in m.index


# --------------------------------------------------------------------------------------- compute: ADC anatomy

def test_adc_anatomy_keeps_the_printed_payload_and_flags_its_erratum():
    a = D.adc_anatomy(_drugs(), "AB-P", _errata()).set_index("part")
    assert a.at["payload", "as_printed"] == "a toxin (as printed)"
    assert a.at["payload", "erratum"] == "E1" and a.at["payload", "likely_correct"] == "a different toxin"
    assert a.at["linker", "as_printed"] == "not stated" and a.at["linker", "erratum"] == ""
    assert a.at["antibody", "as_printed"] == "its antibody is trastuzumab"


def test_adc_anatomy_of_a_non_adc_is_explained():
    with pytest.raises(ValueError, match="kinib is not an antibody–drug conjugate.*ADCs in the table: abmab payloadin"):
        D.adc_anatomy(_drugs(), "kinib")


def test_real_dxd_payload_is_shown_as_printed_with_e45(tables):
    a = D.adc_anatomy(tables["drugs"], "T-DXd", tables["errata"]).set_index("part")
    assert "ixabepilone" in a.at["payload", "as_printed"]  # never silently corrected
    assert a.at["payload", "erratum"] == "E45"
    assert "exatecan" in a.at["payload", "likely_correct"]
    t = D.adc_anatomy(tables["drugs"], "T-DM1", tables["errata"]).set_index("part")
    assert t.at["payload", "erratum"] == "E48"


# ---------------------------------------------------------------------------------- compute: estrogen sources

def _pathway():
    nodes = pd.DataFrame({"node_id": ["androgens", "ovarian_aromatase", "peripheral_aromatase", "estrogen",
                                      "ER_nuclear", "ER_membrane"],
                          "label": ["Androgens", "Ovary", "Fat", "Estrogen", "nER", "mER"],
                          "pathway": ["estrogen supply"] * 4 + ["ER genomic", "ER non-genomic"]})
    edges = pd.DataFrame({
        "source": ["androgens", "androgens", "ovarian_aromatase", "peripheral_aromatase", "estrogen", "estrogen"],
        "target": ["ovarian_aromatase", "peripheral_aromatase", "estrogen", "estrogen", "ER_nuclear", "ER_membrane"],
        "relation": ["binds", "binds", "converts to", "converts to", "binds", "binds"],
        "context": ["premenopausal", "postmenopausal", "premenopausal", "postmenopausal", None, None],
        "explanation": ["a", "b", "ovary makes it", "fat makes it", "c", "d"], "refs": ["47"] * 6})
    targets = pd.DataFrame({
        "drug_class": ["aromatase inhibitor", "ovarian function suppression", "SERM", "SERD", "SERD"],
        "node_id": ["peripheral_aromatase", "ovarian_aromatase", "ER_nuclear", "ER_nuclear", "ER_membrane"],
        "effect": ["blocks", "removes", "blocks", "degrades", "degrades"],
        "explanation": ["ai", "ofs", "serm", "serd", "serd m"], "refs": ["48"] * 5})
    return nodes, edges, targets


def test_estrogen_sources_weights_by_status():
    nodes, edges, _ = _pathway()
    pre = D.estrogen_sources(nodes, edges, "premenopausal").set_index("node_id")["weight"]
    post = D.estrogen_sources(nodes, edges, "postmenopausal").set_index("node_id")["weight"]
    assert pre.to_dict() == {"ovarian_aromatase": "main source", "peripheral_aromatase": "minor source"}
    assert post.to_dict() == {"ovarian_aromatase": "absent", "peripheral_aromatase": "main source"}
    with pytest.raises(ValueError, match="Unknown menopausal status 'perimenopausal'"):
        D.estrogen_sources(nodes, edges, "perimenopausal")


def _state(tidy, node, step=None):
    sub = tidy[tidy["node_id"] == node] if step is None else tidy[(tidy["node_id"] == node) & (tidy["step"] == step)]
    return sub.iloc[0]


def test_ai_alone_leaves_the_ovaries_working_before_menopause():
    tidy = D.endocrine_effects(*_pathway(), "premenopausal", ["AI"])
    assert bool(_state(tidy, "ovarian_aromatase")["open"]) is True
    assert _state(tidy, "peripheral_aromatase")["state"] == "minor source, blocked by AI"
    assert _state(tidy, "estrogen")["state"] == "supplied"
    assert "combined with OFS" in D.endocrine_summary(tidy)


def test_ai_with_ofs_before_menopause_and_ai_after_menopause_cut_every_source():
    for status, opts in (("premenopausal", ["AI", "OFS"]), ("postmenopausal", ["AI"])):
        tidy = D.endocrine_effects(*_pathway(), status, opts)
        assert _state(tidy, "estrogen")["state"] == "very low", (status, opts)
        assert not tidy.loc[tidy["step"] == "estrogen receptor", "open"].any()
        assert "combined with OFS" not in D.endocrine_summary(tidy)
        # estrogen-independent ER, switched on by kinases, is untouched by lowering estrogen
        assert bool(_state(tidy, "ER_nuclear", "estrogen-independent ER")["open"]) is True


def test_serm_blocks_nuclear_er_and_serd_degrades_every_er_pool():
    serm = D.endocrine_effects(*_pathway(), "postmenopausal", ["SERM"])
    assert _state(serm, "ER_nuclear", "estrogen receptor")["state"] == "blocked by SERM"
    assert bool(_state(serm, "ER_membrane")["open"]) is True
    serd = D.endocrine_effects(*_pathway(), "postmenopausal", ["SERD"])
    er_rows = serd[serd["step"].isin(["estrogen receptor", "estrogen-independent ER"])]
    assert len(er_rows) == 3 and not er_rows["open"].any()
    assert _state(serd, "estrogen")["state"] == "supplied"  # a SERD acts on the receptor, not on the supply
    assert "receptor is blocked or degraded" in D.endocrine_summary(serd)


def test_ofs_after_menopause_changes_nothing_and_bad_options_are_explained():
    a = D.endocrine_effects(*_pathway(), "postmenopausal", [])
    b = D.endocrine_effects(*_pathway(), "postmenopausal", ["OFS"])
    assert list(a["state"]) == list(b["state"])
    with pytest.raises(ValueError, match=r"Unknown endocrine option\(s\) 'chemo'"):
        D.endocrine_effects(*_pathway(), "postmenopausal", ["AI", "chemo"])


def test_endocrine_effects_on_real_tables(tables):
    args = (tables["pathway_nodes"], tables["pathway_edges"], tables["drug_targets"])
    pre_ai = D.endocrine_effects(*args, "premenopausal", ["AI"])
    assert _state(pre_ai, "estrogen")["state"] == "supplied"
    post_ai = D.endocrine_effects(*args, "postmenopausal", ["AI"])
    assert _state(post_ai, "estrogen")["state"] == "very low"


# ------------------------------------------------------------------------------------ compute: mechanism chains

def test_mechanism_chain_and_its_blocks_on_real_tables(tables):
    chain = D.mechanism_chain(tables["pathway_nodes"], tables["pathway_edges"],
                              ["cyclinD1", "CDK46", "Rb", "E2F", "proliferation"])
    assert list(chain["relation"]) == ["binds", "phosphorylates", "releases", "activates"]
    blocks = D.chain_blocks(chain, tables["drug_targets"], tables["drugs"], classes=["CDK4/6 inhibitor"])
    assert list(blocks["node_id"]) == ["CDK46"]
    assert blocks["drugs"].item() == "palbociclib, ribociclib, abemaciclib, dalpiciclib"
    pi3k = D.mechanism_chain(tables["pathway_nodes"], tables["pathway_edges"], ["PI3K", "AKT", "mTOR"])
    named = D.chain_blocks(pi3k, tables["drug_targets"], tables["drugs"]).set_index("node_id")["drugs"]
    assert named.to_dict() == {"PI3K": "alpelisib", "mTOR": "everolimus"}


def test_mechanism_chain_bad_nodes_and_missing_links_are_explained(tables):
    n, e = tables["pathway_nodes"], tables["pathway_edges"]
    with pytest.raises(ValueError, match="Unknown pathway node"):
        D.mechanism_chain(n, e, ["cyclinD1", "CDK99"])
    with pytest.raises(ValueError, match="no step from Rb to cyclinD1"):
        D.mechanism_chain(n, e, ["Rb", "cyclinD1"])
    with pytest.raises(ValueError, match="at least two"):
        D.mechanism_chain(n, e, ["Rb"])


# ------------------------------------------------------------------------------------------------ draw

def test_her2_map_titles_state_the_finding(tables):
    m = D.her2_map(tables["drugs"])
    assert plots.her2_map_title(m, "trastuzumab") == (
        "Trastuzumab acts on HER2 extracellular domain IV (as the review states)")
    assert "does not act on HER2" in plots.her2_map_title(m, "pazopanib")
    assert "does not say where" in plots.her2_map_title(m, "zanidatamab")
    assert plots.her2_map_title(m).startswith("Antibodies and ADCs bind HER2 outside the cell")


def test_alt_texts_are_generated_from_the_data(tables):
    m = D.her2_map(tables["drugs"])
    alt = plots.her2_map_alt(m, "lapatinib")
    assert "Kinase domain: lapatinib (reversible)" in alt and "Not aimed at HER2: pazopanib, lenvatinib" in alt
    frames = [D.adc_anatomy(tables["drugs"], "T-DXd", tables["errata"])]
    assert "ixabepilone" in plots.adc_anatomy_alt(frames) and "erratum E45" in plots.adc_anatomy_alt(frames)
    tidy = D.endocrine_effects(tables["pathway_nodes"], tables["pathway_edges"], tables["drug_targets"],
                               "premenopausal", ["AI"])
    assert "minor source, blocked by AI" in plots.estrogen_alt(tidy)
    assert plots.estrogen_title(tidy) == "Premenopausal, AI: ovarian aromatase still supplies estrogen"


def test_figures_draw_with_palette_colours(tables):
    m = D.her2_map(tables["drugs"])
    fig = plots.her2_map_figure(m, "pertuzumab")
    faces = {p.get_facecolor()[:3] for p in fig.axes[0].patches}
    from matplotlib.colors import to_rgb
    assert to_rgb(DRUG_CLASS["antibody"]) in faces
    chain = D.mechanism_chain(tables["pathway_nodes"], tables["pathway_edges"], ["PD_L1", "PD_1", "T_exhaustion"])
    blocks = D.chain_blocks(chain, tables["drug_targets"], tables["drugs"])
    fig = plots.mechanism_chain_figure(chain, blocks)
    assert fig.axes[0].get_title(loc="left").replace("\n", " ") == (
        "From PD-L1 to CD8+ T-cell exhaustion: drugs cut the chain at PD-L1 and PD-1")


def test_fixed_layout_figures_keep_all_their_text_inside_the_figure(tables):
    """The HER2 map and the estrogen-source figure are laid out once, not by a layout engine: for every drug and
    every setting, nothing drawn (title, labels, the 'not stated' box) runs past the figure's edge."""
    import itertools

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    def inside(fig, what):
        renderer = FigureCanvasAgg(fig).get_renderer()
        box, page = fig.get_tightbbox(renderer), fig.bbox_inches
        assert box.x0 >= -0.01 and box.y0 >= -0.01 and box.x1 <= page.x1 + 0.01 and box.y1 <= page.y1 + 0.01, (
            what, box.bounds, page.bounds)

    m = D.her2_map(tables["drugs"])
    for drug in [None, *m["drug"]]:
        inside(plots.her2_map_figure(m, drug), drug)
    nodes, edges, targets = tables["pathway_nodes"], tables["pathway_edges"], tables["drug_targets"]
    for status in ("postmenopausal", "premenopausal"):
        for k in range(5):
            for options in itertools.combinations(["AI", "OFS", "SERM", "SERD"], k):
                inside(plots.estrogen_figure(D.endocrine_effects(nodes, edges, targets, status, list(options))),
                       (status, options))


# ------------------------------------------------------------------------------------------------ interact

def test_her2_receptor_view_default_and_bad_input(tables):
    fig, facts = widgets.her2_receptor_view(tables["drugs"], "trastuzumab", tables["references"], tables["errata"])
    assert "<img" in fig and 'alt="Schematic of the HER2 receptor' in fig
    assert "extracellular domain IV" in facts and "31 (Smith2007)" in facts and "E55" in facts
    msg, empty = widgets.her2_receptor_view(tables["drugs"], "anastrozole")
    assert 'role="alert"' in msg and "not an anti-HER2 drug" in msg and empty == ""
    msg, _ = widgets.her2_receptor_view(tables["drugs"], "aspirin")
    assert "No drug called" in msg


def test_drug_explorer_view_filters_and_explains(tables):
    out = widgets.drug_explorer_view(tables["drugs"], "newer drug classes", references=tables["references"])
    assert "palbociclib" in out and "atezolizumab" in out and "trastuzumab" not in out
    assert DRUG_CLASS["CDK4/6 inhibitor"] in out
    assert "No drug matches" in widgets.drug_explorer_view(tables["drugs"], text="zzzz")
    assert 'role="alert"' in widgets.drug_explorer_view(tables["drugs"], "vitamins")


def test_adc_view_shows_the_errata(tables):
    fig, notes = widgets.adc_view(tables["drugs"], tables["errata"], "both")
    assert "<img" in fig and "E45" in notes and "E48" in notes
    msg, _ = widgets.adc_view(tables["drugs"], tables["errata"], "lapatinib")
    assert "not an antibody–drug conjugate" in msg


def test_estrogen_view_and_bad_status(tables):
    args = (tables["pathway_nodes"], tables["pathway_edges"], tables["drug_targets"])
    fig, table = widgets.estrogen_view(*args, "premenopausal", ["AI"])
    assert "<img" in fig and "combined with OFS" in table
    msg, _ = widgets.estrogen_view(*args, "perimenopausal", ["AI"])
    assert "Unknown menopausal status" in msg


def test_widgets_build_a_default_view_and_survive_bad_defaults(tables):
    w = widgets.her2_receptor_map(tables["drugs"], tables["references"], tables["errata"])
    assert "<img" in w.children[2].value and w.children[0].value == "trastuzumab"
    w = widgets.her2_receptor_map(tables["drugs"], drug="aspirin")
    assert "not an anti-HER2 drug" in w.children[1].value and "<img" in w.children[2].value
    w = widgets.drug_explorer(tables["drugs"], tables["references"], tables["errata"])
    assert "trastuzumab deruxtecan" in w.children[3].value and "anastrozole" not in w.children[3].value
    w = widgets.drug_explorer(tables["drugs"], family="vitamins", show_adc=False)
    assert "Unknown drug family" in w.children[2].value and len(w.children) == 4
    w = widgets.estrogen_explorer(tables["pathway_nodes"], tables["pathway_edges"], tables["drug_targets"])
    assert w.children[0].value == "postmenopausal" and "<img" in w.children[3].value
    w = widgets.estrogen_explorer(tables["pathway_nodes"], tables["pathway_edges"], tables["drug_targets"],
                                  status="perimenopausal", options=["AI", "chemo"])
    assert "perimenopausal" in w.children[2].value and "chemo" in w.children[2].value


def test_explorer_family_change_updates_class_options(tables):
    w = widgets.drug_explorer(tables["drugs"], show_adc=False)
    fam, cls = w.children[0].children
    fam.value = "endocrine therapy"
    assert "SERM" in cls.options and "TKI" not in cls.options and cls.value == "any"
    assert "tamoxifen" in w.children[3].value
    cls.value = "SERD"
    assert "fulvestrant" in w.children[3].value and "tamoxifen" not in w.children[3].value
