"""Helpers shared by the live tests."""

from collections.abc import Callable

import pytest

SecretCheck = Callable[[BaseException, str], None]


def check_no_secret(error: BaseException, secret: str) -> None:
    """`secret` is in none of the message, str, repr, args or chained exceptions."""
    seen: BaseException | None = error
    while seen is not None:
        assert secret not in str(seen)
        assert secret not in repr(seen)
        assert all(secret not in str(argument) for argument in seen.args)
        seen = seen.__cause__ or seen.__context__


@pytest.fixture
def no_secret() -> SecretCheck:
    """A check that an exception and its chain never mention a secret."""
    return check_no_secret
