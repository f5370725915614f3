"""The field shell names every module the app imports, at any depth, as <link rel="modulepreload">, so a phone
fetches the whole graph at once instead of one import level per round trip — and nothing it does not need.
The visit's and the slip's screens are not in it: they load after the first screen is up."""
import re

from app.field.views import ENTRY, module_graph

LATER = ("js/field/visit.js", "js/slips/screens.js")  # app.js imports these once the first screen is up


def test_the_graph_is_read_from_the_imports(app):
    from pathlib import Path

    with app.app_context():
        graph = module_graph(Path(app.static_folder), ENTRY)
    assert graph[0] == ENTRY and len(graph) == len(set(graph))
    assert "js/slips/route.js" in graph and "js/offline/service-worker.js" not in graph
    assert "js/slips/signature-pad.js" not in graph and "js/field/visit.js" not in graph  # loaded later


def test_the_browser_fetches_exactly_the_preloaded_modules_then_the_screens(app, live_server, browser):
    from pathlib import Path

    static = Path(app.static_folder)
    later = {f"{live_server}/static/{name}" for name in
             {*module_graph(static, LATER[0]), *module_graph(static, LATER[1])} - set(module_graph(static, ENTRY))}
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    fetched = []
    page.on("request", lambda request: fetched.append(request.url) if request.url.endswith(".js") else None)
    page.goto(f"{live_server}/field/")
    page.wait_for_selector("#app :is(form, section, .panel)")
    preloaded = set(page.eval_on_selector_all('link[rel="modulepreload"]', "links => links.map(l => l.href)"))
    entry = next(url for url in fetched if url.endswith("/" + ENTRY))
    page.wait_for_function("names => names.every(n => performance.getEntriesByName(n).length)", arg=sorted(later))
    modules = {url for url in fetched if "/static/js/" in url}
    assert modules == preloaded | {entry} | later and not preloaded & later
    assert not any(re.search(r"service-worker", url) for url in preloaded)
    context.close()
