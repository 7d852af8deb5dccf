"""The generator never overwrites an edited exercise without a backup."""

import nbformat

from workshop.authoring import exercises


def test_an_edited_exercise_is_backed_up(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(exercises, "EXERCISES", tmp_path)
    monkeypatch.setattr(exercises, "KIT_ROOT", tmp_path)
    target = tmp_path / "01-demo.ipynb"
    generated = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("answer = ...")])
    edited = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("answer = 42")])
    nbformat.write(edited, target)

    backup = exercises.back_up_if_edited(target, generated)

    assert backup is not None and backup.read_bytes() == target.read_bytes()
    assert "backed up 01-demo.ipynb" in capsys.readouterr().out


def test_two_backups_in_one_second_keep_both(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(exercises, "EXERCISES", tmp_path)
    monkeypatch.setattr(exercises, "KIT_ROOT", tmp_path)
    monkeypatch.setattr(exercises.time, "strftime", lambda fmt: "20300101-120000")
    target = tmp_path / "01-demo.ipynb"
    generated = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("answer = ...")])
    backups = []
    for answer in (1, 2):
        nbformat.write(nbformat.v4.new_notebook(
            cells=[nbformat.v4.new_code_cell(f"answer = {answer}")]), target)
        backups.append(exercises.back_up_if_edited(target, generated))
    assert backups[0] != backups[1]
    assert ["answer = 1" in b.read_text() for b in backups] == [True, False]


def test_an_unchanged_exercise_needs_no_backup(tmp_path, monkeypatch):
    monkeypatch.setattr(exercises, "EXERCISES", tmp_path)
    target = tmp_path / "01-demo.ipynb"
    generated = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("answer = ...")])
    nbformat.write(generated, target)
    assert exercises.back_up_if_edited(target, generated) is None
    assert not (tmp_path / ".backups").exists()
