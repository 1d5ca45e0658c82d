import pytest
from django.contrib.auth import authenticate, get_user_model
from django.db import IntegrityError


def test_email_is_the_login_and_case_insensitive(db):
    User = get_user_model()
    user = User.objects.create_user("Ana.Lopez@Example.org", "a long passphrase")
    assert user.email == "Ana.Lopez@example.org"  # the domain is normalised, the local part kept
    assert authenticate(username="ana.lopez@example.org", password="a long passphrase") == user


def test_two_accounts_cannot_share_an_address_in_any_case(db):
    User = get_user_model()
    User.objects.create_user("ana@example.org", "pw-one-long")
    with pytest.raises(IntegrityError):
        User.objects.create_user("ANA@example.org", "pw-two-long")


def test_superuser_is_staff(db):
    admin = get_user_model().objects.create_superuser("root@example.org", "a long passphrase")
    assert (admin.is_staff, admin.is_superuser, admin.get_username()) == (True, True, "root@example.org")


def test_signup_requires_email_verification(client, db, mailoutbox):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "new@example.org",
            "password1": "a long passphrase 1",
            "password2": "a long passphrase 1",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "[UPR Cities] Please Confirm Your Email Address"
    assert mailoutbox[0].to == ["new@example.org"]
    # Not logged in until the address is confirmed.
    assert client.get("/organize/").status_code == 302


def test_signup_with_bad_input_keeps_the_email_and_explains(client, db):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "new@example.org",
            "password1": "a long passphrase 1",
            "password2": "something else 2",
        },
    )
    assert response.status_code == 200
    assert 'value="new@example.org"' in response.text
    assert "You must type the same password each time." in response.text
    assert get_user_model().objects.count() == 0
