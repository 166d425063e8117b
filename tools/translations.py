#!/usr/bin/env python3
"""Helps translators work on translations/aqlmstudio_<lang>.ts outside Qt Linguist.

  tools/translations.py todo LANG            unfinished entries as JSON: [{"context", "source", "numerus"}]
  tools/translations.py apply LANG FILE.json fills entries from [{"context", "source", "translation"}]
                                             ("translation" is a list of forms for numerus entries)
  tools/translations.py stats                finished / total per language

Run `ninja -C build update_translations` first so the .ts files hold every tr() string.
"""
import json
import pathlib
import sys
import xml.etree.ElementTree as ET

ROOT = pathlib.Path(__file__).resolve().parent.parent


def ts_path(lang):
    return ROOT / "translations" / f"aqlmstudio_{lang}.ts"


def messages(tree):
    for context in tree.getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            yield name, message


def unfinished(message):
    translation = message.find("translation")
    if translation is None or translation.get("type") in ("unfinished", "vanished", "obsolete"):
        return True
    if message.get("numerus") == "yes":
        return not all((f.text or "").strip() for f in translation.iter("numerusform"))
    return not (translation.text or "").strip()


def save(tree, path):
    body = ET.tostring(tree.getroot(), encoding="unicode")
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + body + "\n", encoding="utf-8")


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    if argv[1] == "stats":
        for path in sorted((ROOT / "translations").glob("aqlmstudio_*.ts")):
            tree = ET.parse(path)
            all_messages = list(messages(tree))
            done = sum(1 for _, m in all_messages if not unfinished(m))
            print(f"{path.name}: {done}/{len(all_messages)} finished")
        return 0
    lang = argv[2]
    path = ts_path(lang)
    tree = ET.parse(path)
    if argv[1] == "todo":
        todo = [{"context": c, "source": m.findtext("source"), "numerus": m.get("numerus") == "yes"}
                for c, m in messages(tree) if unfinished(m)]
        json.dump(todo, sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    if argv[1] == "apply":
        given = json.loads(pathlib.Path(argv[3]).read_text(encoding="utf-8"))
        table = {(e["context"], e["source"]): e["translation"] for e in given}
        applied = 0
        for c, m in messages(tree):
            key = (c, m.findtext("source"))
            if key not in table:
                continue
            translation = m.find("translation")
            if translation is None:
                translation = ET.SubElement(m, "translation")
            translation.attrib.pop("type", None)
            value = table[key]
            for child in list(translation):
                translation.remove(child)
            if m.get("numerus") == "yes":
                forms = value if isinstance(value, list) else [value]
                translation.text = None
                for form in forms:
                    ET.SubElement(translation, "numerusform").text = form
            else:
                translation.text = value if isinstance(value, str) else value[0]
            applied += 1
        save(tree, path)
        print(f"{path.name}: applied {applied} of {len(given)}")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
