"""Our real app under uvicorn on a free loopback port, shared by the load-testing tests that target it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.performance.servers import api_server


@pytest.fixture(scope="session")
def api_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with api_server(tmp_path_factory.mktemp("loadtest-api")) as url:
        yield url
