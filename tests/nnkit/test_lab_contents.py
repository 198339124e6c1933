"""nnkit._lab_contents: the learner's server fills in the kernel's language_info, and only for Python notebooks."""

import sys

from nnkit._lab_contents import kernel_language_info, with_kernel_language_info


def test_a_python_notebook_gets_the_running_pythons_version():
    notebook = {"metadata": {"kernelspec": {"name": "python3", "language": "python"}, "language_info": {"name": "python"}}}
    info = with_kernel_language_info(notebook)["metadata"]["language_info"]
    assert info["version"] == sys.version.split()[0]
    assert info["name"] == "python" and info["mimetype"] == "text/x-python"


def test_a_notebook_of_another_language_is_left_alone():
    notebook = {"metadata": {"kernelspec": {"name": "ir", "language": "R"}, "language_info": {"name": "R"}}}
    assert with_kernel_language_info(notebook)["metadata"]["language_info"] == {"name": "R"}


def test_the_record_is_a_copy():
    kernel_language_info()["version"] = "0.0"
    assert kernel_language_info()["version"] != "0.0"
