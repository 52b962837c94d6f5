"""The health check answers for the load balancer."""


def test_healthz_answers_ok_with_the_database_up(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
