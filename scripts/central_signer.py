"""Schemathesis hooks that sign every request as an enrolled kiosk would.

A second, independent implementation of the link's signing (RFC 9421 with Ed25519, RFC 9530
Content-Digest), in Python: kiosk-central accepting it shows the protocol is what
docs/central-api.yaml says, not only what the Swift client happens to do. It lets the fuzzer
reach the handlers behind the signature check instead of being stopped at 401.

Environment: CENTRAL_URL (the central), FUZZ_KIOSK (the kiosk id) and FUZZ_TOKEN (a one-time
enrolment token for it). The key is made at import and enrolled on first use.
"""

import base64
import hashlib
import json
import os
import secrets
import threading
import time
from urllib.parse import urlsplit

import requests
import schemathesis
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

COMPONENTS = ["@method", "@authority", "@path", "@query", "content-type", "content-digest"]


def sf_bytes(data: bytes) -> str:
    return ":" + base64.b64encode(data).decode() + ":"


class KioskSigner(requests.auth.AuthBase):
    """Adds Content-Digest, Signature-Input and Signature to a prepared request."""

    def __init__(self, key: Ed25519PrivateKey, kiosk_id: str):
        self.key = key
        self.kiosk_id = kiosk_id

    def __call__(self, request):
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        url = urlsplit(request.url)
        request.headers.setdefault("Content-Type", "application/json")
        request.headers["Content-Digest"] = "sha-256=" + sf_bytes(hashlib.sha256(body).digest())
        params = '({});created={};keyid="{}";nonce="{}";alg="ed25519"'.format(
            " ".join(f'"{c}"' for c in COMPONENTS), int(time.time()), self.kiosk_id, secrets.token_urlsafe(16)
        )
        values = {
            "@method": request.method.upper(),
            "@authority": url.netloc.lower(),
            "@path": url.path or "/",
            "@query": "?" + url.query,
            "content-type": request.headers["Content-Type"].strip(),
            "content-digest": request.headers["Content-Digest"],
        }
        base = "\n".join(f'"{c}": {values[c]}' for c in COMPONENTS) + f'\n"@signature-params": {params}'
        request.headers["Signature-Input"] = "sig1=" + params
        request.headers["Signature"] = "sig1=" + sf_bytes(self.key.sign(base.encode()))
        return request


KEY = Ed25519PrivateKey.generate()
SIGNER = KioskSigner(KEY, os.environ["FUZZ_KIOSK"])
_enrolled = threading.Lock()
_done = False


def enrol_once():
    """Registers the key with the central (the enrolment is itself signed by that key)."""
    global _done
    with _enrolled:
        if _done:
            return
        public = KEY.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        body = json.dumps(
            {
                "token": os.environ["FUZZ_TOKEN"],
                "kioskId": SIGNER.kiosk_id,
                "publicKey": base64.b64encode(public).decode(),
                "softwareVersion": "fuzz",
            }
        )
        answer = requests.post(
            os.environ["CENTRAL_URL"] + "/v1/enrolments",
            data=body,
            headers={"Content-Type": "application/json"},
            auth=SIGNER,
            timeout=30,
        )
        if answer.status_code != 200:
            raise RuntimeError(f"enrolment refused: {answer.status_code} {answer.text}")
        _done = True


@schemathesis.hook
def before_call(context, case, kwargs):
    enrol_once()
    kwargs["auth"] = SIGNER
