"""Every user-facing string in the reviewed data files is in the translation catalogue."""

from django.core.management import call_command


def test_content_strings_are_up_to_date() -> None:
    call_command("extract_content_strings", check=True)


def test_a_child_s_answer_labels_are_in_the_catalogue() -> None:
    from rehabit.clinical import load_questionnaire
    from rehabit.core.content_strings import STRINGS

    labels = {
        label
        for question in load_questionnaire().questions.values()
        for label in question.child_labels.values()
    }
    assert "Yes, but my child limps" in labels
    assert labels <= set(STRINGS)
    # Only the labels: an option value is not prose for translators.
    assert "limping" not in STRINGS and "no_clear_reason" not in STRINGS
