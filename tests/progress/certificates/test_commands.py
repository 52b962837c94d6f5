"""verify_credential checks a downloaded credential or PDF offline and says why a bad one fails."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from progress.credentials import jwks


def test_verify_credential_command_offline(completed, tmp_path):
    good = tmp_path / "good.jwt"
    good.write_text(completed.credential)
    out = io.StringIO()
    call_command("verify_credential", str(good), stdout=out)
    assert "VALID" in out.getvalue() and "Ada Lovelace" in out.getvalue()
    pdf = tmp_path / "cert.pdf"
    pdf.write_bytes(completed.pdf.read())
    call_command("verify_credential", str(pdf), stdout=io.StringIO())
    keys = tmp_path / "jwks.json"
    keys.write_text(json.dumps(jwks()))
    call_command("verify_credential", str(good), "--jwks", str(keys), stdout=io.StringIO())
    tampered = tmp_path / "bad.jwt"
    tampered.write_text(completed.credential[:-4] + ("AAAA" if not completed.credential.endswith("AAAA") else "BBBB"))
    with pytest.raises(CommandError, match="NOT VALID"):
        call_command("verify_credential", str(tampered))
