import pytest

from notifications.testing.stubs import SmsStub, ZaloStub, sms_settings, zalo_settings


@pytest.fixture
def zalo(settings):
    settings.NOTIFY_HTTP_TIMEOUT = 1
    with ZaloStub(timeout_delay=2) as stub:
        settings.NOTIFY_ZALO = zalo_settings(stub)
        yield stub


@pytest.fixture
def sms(settings):
    settings.NOTIFY_HTTP_TIMEOUT = 1
    with SmsStub(timeout_delay=2) as stub:
        settings.NOTIFY_SMS = sms_settings(stub)
        yield stub
