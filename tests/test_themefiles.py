"""The theme's files MkDocs copies: listed without entering hidden folders, the same files as before."""

import jinja2
from mkdocs.config import load_config
from mkdocs.structure.files import Files

from conftest import REPO
from generator.site.plugin import THEME_DIR
from generator.site.themefiles import ListedLoader, use_listed_loader


def _theme_files(config, loader_class) -> list[tuple[str, str]]:
    env = jinja2.Environment(loader=loader_class(config.theme.dirs))
    files = Files([])
    files.add_files_from_theme(env, config)
    return [(f.src_uri, f.abs_src_path) for f in files]


def test_the_theme_files_mkdocs_copies_are_those_jinjas_full_listing_gives(tmp_path):
    """Material's theme, ours, and a custom folder with hidden files and
    folders at every depth (a file in one is never copied), a file
    overriding Material's, and a template that is not copied either."""
    custom = tmp_path / "custom"
    for rel in ("assets/extra.js", "assets/.hidden.js", "assets/.cache/x.css", ".git/config",
                "partials/deep/.icons/a.svg", "partials/deep/b.svg", "main.html", "favicon.png",
                "assets/images/favicon.png"):
        (custom / rel).parent.mkdir(parents=True, exist_ok=True)
        (custom / rel).write_text("x", encoding="utf-8")
    config = load_config(str(REPO / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    config.theme.dirs[:0] = [str(custom), str(THEME_DIR)]
    listed = _theme_files(config, ListedLoader)
    assert listed == _theme_files(config, jinja2.FileSystemLoader)
    copied = {src: path for src, path in listed}
    assert copied["assets/extra.js"] == str(custom / "assets/extra.js")
    assert copied["partials/deep/b.svg"] == str(custom / "partials/deep/b.svg")
    assert copied["assets/images/favicon.png"] == str(custom / "assets/images/favicon.png")  # not Material's
    assert "assets/javascripts/lunr/min/lunr.vi.min.js" in copied  # ours
    assert not any("/." in "/" + src for src in copied)
    # Hidden templates still load (Material includes its icons by name).
    use_listed_loader(config.theme)
    env = config.theme.get_env()
    assert isinstance(env.loader, ListedLoader)
    assert env.get_template(".icons/material/magnify.svg").render().startswith("<svg")
