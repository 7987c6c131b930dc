"""The self-check questions on the built book, in headless Chromium with every other host blocked, done the way a
reader does it: on every lesson page and on the final assessment, choose a wrong option (its own feedback shows),
then the right one; reload (answers and score are still there); "Forget my answers" clears them; the Progress page
shows the scores; before answering, no feedback text is anywhere in the page; printing adds the answer key."""
from __future__ import annotations

import html

import pytest
from conftest import open_offline

from hrher2 import quiz

pytestmark = [pytest.mark.browser, pytest.mark.book]


@pytest.fixture(scope="module")
def bank():
    return quiz.load_bank()


def _norm(s: str) -> str:
    return " ".join(s.split())


def _answer_texts(questions) -> list[str]:
    return [o["feedback"] for q in questions for o in q["options"]]


def _answer(page, q, option: int):
    item = page.locator(f'.hq-q[data-hq-id="{q["id"]}"]')
    item.locator(f'input[value="{option}"]').check()
    item.locator(".hq-check").click()
    return _norm(item.locator(".hq-feedback").inner_text())


def _assert_no_answer_in_page(page, questions):
    body_text = _norm(page.inner_text("body"))
    source = page.content()
    for text in _answer_texts(questions):
        assert _norm(text) not in body_text, f"answer visible before answering: {text[:60]}"
        assert html.escape(text, quote=False) not in source and text not in source, f"answer in the DOM: {text[:60]}"


def _wrong_then_right(page, q):
    right = next(i for i, o in enumerate(q["options"]) if o["correct"])
    wrong = next(i for i, o in enumerate(q["options"]) if not o["correct"])
    said = _answer(page, q, wrong)
    assert said.startswith("Not quite.") and _norm(q["options"][wrong]["feedback"]) in said, said
    assert _norm(q["options"][right]["feedback"]) not in said
    said = _answer(page, q, right)
    assert said.startswith("Correct.") and _norm(q["options"][right]["feedback"]) in said, said


def test_every_lesson_and_the_assessment_answer_persist_and_forget(browser, site, bank):
    page, errors, failed = open_offline(browser, f"{site}/book/progress.html")
    pages = [(f"notebooks/{stem}.html", [q for q in bank.questions if q["lesson"] == lesson and q["set"] == "lesson"])
             for lesson, stem in sorted(bank.pages.items())]
    pages.append(("book/assessment.html", [q for q in bank.questions if q["set"] == "assessment"]))
    answered = []
    for path, questions in pages:
        assert questions, path
        page.goto(f"{site}/{path}", wait_until="networkidle")
        score = page.locator(".hq-score")
        assert score.inner_text() == f"0 of {len(questions)} answered, 0 correct.", path
        assert page.locator(".hq-q").count() == len(questions), path
        _assert_no_answer_in_page(page, questions)
        sample = [questions[0], questions[-1]] if len(questions) > 1 else questions
        for q in sample:
            _wrong_then_right(page, q)
        answered += sample
        assert score.inner_text() == f"{len(sample)} of {len(questions)} answered, {len(sample)} correct.", path
        page.reload(wait_until="networkidle")
        assert score.inner_text() == f"{len(sample)} of {len(questions)} answered, {len(sample)} correct.", path
        for q in sample:
            right = next(i for i, o in enumerate(q["options"]) if o["correct"])
            item = page.locator(f'.hq-q[data-hq-id="{q["id"]}"]')
            assert item.locator(f'input[value="{right}"]').is_checked()
            assert _norm(q["options"][right]["feedback"]) in _norm(item.locator(".hq-feedback").inner_text())
    # the assessment scores per objective and links back to the section of a wrong answer
    q = next(q for q in bank.questions if q["set"] == "assessment")
    wrong = next(i for i, o in enumerate(q["options"]) if not o["correct"])
    _answer(page, q, wrong)
    row = page.locator(".hq-by-objective tr", has_text=bank.objective(q["objective"])["objective"])
    assert "0 of" in row.locator("td").nth(1).inner_text()
    link = row.locator("a")
    assert link.inner_text() == bank.objective(q["objective"])["section"]
    link.click()
    page.wait_for_load_state("networkidle")
    assert f"/notebooks/{bank.pages[q['lesson']]}.html#" in page.url, page.url
    anchor = page.url.split("#")[1]
    assert page.locator(f'section[id="{anchor}"]').count() == 1, f"the link to revisit leads nowhere: {page.url}"
    # the Progress page shows each objective's score
    page.goto(f"{site}/book/progress.html", wait_until="networkidle")
    body = _norm(page.locator(".hq-progress-body").inner_text())
    assert f"{len(answered)} of {len(bank.questions)} answered, {len(answered) - 1} correct" in body, body[:200]
    for q in answered[:3]:
        row = page.locator(f'tr[data-hq-objective="{q["objective"]}"]')
        assert int(row.locator("td").nth(1).inner_text()) >= 1
        assert int(row.locator("td").nth(2).inner_text()) >= (0 if q["set"] == "assessment" else 1)
    page.locator(".hq-forget").click()
    assert f"0 of {len(bank.questions)} answered, 0 correct" in _norm(page.locator(".hq-progress-body").inner_text())
    page.goto(f"{site}/{pages[7][0]}", wait_until="networkidle")
    assert page.locator(".hq-score").inner_text().startswith("0 of"), "forget did not clear the answers"
    assert page.locator(".hq-q input:checked").count() == 0
    assert page.evaluate(f"localStorage.getItem('{quiz.STORAGE_KEY}')") == "{}"
    assert not errors, errors
    assert not failed, failed
    page.context.close()


def test_keyboard_only_answer_and_forget_on_the_lesson_page(browser, site, bank):
    stem = bank.pages["07"]
    q = next(q for q in bank.questions if q["lesson"] == "07" and q["set"] == "lesson")
    page, errors, failed = open_offline(browser, f"{site}/notebooks/{stem}.html")
    page.locator(f'.hq-q[data-hq-id="{q["id"]}"] input').first.focus()
    page.keyboard.press("Space")          # selects option A
    page.keyboard.press("ArrowDown")      # radio group: moves to and selects option B
    page.keyboard.press("Tab")            # to the Check answer button
    page.keyboard.press("Enter")
    item = page.locator(f'.hq-q[data-hq-id="{q["id"]}"]')
    assert item.locator('input[value="1"]').is_checked()
    said = _norm(item.locator(".hq-feedback").inner_text())
    assert _norm(q["options"][1]["feedback"]) in said
    assert item.locator(".hq-feedback").get_attribute("aria-live") == "polite"
    assert page.locator(".hq-score").inner_text().startswith("1 of")
    page.locator(".hq-forget").focus()
    page.keyboard.press("Enter")
    n = sum(x["lesson"] == "07" and x["set"] == "lesson" for x in bank.questions)
    assert page.locator(".hq-score").inner_text() == f"Your answers are forgotten. 0 of {n} answered, 0 correct."
    assert item.locator(".hq-feedback").inner_text() == ""
    assert not errors and not failed, (errors, failed)
    page.context.close()


def test_print_puts_the_answer_key_at_the_end_of_the_lesson(browser, site, bank):
    stem = bank.pages["09"]
    questions = [q for q in bank.questions if q["lesson"] == "09" and q["set"] == "lesson"]
    page, errors, failed = open_offline(browser, f"{site}/notebooks/{stem}.html")
    page.emulate_media(media="print")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")  # what the browser does when a reader prints
    key = page.locator(".hq-key")
    assert key.is_visible()
    text = _norm(key.inner_text())
    for q in questions:
        for o in q["options"]:
            assert _norm(o["feedback"]) in text
    assert page.evaluate("() => { const a = document.querySelector('article'); return a.lastElementChild"
                         ".classList.contains('hq-key'); }"), "the key is not at the end of the lesson"
    assert not page.locator(".hq-check").first.is_visible(), "buttons print"
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    page.emulate_media(media="screen")
    assert not key.is_visible() and key.inner_text() == ""
    _assert_no_answer_in_page(page, questions)
    assert not errors and not failed, (errors, failed)
    page.context.close()
