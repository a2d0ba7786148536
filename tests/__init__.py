import pytest

# The helpers assert on answers for the tests that call them; rewriting their asserts gives
# the same detailed failure messages as an assert written in the test itself. It must be
# registered before the first helper is imported.
pytest.register_assert_rewrite("tests.helpers")
