"""The field shell names every module the app imports, at any depth, as <link rel="modulepreload">, so a phone
fetches the whole graph at once instead of one import level per round trip — and nothing it does not need."""
import re

from app.field.views import ENTRY, module_graph


def test_the_graph_is_read_from_the_imports(app):
    from pathlib import Path

    with app.app_context():
        graph = module_graph(Path(app.static_folder), ENTRY)
    assert graph[0] == ENTRY and len(graph) == len(set(graph))
    assert "js/slips/signature-pad.js" in graph and "js/offline/service-worker.js" not in graph


def test_the_browser_fetches_exactly_the_preloaded_modules(live_server, browser):
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    fetched = []
    page.on("request", lambda request: fetched.append(request.url) if request.url.endswith(".js") else None)
    page.goto(f"{live_server}/field/")
    page.wait_for_selector("#app :is(form, section, .panel)")
    preloaded = set(page.eval_on_selector_all('link[rel="modulepreload"]', "links => links.map(l => l.href)"))
    modules = {url for url in fetched if "/static/js/" in url}
    entry = next(url for url in modules if url.endswith("/" + ENTRY))
    assert modules == preloaded | {entry}
    assert not any(re.search(r"service-worker", url) for url in preloaded)
    context.close()
