"""Draw the blind gold sample of d2l sections (stdlib only).

Lists every section file chapter_*/*.md of the d2l-en corpus, except index.md
files and the excluded chapters, sorts them, and draws 45 with a fixed seed.
Prints the relative path and the file's first '# ' heading.
"""
import glob
import os
import random
import sys

CORPUS = os.environ.get("D2L_CORPUS", "/work/shared/corpus/d2l-en")
SEED = 20261201
N = 45
EXCLUDED = {
    "chapter_references",
    "chapter_notation",
    "chapter_installation",
    "chapter_preface",
    "chapter_appendix-tools-for-deep-learning",
}


def sections(root):
    out = []
    for path in glob.glob(os.path.join(root, "chapter_*", "*.md")):
        chapter = os.path.basename(os.path.dirname(path))
        if chapter in EXCLUDED or os.path.basename(path) == "index.md":
            continue
        out.append(os.path.relpath(path, root))
    return sorted(out)


def heading(path):
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("# "):
                return line[2:].strip()
    return ""


def main():
    all_sections = sections(CORPUS)
    drawn = random.Random(SEED).sample(all_sections, N)
    for rel in drawn:
        print(f"{rel}\t{heading(os.path.join(CORPUS, rel))}")
    print(f"# drawn {N} of {len(all_sections)} sections, seed {SEED}", file=sys.stderr)


if __name__ == "__main__":
    main()
