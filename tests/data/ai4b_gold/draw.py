"""Draw the blind gold sample of AI-For-Beginners sections (stdlib only).

Lists every level-2 and level-3 heading (outside code fences) of the lesson Markdown files
lessons/**/*.md of the AI-For-Beginners corpus (assignments excluded), sorts them by
(path, line) and prints them in the order of a shuffle with a fixed seed: the judge walks
this order and keeps the first 40 headings that each teach a concept no kept heading teaches
(see NOTES.md). Prints path, line number and heading, tab-separated.
"""
import glob
import os
import random
import re

CORPUS = os.environ.get("AI4B_CORPUS", "/work/shared/corpus/ai-for-beginners")
SEED = 20261204


def headings(root):
    out = []
    for path in sorted(glob.glob(os.path.join(root, "lessons", "**", "*.md"), recursive=True)):
        if os.path.basename(path).lower().startswith("assignment"):
            continue
        fenced = False
        with open(path, encoding="utf-8") as fh:
            for no, line in enumerate(fh, 1):
                if line.lstrip().startswith("```"):
                    fenced = not fenced
                    continue
                m = re.match(r"^(#{2,3})\s+(.+?)\s*#*\s*$", line)
                if m and not fenced:
                    out.append((os.path.relpath(path, root), no, m.group(2)))
    return out


def main():
    all_headings = headings(CORPUS)
    order = list(all_headings)
    random.Random(SEED).shuffle(order)
    for rel, no, text in order:
        print(f"{rel}\t{no}\t{text}")


if __name__ == "__main__":
    main()
