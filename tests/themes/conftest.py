import pytest

from themes import registry
from themes.demo import DEMO
from themes.services import dataset_layer_import


@pytest.fixture(autouse=True)
def _forget_layers():
    """The test's transaction (or flush) takes the layers' rows and views away; so must the
    process's list of layers, or later tests would look for views that are gone."""
    registry.reset()
    yield
    registry.reset()


def _demo(name: str, fixtures_dir):
    item = next(i for i in DEMO if i["name"] == name)
    return dataset_layer_import(
        path=fixtures_dir / "themes" / item["file"], name=item["name"], kind=item["kind"],
        title=item["title"], fields=item["fields"], label_field=item["label_field"],
        settings=item["settings"],
    )


@pytest.fixture
def umweltzone(db, fixtures_dir):
    return _demo("umweltzone", fixtures_dir)


@pytest.fixture
def kitas(db, fixtures_dir):
    return _demo("kitas", fixtures_dir)


@pytest.fixture
def schulen(db, fixtures_dir):
    return _demo("schulen", fixtures_dir)
