"""Read a token-broker token envelope from SSM Parameter Store with boto3.

The Python counterpart of the TypeScript reader (``@token-broker/reader``): one decrypted
``GetParameter`` per instance, the envelope validated, and the token kept in memory until its
``expiresAt`` minus the minimum validity. An expired token, or one with less than the minimum
validity left, is never returned. Error messages name the instance and the parameter, never the
token.

Environment: ``TOKEN_BROKER_PARAMETER_PREFIX`` (required, such as ``/token-broker/prod``) and
``TOKEN_BROKER_MIN_VALIDITY_SECONDS`` (default 60). The Lambda needs ``ssm:GetParameter`` on
``{prefix}/{name}`` (and ``kms:Decrypt`` with a customer-managed key).

Example::

    from token_broker_reader import authorization_headers

    def handler(event, context):
        headers = authorization_headers("cw-sandbox")  # Authorization plus X-Site
        ...
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
from datetime import datetime, timezone
from typing import Any

import boto3

ENVELOPE_VERSION = 1
PENDING_TOKEN_VALUE = '{"pending":true}'
DEFAULT_MIN_VALIDITY_SECONDS = 60

_ENVELOPE_KEYS = {
    "version", "name", "provider", "tokenType", "token",
    "issuedAt", "expiresAt", "refreshAt", "baseUrl", "headers",
}
_ISO_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$")
# Visible ASCII, space and tab: what an HTTP header value may hold.
_HEADER_SAFE = re.compile(r"^[\t\x20-\x7e]*$")
_HTTP_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")


class GetTokenError(Exception):
    """A token could not be handed out; the base of every error here."""

    def __init__(self, instance: str, parameter_name: str, detail: str):
        super().__init__(f'token "{instance}" (parameter {parameter_name}): {detail}')
        self.instance = instance
        self.parameter_name = parameter_name


class TokenNotFoundError(GetTokenError):
    """The parameter does not exist: wrong name or prefix, or not deployed."""


class TokenNotPublishedError(TokenNotFoundError):
    """The parameter still holds the placeholder written at deployment."""


class TokenExpiredError(GetTokenError):
    """The stored token expires within the minimum validity: the refresher is behind."""


class MalformedTokenError(GetTokenError):
    """The value is not a valid token envelope for this instance."""


def _instant(text: str) -> float:
    """Epoch seconds of an ISO 8601 UTC instant such as 2026-11-22T09:00:00.000Z."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc).timestamp()


def _problem(instance: str, value: Any) -> str | None:
    """What is wrong with an envelope (the same rules as the TypeScript reader), never the token."""
    if not isinstance(value, dict):
        return "the value is not a JSON object"
    unknown = next((key for key in value if key not in _ENVELOPE_KEYS), None)
    if unknown is not None:
        return f'unknown field "{unknown}"'
    if value.get("version") != ENVELOPE_VERSION:
        return f"unsupported version (expected {ENVELOPE_VERSION})"
    for field in ("name", "provider", "tokenType", "token"):
        text = value.get(field)
        if not isinstance(text, str) or text == "":
            return f'"{field}" must be a non-empty string'
        if not _HEADER_SAFE.match(text):
            return f'"{field}" contains characters not allowed in an HTTP header'
    for field in ("issuedAt", "expiresAt", "refreshAt"):
        text = value.get(field)
        if not isinstance(text, str) or not _ISO_INSTANT.match(text):
            return f'"{field}" must be an ISO 8601 UTC instant'
    issued, expires, refresh = (_instant(value[f]) for f in ("issuedAt", "expiresAt", "refreshAt"))
    if not issued < expires:
        return '"expiresAt" must be after "issuedAt"'
    if refresh < issued or refresh > expires:
        return '"refreshAt" must lie between "issuedAt" and "expiresAt"'
    base_url = value.get("baseUrl")
    if base_url is not None and not (isinstance(base_url, str) and re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", base_url)):
        return '"baseUrl" must be an absolute URL'
    headers = value.get("headers")
    if not isinstance(headers, dict):
        return '"headers" must be an object of strings'
    for key, header in headers.items():
        if not _HTTP_TOKEN.match(key):
            return f'header name "{key}" is not a valid token'
        if not isinstance(header, str) or not _HEADER_SAFE.match(header):
            return f'header "{key}" must be a header-safe string'
    if value["name"] != instance:
        return f'it is the token of instance "{value["name"]}"'
    return None


class TokenReader:
    """Reads and caches token envelopes; keep one per process (module level in a Lambda)."""

    def __init__(self, parameter_prefix: str | None = None, min_validity_seconds: float | None = None,
                 ssm_client: Any = None):
        prefix = parameter_prefix or os.environ.get("TOKEN_BROKER_PARAMETER_PREFIX", "")
        if not re.match(r"^(/[A-Za-z0-9_.-]+)+$", prefix):
            raise ValueError("TOKEN_BROKER_PARAMETER_PREFIX must be an SSM path such as /token-broker/prod")
        self.parameter_prefix = prefix
        minimum = min_validity_seconds
        if minimum is None:
            minimum = float(os.environ.get("TOKEN_BROKER_MIN_VALIDITY_SECONDS", DEFAULT_MIN_VALIDITY_SECONDS))
        self.min_validity_seconds = minimum
        self._ssm = ssm_client
        self._cache: dict[str, tuple[dict[str, Any], float]] = {}
        self._lock = threading.Lock()

    def _client(self) -> Any:
        if self._ssm is None:
            self._ssm = boto3.client("ssm")
        return self._ssm

    def _read(self, name: str, parameter_name: str) -> dict[str, Any]:
        try:
            output = self._client().get_parameter(Name=parameter_name, WithDecryption=True)
        except Exception as error:  # botocore's ClientError and connection errors alike
            code = getattr(error, "response", {}).get("Error", {}).get("Code")
            if code == "ParameterNotFound":
                raise TokenNotFoundError(name, parameter_name, "the parameter does not exist") from None
            raise GetTokenError(name, parameter_name, f"reading SSM failed: {type(error).__name__}") from error
        text = output.get("Parameter", {}).get("Value")
        if text is None:
            raise MalformedTokenError(name, parameter_name, "the value is not a valid token envelope: it has no value")
        if text == PENDING_TOKEN_VALUE:
            raise TokenNotPublishedError(name, parameter_name, "no token has been published yet")
        try:
            envelope = json.loads(text)
        except ValueError:
            envelope = None
            problem: str | None = "the value is not JSON"
        else:
            problem = _problem(name, envelope)
        if problem is not None:
            raise MalformedTokenError(name, parameter_name, f"the value is not a valid token envelope: {problem}")
        return envelope

    def get_token(self, name: str, force_fetch: bool = False) -> dict[str, Any]:
        """The instance's envelope, valid for at least the minimum validity; one SSM read, then cached."""
        parameter_name = f"{self.parameter_prefix}/{name}"
        with self._lock:
            cached = self._cache.get(name)
            if cached is not None and not force_fetch and cached[1] - self.min_validity_seconds > time.time():
                return cached[0]
            envelope = self._read(name, parameter_name)
            expires_at = _instant(envelope["expiresAt"])
            if expires_at - self.min_validity_seconds <= time.time():
                self._cache.pop(name, None)
                raise TokenExpiredError(
                    name, parameter_name,
                    f"the stored token expires at {envelope['expiresAt']}, "
                    f"less than {self.min_validity_seconds:g} s from now",
                )
            self._cache[name] = (envelope, expires_at)
            return envelope

    def authorization_headers(self, name: str) -> dict[str, str]:
        """The instance's extra headers (X-Site for Crisisworks) plus Authorization."""
        envelope = self.get_token(name)
        return {**envelope["headers"], "Authorization": f"{envelope['tokenType']} {envelope['token']}"}


_default: TokenReader | None = None


def _reader() -> TokenReader:
    global _default
    if _default is None:
        _default = TokenReader()
    return _default


def get_token(name: str, force_fetch: bool = False) -> dict[str, Any]:
    """``TokenReader.get_token`` of a reader configured from the environment."""
    return _reader().get_token(name, force_fetch)


def authorization_headers(name: str) -> dict[str, str]:
    """``TokenReader.authorization_headers`` of a reader configured from the environment."""
    return _reader().authorization_headers(name)
