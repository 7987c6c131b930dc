"""Self-check questions: immediate feedback in the kernel; the notebook also carries the answer in a
``<details>`` block so that it stays readable (hidden until opened) on the static book page."""
from __future__ import annotations

import html

import ipywidgets as W

__all__ = ["grade", "multiple_choice"]


def grade(choice: str | None, options: list[str], correct: str, explanation: str) -> tuple[bool, str]:
    """Mark one answer. Returns (is_correct, feedback in words). Never raises on a bad choice."""
    if correct not in options:
        raise ValueError(f"The correct answer {correct!r} is not one of the options {options!r}.")
    if choice is None or choice == "":
        return False, "Choose an answer first."
    if choice not in options:
        return False, f"{choice!r} is not one of the options."
    if choice == correct:
        return True, f"Correct. {explanation}"
    return False, f"Not quite: you chose {choice!r}. {explanation}"


def multiple_choice(question: str, options: list[str], correct: str, explanation: str) -> W.VBox:
    """A radio-button question with a Check button and feedback."""
    grade(correct, options, correct, explanation)  # validates the question itself
    radio = W.RadioButtons(options=options, value=None, layout=W.Layout(width="auto"))
    # Okabe-Ito blue with white text: contrast 5:1 (the widgets' own "primary" blue fails WCAG AA)
    button = W.Button(description="Check", tooltip="Check your answer",
                      style={"button_color": "#0072B2", "text_color": "white"})
    feedback = W.HTML()

    def on_click(_):
        ok, text = grade(radio.value, options, correct, explanation)
        colour = "#006400" if ok else "#8B0000"
        feedback.value = f'<p role="status" style="color:{colour}">{html.escape(text)}</p>'

    button.on_click(on_click)
    return W.VBox([W.HTML(f"<p><strong>{html.escape(question)}</strong></p>"), radio, button, feedback])
