"""The question bank (data/questions.yaml against data/questions.schema.json and every cross-reference), the
renderer (deterministic HTML, no answer readable before the reader answers) and how bad input is answered."""
from __future__ import annotations

import base64
import json
import re

import pytest
import yaml

from hrher2 import quiz

LESSONS = sorted(quiz.lesson_pages())  # every lesson notebook, '00' to '13'


@pytest.fixture(scope="module")
def bank():
    return quiz.load_bank()


def _write(folder, questions):
    (folder / "questions.yaml").write_text(yaml.safe_dump(questions, sort_keys=False, allow_unicode=True))


def _questions(folder):
    return yaml.safe_load((folder / "questions.yaml").read_text())


def test_every_lesson_has_questions_and_objectives(bank):
    lessons = {q["lesson"] for q in bank.questions if q["set"] == "lesson"}
    assert "13" in LESSONS and lessons == set(LESSONS)
    assert {o["lesson"] for o in bank.objectives} >= lessons
    for q in bank.questions:
        assert sum(o["correct"] for o in q["options"]) == 1
        assert all(o["feedback"].strip() for o in q["options"])


def test_every_objective_is_assessed_and_names_a_real_section(bank):
    assessed = {q["objective"] for q in bank.questions}
    for o in bank.objectives:
        assert o["objective_id"] in assessed, f"objective {o['objective_id']} has no question"
        assert o["objective"].split()[0] == o["verb"], o["objective_id"]


def test_assessment_questions_have_vignettes(bank):
    final = [q for q in bank.questions if q["set"] == "assessment"]
    assert len(final) >= 40
    assert {q["lesson"] for q in final} == set(LESSONS), "the assessment covers every lesson"
    assert {q["objective"] for q in final} == {o["objective_id"] for o in bank.objectives}, "and every objective"
    for q in bank.questions:
        if q["set"] == "assessment":
            assert q.get("vignette") and q["id"].startswith("a")


@pytest.mark.parametrize("break_it, words", [
    (lambda qs: qs[0]["options"][0].update(correct=not qs[0]["options"][0]["correct"]), "exactly one option"),
    (lambda qs: qs[0]["options"][1].pop("feedback"), "'feedback' is a required property"),
    (lambda qs: qs[0].update(objective="00.9"), "objective 00.9 is not in data/objectives.csv"),
    (lambda qs: qs[0].update(rests_on=["erratum:E99"]), "data/errata.csv has no erratum E99"),
    (lambda qs: qs[0].update(rests_on=["row:trial_results:no-such-row"]), "data/trial_results.csv has no row"),
    (lambda qs: qs[0].update(rests_on=["row:nope:x"]), "names no table"),
    (lambda qs: qs[0].update(rests_on=["ref:NoSuchKey1999"]), "no bibkey 'NoSuchKey1999'"),
    (lambda qs: qs[0].update(revisit="9. Nowhere"), "is not a '##' heading of lesson"),
    (lambda qs: qs.append(dict(qs[0])), "the id is used twice"),
    (lambda qs: qs[0].update(lesson="05"), "do not match its lesson 05"),
])
def test_bad_bank_is_one_sentence_naming_file_and_question(data_copy, break_it, words):
    qs = _questions(data_copy)
    qid = qs[0]["id"]
    break_it(qs)
    _write(data_copy, qs)
    with pytest.raises(quiz.QuizError) as info:
        quiz.check_bank(data_copy)
    msg = str(info.value)
    assert words in msg, msg
    assert msg.startswith("data/questions.yaml") and qid in msg, msg
    assert "\n" not in msg and "Traceback" not in msg


def test_broken_yaml_and_bad_objectives_are_plain_sentences(data_copy):
    (data_copy / "questions.yaml").write_text("- id: [unclosed\n")
    with pytest.raises(quiz.QuizError, match=r"^data/questions.yaml is not valid YAML at line \d+"):
        quiz.check_bank(data_copy)
    _write(data_copy, _questions(quiz._data_dir(None)))
    rows = (data_copy / "objectives.csv").read_text().splitlines()
    cols = rows[1].split(",")
    rows[1] = ",".join(cols[:-1] + ["No such heading"]) if not rows[1].endswith('"') else rows[1]
    (data_copy / "objectives.csv").write_text("\n".join(rows) + "\n")
    with pytest.raises(quiz.QuizError, match=r"data/objectives.csv, objective \d\d\.\d: section"):
        quiz.check_bank(data_copy)


def test_ipython_shows_the_sentence_not_a_traceback():
    err = quiz.QuizError("data/questions.yaml, question q00-x: bad.")
    assert err._render_traceback_() == ["QuizError: data/questions.yaml, question q00-x: bad."]
    with pytest.raises(quiz.QuizError, match="there is no lesson '42'"):
        quiz.show("42")


def _visible_text(html_text: str) -> str:
    """Everything a reader or a screen reader could get before answering: the HTML minus the quiz script's source,
    with the base64 payload left as it is."""
    return re.sub(r"<(script|style)>.*?</\1>", "", html_text, flags=re.S)


@pytest.mark.parametrize("lesson", LESSONS)
def test_show_is_deterministic_and_hides_every_answer(bank, lesson):
    out = quiz.show(lesson)
    assert out.html == quiz.show(lesson).html
    page = _visible_text(out.html)
    qs = [q for q in bank.questions if q["lesson"] == lesson and q["set"] == "lesson"]
    for q in qs:
        assert q["stem"].replace("'", "&#x27;").replace('"', "&quot;")[:40] in page or q["stem"][:20] in page
        for o in q["options"]:
            # the feedback is not in the page, and nothing marks which option is right
            assert o["feedback"] not in page and json.dumps(o["feedback"])[1:-1] not in page
    tags = " ".join(re.findall(r"<[^>]+>", page))
    assert not re.search(r"\s(data-[a-z-]*(correct|answer|right)[a-z-]*|checked)[=\s>]", tags), "an option is marked"
    assert 'class="hq-q hq-' not in page, "an option is marked"
    payload = re.search(r'class="hq-data">([^<]+)<', out.html).group(1)
    secret = json.loads(base64.b64decode(payload))
    assert [s["c"] for s in secret] == [next(i for i, o in enumerate(q["options"]) if o["correct"]) for q in qs]
    assert "Self-check questions for lesson" in repr(out) and str(len(qs)) in repr(out)


def test_assessment_and_progress_link_to_real_sections(bank):
    from docutils.nodes import make_id
    html_text = quiz.progress_html()
    plan = json.loads(re.search(r'class="hq-plan">(.*?)</script>', html_text, re.S).group(1))
    assert [p["lesson"] for p in plan] == sorted({o["lesson"] for o in bank.objectives})
    for lesson in plan:
        for o in lesson["objectives"]:
            assert o["url"].endswith("#" + make_id(o["section"]))
            assert o["questions"], o["id"]


def test_objectives_are_listed_in_their_lessons_overview(bank):
    """The Overview of every lesson opens with 'By the end of this lesson you will be able to:' and lists its
    objectives, in data/objectives.csv's words and order."""
    for lesson, path in quiz.lesson_pages().items():
        overview = "".join(json.loads(path.read_text(encoding="utf-8"))["cells"][0]["source"])
        assert "By the end of this lesson you will be able to:" in overview, lesson
        listed = [" ".join(m.split()) for m in re.findall(r"^\d\. (.+?)(?=^\d\. |^\s*$)", overview, re.M | re.S)]
        wanted = [o["objective"] for o in bank.objectives if o["lesson"] == lesson]
        assert 3 <= len(wanted) <= 5, lesson
        assert listed[:len(wanted)] == wanted, (lesson, listed, wanted)


_NAMES = re.compile(r"DESTINY-Breast\d+|HER2CLIMB-\d+|T-DM1|CDK4/6|SYSUCC-\d+|LBA\d+|HER2|lesson \d\d")


def test_every_number_in_a_later_evidence_question_is_in_the_rows_it_rests_on(bank):
    """Questions on evidence from after the review (lesson 13) quote only numbers that data/since_review.csv prints,
    in the rows the question names (1 is the line of no effect)."""
    import csv

    with open(quiz._data_dir(None) / "since_review.csv", encoding="utf-8", newline="") as fh:
        rows = {r["result_id"]: r for r in csv.DictReader(fh)}  # as printed (numbers as text, not floats)
    later = [q for q in bank.questions if q["lesson"] == "13"]
    assert 3 <= sum(q["set"] == "lesson" for q in later) <= 5 and 3 <= sum(q["set"] == "assessment" for q in later) <= 4
    for q in later:
        cited = [s.split(":", 2)[2] for s in q["rests_on"] if s.startswith("row:since_review:")]
        assert cited, f"{q['id']} rests on no row of since_review.csv"
        printed = " ".join(v for rid in cited for v in rows[rid].values())
        tokens = set(re.findall(r"\d{4}-\d{2}-\d{2}|\d+(?:\.\d+)?", printed)) | {"1"}
        text = " ".join([q["stem"], q.get("vignette", "")] + [o[k] for o in q["options"] for k in ("text", "feedback")])
        for number in re.findall(r"\d{4}-\d{2}-\d{2}|\d+(?:\.\d+)?", _NAMES.sub(" ", text)):
            assert number in tokens, f"{q['id']}: {number} is not printed in {', '.join(cited)}"


def test_instructor_guide_lists_every_objective_under_its_lesson(bank, root=None):
    """The instructor guide's section for each lesson lists that lesson's objectives (generated from
    data/objectives.csv by scripts/gen_docs.py, so the wording is the data's)."""
    guide = (quiz.ROOT / "book" / "instructor_guide.md").read_text(encoding="utf-8")
    sections = dict(re.findall(r"(?ms)^## (\d\d) · .*?\n(.*?)(?=^## |\Z)", guide))
    assert sorted(sections) == LESSONS
    for o in bank.objectives:
        body = sections[o["lesson"]]
        assert f"**{o['objective_id']}** {o['objective'][:1].upper()}{o['objective'][1:]}." in body, o["objective_id"]
        assert f"Taught in *{o['section']}*" in body, o["objective_id"]
    assert "(objective 1)" not in guide  # the old hand-numbered aims are gone
