"""plotly.js and its base styles come from our own origin, out of the plotly wheel, cacheable."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient

from ecredit.web import plotly_assets


class TestPlotlyAssets:
    def test_serves_the_wheels_bundle_for_a_year(self, app: FastAPI, client: TestClient) -> None:
        response = client.get(plotly_assets.js_url())
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/javascript")
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert f"v{plotly_assets.version()}" in response.text[:200]  # the bundle's banner
        assert "Plotly" in response.text

    def test_sends_gzip_when_accepted_and_304_when_cached(
        self, app: FastAPI, client: TestClient
    ) -> None:
        url = plotly_assets.js_url()
        raw = client.get(url, headers={"Accept-Encoding": "identity"})
        assert "content-encoding" not in raw.headers
        packed = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert packed.headers["content-encoding"] == "gzip"
        assert len(packed.content) == len(raw.content)  # httpx decoded it
        assert int(packed.headers["content-length"]) < len(raw.content) / 2
        again = client.get(url, headers={"If-None-Match": raw.headers["etag"]})
        assert again.status_code == 304
        assert again.content == b""

    def test_serves_plotlys_base_styles_as_a_stylesheet(
        self, app: FastAPI, client: TestClient
    ) -> None:
        response = client.get(plotly_assets.css_url())
        assert response.headers["content-type"].startswith("text/css")
        css = response.text
        assert ".js-plotly-plot .plotly .main-svg{position:absolute;" in css
        assert ".plotly-notifier{" in css  # a rule whose key the minifier left unquoted
        assert css.count("{") == css.count("}") > 50

    def test_serves_the_map_styles_plotly_would_inline(
        self, app: FastAPI, client: TestClient
    ) -> None:
        response = client.get(plotly_assets.maps_css_url())
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/css")
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
        css = response.text
        assert css.startswith(".maplibregl-map{")
        assert css.count("{") == css.count("}") > 50
        # The page links it under the id the bundle looks for before inlining its own copy.
        bundle = client.get(plotly_assets.js_url()).text
        assert f'getElementById("{plotly_assets.maps_css_id()}")' in bundle
        assert css in bundle

    def test_answers_404_for_another_version_or_file(
        self, app: FastAPI, client: TestClient
    ) -> None:
        assert client.get("/static/vendor/plotly-0.0.1.min.js").status_code == 404
        assert client.get("/static/vendor/jquery.js").status_code == 404
        assert client.get("/static/portal.css").status_code == 200  # the mount still works

    def test_names_the_problem_when_the_bundle_changes_shape(self) -> None:
        with pytest.raises(ValueError, match="base style rules were not found"):
            plotly_assets.base_css("function(){}")
        with pytest.raises(ValueError, match="unreadable style rule"):
            plotly_assets.base_css('{"X,X div":margin}')
        with pytest.raises(ValueError, match="map styles were not found"):
            plotly_assets.maps_css("function(){}")
