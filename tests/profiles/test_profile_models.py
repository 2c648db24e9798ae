"""The profile models themselves, as code reading a profile uses them: built, compared, copied,
dumped and shown, never echoing a secret; a vendor's model with a type crmtui cannot check fails
when its module is imported, not when a user opens a profile."""

from __future__ import annotations

import copy
import pickle
from typing import Literal

import pytest

from crmtui.backends.leadsquared.profile import LeadSquaredProfile
from crmtui.backends.sharpspring.profile import SharpSpringProfile
from crmtui.model.profile import CommandRef, EnvRef, KeyringRef, ProfileBase
from crmtui.model.shape import Invalid, Model, field
from crmtui.profiles.model import Config

from .conftest import CANARY

BASE = {"name": "ss", "vendor": "sharpspring", "base_url": "https://x.example", "account_id": "a"}


def test_a_profile_is_built_from_its_table_with_defaults() -> None:
    profile = SharpSpringProfile.model_validate({**BASE, "secret_key": {"env": "K"}})
    assert profile.secret_key == EnvRef(env="K")
    assert (profile.mode, profile.timeout, profile.api_version) == ("confirm-writes", 30.0, "v1.2")
    assert profile.model_fields_set == {*BASE, "secret_key"}
    assert SharpSpringProfile.model_validate(profile) is profile


def test_problems_are_listed_at_once_without_the_values() -> None:
    with pytest.raises(Invalid) as raised:
        SharpSpringProfile.model_validate({**BASE, "secret_key": 5, "timeout": CANARY, "x": 1})
    kinds = [(e["type"], e["loc"]) for e in raised.value.errors()]
    assert kinds == [
        ("float_parsing", ("timeout",)),
        ("secret_value", ("secret_key",)),
        ("extra_forbidden", ("x",)),
    ]
    assert CANARY not in str(raised.value)


def test_a_literal_secret_stays_out_of_repr_and_str() -> None:
    profile = SharpSpringProfile.model_validate({**BASE, "secret_key": CANARY})
    assert CANARY not in repr(profile) and CANARY not in str(profile)
    assert "secret_key='***'" in repr(profile)
    assert profile.model_dump()["secret_key"] == CANARY  # what the writer needs


def test_references_compare_by_value_and_cannot_change() -> None:
    assert EnvRef(env="A") == EnvRef(env="A") != EnvRef(env="B")
    assert len({KeyringRef(keyring="s/u"), KeyringRef(keyring="s/u")}) == 1
    assert str(CommandRef(command="pass show x")) == '{ command = "pass show x" }'
    with pytest.raises(AttributeError):
        EnvRef(env="A").env = "B"  # type: ignore[misc]
    with pytest.raises(Invalid):
        KeyringRef(keyring="no-user")


def test_copies_and_dumps() -> None:
    table: dict[str, object] = {
        "name": "l",
        "vendor": "leadsquared",
        "base_url": "https://x.example",
    }
    table |= {"access_key": "a", "secret_key": {"env": "S"}}
    profile = LeadSquaredProfile.model_validate(table)
    changed = profile.model_copy(update={"mode": "write"})
    assert (changed.mode, profile.mode) == ("write", "confirm-writes")
    dumped = changed.model_dump(mode="json", exclude_unset=True, exclude={"name"})
    assert dumped == {
        "vendor": "leadsquared",
        "base_url": "https://x.example",
        "mode": "write",
        "access_key": "a",
        "secret_key": {"env": "S"},
    }
    assert "api_key" not in profile.model_dump(exclude_none=True)
    assert copy.deepcopy(profile) == profile == pickle.loads(pickle.dumps(profile))
    assert copy.copy(profile).model_fields_set == profile.model_fields_set
    config = Config(default_profile="ss")
    assert config.model_dump(mode="json")["default_profile"] == "ss"
    assert "path" not in config.model_dump()  # crmtui's own, never written


def test_a_vendor_model_with_an_uncheckable_type_fails_on_import() -> None:
    with pytest.raises(TypeError, match=r"int \| str"):

        class Odd(ProfileBase):
            vendor: Literal["odd"]
            either: int | str = 1

    class Fine(ProfileBase):
        vendor: Literal["fine"]
        widgets: int = field(default=3, ge=0)

    made = Fine.model_validate({"name": "f", "vendor": "fine", "base_url": "https://f.example"})
    assert made.widgets == 3
    with pytest.raises(Invalid, match="greater than or equal to 0"):
        Fine.model_validate({**made.model_dump(), "widgets": "-1"})
    assert issubclass(Fine, Model)
