"""Pages travel compressed to phones on slow links; files that are compressed already do not."""

import gzip

import pytest
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory

from lms.middleware import CompressTextMiddleware

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}


@pytest.mark.django_db
def test_a_page_is_sent_gzipped_to_a_browser_that_accepts_it(client):
    plain = client.get("/")
    packed = client.get("/", **GZIP)

    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    body = gzip.decompress(packed.content)
    assert b"</html>" in body
    assert len(packed.content) < 0.5 * len(body)


def _through_middleware(response):
    request = RequestFactory().get("/", **GZIP)
    return CompressTextMiddleware(lambda _request: response)(request)


@pytest.mark.parametrize(
    "content_type",
    ["application/pdf", "image/png", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
)
def test_files_that_are_compressed_already_are_left_alone(content_type):
    response = _through_middleware(HttpResponse(b"%PDF-" + b"x" * 5000, content_type=content_type))

    assert "Content-Encoding" not in response
    assert response.content.startswith(b"%PDF-")


@pytest.mark.parametrize(
    "content_type", ["application/json", "text/csv; charset=utf-8", "application/problem+json"]
)
def test_text_and_json_are_compressed(content_type):
    response = _through_middleware(HttpResponse(b'{"a": 1}' * 500, content_type=content_type))

    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content) == b'{"a": 1}' * 500


def test_a_streamed_text_export_is_compressed_as_it_streams():
    response = _through_middleware(
        StreamingHttpResponse((b"ma,ten\n" for _ in range(1000)), content_type="text/csv")
    )

    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(b"".join(response.streaming_content)) == b"ma,ten\n" * 1000
