"""Accounts and roles: the admin's role choice and `manage.py create_account`."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from articles.models import Author
from newsroom import services
from newsroom.models import Role

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_an_administrator_gives_an_account_a_role_from_a_list(client, make_account):
    admin = make_account(Role.ADMINISTRATOR)
    target = make_account(Role.CONTRIBUTOR, "amina")
    client.force_login(admin)
    page = client.get(f"/admin/auth/user/{target.pk}/change/").content.decode()
    assert '<select name="role"' in page
    assert '<option value="contributor" selected>' in page
    response = client.post(
        f"/admin/auth/user/{target.pk}/change/",
        {
            "username": "amina",
            "first_name": "Amina",
            "last_name": "Rauf",
            "email": "amina@example.test",
            "role": "editor",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert services.role_of(target) == Role.EDITOR
    assert target.has_perm("comments.change_comment")
    listing = client.get("/admin/auth/user/").content.decode()
    assert "Editor" in listing


def test_no_one_changes_their_own_role(client, make_account):
    admin = make_account(Role.ADMINISTRATOR)
    client.force_login(admin)
    response = client.post(
        f"/admin/auth/user/{admin.pk}/change/",
        {"username": admin.username, "email": admin.email, "role": "contributor",
         "is_active": "on"},
    )  # fmt: skip
    assert "You cannot change your own role" in response.content.decode()
    assert services.role_of(User.objects.get(pk=admin.pk)) == Role.ADMINISTRATOR


def test_removing_the_role_closes_the_back_office(client, make_account):
    target = make_account(Role.EDITOR, "leaver")
    services.set_role(target, None)
    client.force_login(target)
    assert client.get("/admin/").status_code == 302  # to the sign-in page


def test_the_command_creates_an_account_with_its_role_and_byline(tmp_path):
    secret = tmp_path / "password"
    secret.write_text("correct-horse-battery-9\n")
    out = io.StringIO()
    call_command(
        "create_account",
        "--role=author",
        "--email=omar@example.test",
        "--name=Omar Haddad",
        f"--password-file={secret}",
        stdout=out,
    )
    assert "Created author omar <omar@example.test>." in out.getvalue()
    user = User.objects.get(email="omar@example.test")
    assert user.check_password("correct-horse-battery-9")
    assert services.role_of(user) == Role.AUTHOR
    assert Author.objects.get(user=user).display_name == "Omar Haddad"


def test_the_command_takes_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("NEWSHUB_ACCOUNT_PASSWORD", "correct-horse-battery-9")
    call_command("create_account", "--role=editor", "--email=e@example.test",
                 "--name=Eda Editor", stdout=io.StringIO())  # fmt: skip
    assert services.role_of(User.objects.get(email="e@example.test")) == Role.EDITOR


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--email=not-an-address"], "Enter a valid email address."),
        (["--name= "], "Give the person's name"),
        (["--password=x"], None),  # no such option: never on the command line
    ],
)
def test_the_command_explains_bad_input(arguments, message, monkeypatch):
    monkeypatch.setenv("NEWSHUB_ACCOUNT_PASSWORD", "correct-horse-battery-9")
    base = {"--role": "author", "--email": "a@example.test", "--name": "A Writer"}
    for argument in arguments:
        key, _sep, value = argument.partition("=")
        base[key] = value
    argv = [f"{k}={v}" for k, v in base.items()]
    with pytest.raises(CommandError) as error:
        call_command("create_account", *argv, stdout=io.StringIO())
    if message:
        assert message in str(error.value)
    assert not User.objects.exists()


def test_the_command_refuses_a_weak_password_and_a_taken_email(monkeypatch, tmp_path):
    monkeypatch.setenv("NEWSHUB_ACCOUNT_PASSWORD", "password")
    with pytest.raises(CommandError, match="too common"):
        call_command("create_account", "--role=author", "--email=a@example.test",
                     "--name=A Writer", stdout=io.StringIO())  # fmt: skip
    monkeypatch.setenv("NEWSHUB_ACCOUNT_PASSWORD", "correct-horse-battery-9")
    call_command("create_account", "--role=author", "--email=a@example.test",
                 "--name=A Writer", stdout=io.StringIO())  # fmt: skip
    with pytest.raises(CommandError, match="exists already"):
        call_command("create_account", "--role=editor", "--username=b",
                     "--email=A@example.test", "--name=B Writer",
                     stdout=io.StringIO())  # fmt: skip


def test_the_command_without_any_password_source_says_how(monkeypatch):
    monkeypatch.delenv("NEWSHUB_ACCOUNT_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="--password-file"):
        call_command("create_account", "--role=author", "--email=a@example.test",
                     "--name=A Writer", stdout=io.StringIO())  # fmt: skip


def test_an_unknown_role_is_refused_by_name():
    with pytest.raises(CommandError, match="invalid choice: 'chief'"):
        call_command("create_account", "--role=chief", "--email=a@example.test",
                     "--name=A Writer", stdout=io.StringIO())  # fmt: skip


def test_migrate_keeps_the_roles_groups_in_step():
    from django.contrib.auth.models import Group

    Group.objects.get(name="Editors").permissions.clear()
    call_command("migrate", verbosity=0)
    editors = Group.objects.get(name="Editors")
    codenames = set(editors.permissions.values_list("codename", flat=True))
    assert {"publish_article", "edit_others_article", "change_comment"} <= codenames
    assert "change_sitesettings" not in codenames
