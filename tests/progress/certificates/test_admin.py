"""Revoking a certificate in the admin, with a reason."""

from django.urls import reverse


def test_admin_revokes_with_a_reason(client, staff_user, completed):
    client.force_login(staff_user)
    url = reverse("admin:progress_certificate_changelist")
    asked = client.post(url, {"action": "revoke", "_selected_action": [completed.pk]})
    assert asked.status_code == 200 and "Reason for revocation" in asked.content.decode()
    client.post(url, {"action": "revoke", "_selected_action": [completed.pk], "apply": "1", "reason": "Fraud"})
    completed.refresh_from_db()
    assert completed.status == "revoked" and completed.revoked_reason == "Fraud"
