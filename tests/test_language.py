from tests.conftest import login


def test_a_browser_asking_for_english_still_gets_swedish_by_default(people, client):
    login(client, people.samordnare)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="sv"' in page.content.decode()


def test_choosing_english_in_the_switcher_gives_english(people, client):
    login(client, people.samordnare)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/")
    assert '<html lang="en"' in page.content.decode()
