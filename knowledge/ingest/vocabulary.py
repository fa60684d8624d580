"""What is never a concept and how terms are shown: lesson furniture and stop words
(:func:`is_furniture`, and the sections :func:`_section_roles` skips), the shape of a term
(:func:`valid_term`), the concept a heading names (:func:`heading_term`), a title as displayed
(:func:`display_title`). What makes a list's bold leads claims or advice rather than terms is in
:mod:`knowledge.ingest.list_roles`; the aliases written around a term are in
:mod:`knowledge.ingest.aliases`."""

from __future__ import annotations

import re
from functools import lru_cache

from .document import Document, one_line
from .lexicon import imperative_step, instruction_object, is_function_word, lemmas, modifier_only, word_classes, zipf
from .phrases import names_instance
from .terms import EMOJI_LEAD, TRAIL_PUNCT, acronym_key, clean_term, initials, is_acronym, singular


# ---------------------------------------------------------------------------------------------
# what is never a concept

# qualities of something ("Benefits", "Downsides"): a heading of them names no topic, and their list's leads no terms
_MERIT = r"(?:benefit|advantage|disadvantage|drawback|merit|strength|upside|downside)"
# ... unless the word heads a topic: "Notes on Generating Text", "Challenges in Training GANs",
# "Review of Probability" are lessons, "Notes", "Challenge", "Review" their furniture
_ABOUT = r"(?!\s+(?:on|of|in|for|with|about)\s)"
# ... and a singular one is furniture alone or before what it sums up ("Summary", "Summary of Unit 2", "Reference:"),
# a term before a noun of its own ("Summary statistics", "Reference model", "Credit assignment", "Instruction tuning")
_ALONE = r"(?=\s*$|\s*[:(]|\s*\d|\s+[-–—]\s|\s*[–—]|\s+(?:and|of|for|to|on|&)(?:\s|$))"
_FURNITURE = re.compile(
    r"^(?:pre|post)?[- ]?(?:lecture|lesson)?[- ]?quiz(?:zes)?\b|^quiz|^assignments?\b|^homework|^review\b" + _ABOUT + r"|"
    r"^self[- ]study|^conclusions?\b|^challenges?\b" + _ABOUT + r"|^summary" + _ALONE + r"|^exercises?\b|^example notebooks?\b|"
    r"^reference" + _ALONE + r"|^references\b|^further reading|^(?:additional|suggested|recommended|optional)\s+readings?\b|^(?:additional |more |further )?resources\b|^credit" + _ALONE + r"|^credits\b|^acknowledge?ments?\b|"
    r"^labs?\b|^instruction" + _ALONE + r"|^instructions\b|^hints?\b|^table of contents|^what you will learn|^learning (?:objectives|goals)|"
    r"^prerequisites?\b|^next steps?\b|^getting started" + _ABOUT + r"|^install|^setup\b|^set up\b|"
    r"^in this (?:section|lesson|unit|module|chapter)|^notes?\b" + _ABOUT + r"|^warning\b|"
    r"^.*\b(?:warning|caution|tip|hint|note)s?$|^.*\brecap$|^(?:\S+\s+){2,}summary$|^change[- ]?logs?$|^.*\bnotebooks?$|^licen[cs]e\b|^key takeaways|^knowledge check|^your turn|^try it\b|^final thoughts|"
    r"^wrap[- ]up|^takeaways?\b|^help wanted|^(?:(?:image|photo)\s+attributions?|attributions)\b|"
    r"^(?:introduction|intro|recap|overview|practice|background|motivation|goals?|discussion|questions?|solutions?|"
    r"answers?|about|appendix|faq|tasks?|examples?|notebooks?|contents|remarks?|caution|caveats?|important|"
    r"reminders?|aside|" + _MERIT + r"s?|pros\s+and\s+cons|\d+)$",
    re.IGNORECASE,
)
# furniture whose text is read: a chapter titled "Introduction" teaches (d2l's first chapter), but
# its heading names no topic
_READ_PART = re.compile(r"^(?:introduction|intro|overview|background|motivation)$", re.IGNORECASE)
# the label of a division of the course, before its title: "Part 3: Scalability, Efficiency, and
# Applications", "Appendix: Tools for Deep Learning", "Chapter 4 - Optimization", "Lesson 2. Perceptron"
_DIVISIONS = r"(?:part|chapter|appendix|unit|module|week|lecture|lesson|section)"
DIVISION_LABEL = re.compile(r"^" + _DIVISIONS + r"(?:\s+(?:\d+|[ivxlc]+|[a-z])\b)?(?:\s*:|\s+[-–—]|\.(?=\s))\s*(?=\S)",
                            re.IGNORECASE)
# a division of the course and its number, nothing else: "Week 7", "Lecture 3", "Part II" name no concept
DIVISION_ONLY = re.compile(r"(?:" + _DIVISIONS + r"|practicum|lab|session)\s+(?:\d+(?:\.\d+)*|[ivxlc]+|[a-z])", re.IGNORECASE)
# adverbs of degree (general English): before an adjective they make a judgement, not a name
_DEGREE = {"very", "pretty", "quite", "really", "rather", "fairly", "extremely", "too", "so", "super", "highly",
           "incredibly", "somewhat", "reasonably", "surprisingly", "remarkably", "truly", "overly"}
# parts of a document whose text is read but whose heading names no topic
_DOC_PART = re.compile(r"^(?:glossary|preface|foreword|bibliography|index|notation|about this book|"
                       r"key terms|terminology|vocabulary)$", re.IGNORECASE)
_PROCESS_VERBS = {
    "training", "using", "loading", "implementing", "visualizing", "visualising", "dealing", "keeping",
    "preventing", "classifying", "representing", "detecting", "building", "creating", "applying",
    "exploring", "getting", "running", "making", "introducing", "comparing", "understanding",
    "evaluating", "defining", "computing", "working", "playing", "generating", "solving", "choosing",
    "selecting", "adding", "preparing", "writing", "reading", "installing", "testing", "measuring",
    "improving", "tuning", "fine-tuning", "saving", "plotting", "calculating", "finding", "learning",
    "pre-processing", "experimenting", "trying", "taking", "looking", "putting", "setting", "starting",
}
_DETERMINERS = {"the", "a", "an", "our", "your", "this", "these", "that", "those", "it", "them", "its", "their", "my"}
_LEARNING_NOUN_FOLLOWERS = {"rate", "rates", "curve", "curves", "algorithm", "algorithms", "problem"}
_GENERIC_HEAD = {
    "other", "different", "typical", "main", "some", "more", "further", "examples", "example", "scenarios",
    "properties", "problems", "tools", "principles", "datasets", "recent", "brief", "history", "types",
    "kinds", "applications", "advantages", "disadvantages", "benefits", "drawbacks", "pros", "limitations", "comparison", "basic", "key", "important",
    "common", "several", "many", "simple", "our", "my", "your", "this", "these", "why", "how", "when",
    "where", "which", "who", "first", "second", "third", "final", "next", "previous", "part", "step",
    "well-known", "famous", "popular", "notable",
}
# a caption starts with these; a term may too when what follows names a kind of task or
# thing ("Image Augmentation", "Image Segmentation"): a word everyday English seldom uses
_CAPTION_WORDS = {"image", "images", "picture", "pictures", "figure", "fig", "photo"}
CAPTION_RARE_ZIPF = 4.0


def _names_a_kind(rest: list[str]) -> bool:
    low = [w.lower() for w in rest]
    return bool(low) and not is_function_word(low[0]) and not low[0][:1].isdigit() and any(
        zipf(w) < CAPTION_RARE_ZIPF for w in re.split(r"[\s\-]+", " ".join(low)) if w)


_BAD_FIRST = {
    "this", "that", "these", "those", "it", "we", "you", "our", "your", "its", "their", "there", "here",
    "which", "what", "how", "why", "when", "note", "hint", "tip",
    "see", "read", "try", "use", "continue", "go", "let", "click", "task", "step", "remember",
    "important", "warning", "if", "or", "and", "then", "then", "for", "to", "in", "on", "at", "by",
    "with", "from", "as", "not", "no", "yes", "but", "so", "also", "only", "each", "every", "all",
    "some", "any", "one", "two", "three", "very", "much", "more", "most", "less", "do", "does", "is",
    "are", "was", "were", "be", "can", "could", "should", "would", "will", "may", "might", "must",
}
# a first word that is an instruction ("Open the file") or the start of a name ("Open source
# model", "Open set"): which one, the word after it says
_VERB_OR_MODIFIER = {"open"}
_OBJECT_WORDS = _DETERMINERS | {"it", "them", "up", "out", "for", "with", "to", "in", "on", "of"}
_STOP_TERMS = {
    "x", "y", "z", "n", "m", "if", "or", "and", "then", "not", "true", "false", "none", "null", "ok",
    "note", "notes", "hint", "tip", "warning", "important", "example", "examples", "task", "tasks",
    "notebook", "notebooks", "lab", "exercise", "exercises", "assignment", "quiz", "image", "images",
    "picture", "figure", "code", "python", "instructions", "solution", "answer", "question",
    "introduction", "summary", "conclusion", "challenge", "review", "setup", "above", "below", "left",
    "right", "top", "bottom", "here", "there", "always", "never", "each", "every", "all", "any",
}


_LABELLED = re.compile(r"^\W*([A-Za-z]+(?:\s+\d+)?)\s*[-–—:]\s+\S")


def step_label(heading: str) -> str:
    """The label a heading opens with ("Task - install the Azure CLI" → "task", "Step 2: Create the
    agent" → "step n"), or "". A label that opens the headings of several documents marks the course's
    steps (:attr:`CourseProfile.step_labels`)."""
    m = _LABELLED.match(heading or "")
    return re.sub(r"\s+\d+$", " n", m.group(1).lower()) if m else ""


def is_furniture(text: str) -> bool:
    """A lesson-level heading or term that is never a concept (quiz, assignment, summary ...)."""
    t = EMOJI_LEAD.sub("", one_line(text)).strip()
    t = TRAIL_PUNCT.sub("", t)
    return bool(_FURNITURE.match(t)) or t.lower() in _STOP_TERMS


_QUIZ = re.compile(r"\bquiz", re.IGNORECASE)
# a title's setting after its topic: "Function Calling with LLMs", "Context Caching using Gemini"
# (not "for" or "in": "Reinforcement Learning for Trading", "Fairness in AI" are topics of their own)
SETTING = re.compile(r"^(.+?)\s+(?:with|using|via)\s+\S.*$", re.IGNORECASE)


def _section_roles(doc: Document) -> tuple[set[int], dict[int, int]]:
    """Which sections to skip (lesson furniture such as assignments, challenges, reviews, and
    what is nested under them) and which section to cite for each: text under a quiz heading
    ("## Pre-lecture quiz" followed by the lesson intro) is cited as the section before it."""
    skip: set[int] = set()
    cite: dict[int, int] = {}
    furniture_level: int | None = None
    last_content = 0
    for si, sec in enumerate(doc.sections):
        if sec.heading and furniture_level is not None and (sec.level <= furniture_level or sec.level == 0):
            furniture_level = None
        if sec.heading and is_furniture(sec.heading) and not _READ_PART.match(clean_term(sec.heading)):
            if _QUIZ.search(sec.heading):
                cite[si] = last_content
                continue
            furniture_level = sec.level
        if furniture_level is not None and not (sec.level > furniture_level and _teaches(sec)):
            skip.add(si)
            continue
        if sec.heading and not (_QUIZ.search(sec.heading)):
            last_content = si
        cite[si] = si if not (sec.heading and _QUIZ.search(sec.heading)) else last_content
    return skip, cite


NESTED_CONTENT_WORDS = 100  # a subsection this long under "Exercises" teaches ("Problems with GAN training")


def _teaches(sec) -> bool:
    """A subsection under lesson furniture that is a topic of its own: a heading that is no
    furniture over enough prose to teach something."""
    if not sec.heading or is_furniture(sec.heading):
        return False
    return sum(len(b.text.split()) for b in sec.blocks if b.kind in ("paragraph", "list_item")) >= NESTED_CONTENT_WORDS


def valid_term(term: str) -> bool:
    t = term
    if not (2 <= len(t) <= 60) or "\n" in t:
        return False
    ws = t.split()
    if not 1 <= len(ws) <= 6:
        return False
    letters = sum(c.isalpha() for c in t)
    if letters < 2 or letters < 0.6 * len(t.replace(" ", "")):
        return False
    if re.search(r"[=(){}\[\]<>|\\$@]|\.\w|_|://|^\d", t) and not re.match(r"^(?:\d+D-|\d+×\d+\s+[A-Za-z])", t):
        return False
    low = t.lower()
    first = ws[0].lower().replace("’", "'")
    if first in _BAD_FIRST or low in _STOP_TERMS or is_furniture(t) or DIVISION_LABEL.match(t):
        return False
    if len(ws) > 1 and (first in ("i", "they") or re.fullmatch(r"(?:it|i|we|you|they|he|she|that|there|"
                                                                          r"here|what|who)'(?:s|re|m|ve|ll|d)", first)):
        return False  # a clause, not a name: "It's a non-stationarity environment condition", "I'm familiar with Unreal"
    if ws[0].lower() in _VERB_OR_MODIFIER and (len(ws) == 1 or ws[1].lower() in _OBJECT_WORDS or imperative_step(t)):
        return False  # "Open the notebook", "Open it"; but "Open source model" names a thing
    if len(ws) > 1 and ((is_function_word(ws[1].lower()) and imperative_step(t)) or _says_what_it_does(ws[0])):
        return False  # a step or a predicate stressed, not a name: "Learn with batches of experience", "Maximizes expected return"
    if ws[0].lower() in _CAPTION_WORDS and not _names_a_kind(ws[1:]):
        return False  # "Figure 3", "Image credit", "image of a cat": a caption, not a term
    if len(ws) >= 3 and re.search(r"\b(?:is|are|was|were|can|will|should|we|you|our)\b", low):
        return False
    if len(ws) == 1 and len(t) <= 2 and not t.isupper():
        return False
    if len(ws) > 1 and is_function_word(ws[-1].lower()) and not (ws[-1].isupper() and len(ws[-1]) > 1):
        return False  # emphasis cut mid-phrase: "*Student's t-distribution on* $n-1$ *degrees of freedom*" ("Bitwise AND" names an operator)
    if len(ws) > 1 and is_function_word(ws[0].lower()) and ws[0].lower() not in ("the", "a", "an"):
        return False  # a stressed phrase, not a name: "(**unlike Matlab**)", "Being cloud-agnostic"
    if len(ws) > 1 and ws[1].lower() in _DETERMINERS and (ws[0].lower() in _PROCESS_VERBS or (
            ws[0].lower().endswith("ing") and "VERB" in word_classes(ws[0].lower()))):
        return False  # "Training the generator", "Verifying the data that LLMs generate": a step, not a concept
    if len(ws) == 2 and ws[0].lower() in _DEGREE and "ADJ" in word_classes(ws[1].lower()):
        return False  # a judgement stressed, not a name: "the model is _pretty good_"
    if len(ws) == 1 and t.islower() and re.search(r"(?:ive|ous|al|ful|less|able|ible)$", t) and not is_acronym(t):
        return False  # a lone adjective ("adversarial", "contrastive")
    if len(ws) == 1 and not is_acronym(t) and modifier_only(t):
        return False  # English knows it only as an adjective or a verb ("linear", "reset", "simplest")
    if re.search(r"\b(?:definition|example|exercise|notebook|tutorial|homework)s?\b", low):
        return False
    if re.match(r"(?:the|this|that|our)\s+(?:section|figure|equation|table|chapter|appendix|lesson|listing)s?\b", low):
        return False  # a pointer into the text ("the section on dropout", "the figure"), never a concept
    if _KEY_CHORD.fullmatch(t):
        return False  # a key to press ("Ctrl-Shift-P", "Cmd+C"), not a term
    if _DATE.fullmatch(t):
        return False  # a timeline's date ("October 2018: BERT, ..."), not a term
    if _VAGUE_AMOUNT.match(t):
        return False  # an amount stressed, not a name: "an *infinite amount of small cheese*", "*lots of data*"
    if _ENUMERATOR.fullmatch(t):
        return False  # a label that numbers cases or steps ("Case 1: if the new policy ...", "Step 2"), not a term
    return True


def _says_what_it_does(word: str) -> bool:
    """A verb's -s form English knows only as a verb ("maximizes", "gathers" is a noun too): a predicate."""
    w = word.lower()
    return w.endswith("s") and word_classes(w) == {"VERB"} and any(v != w for v in lemmas(w).get("VERB", ()))


_VAGUE_AMOUNT = re.compile(r"(?:(?:an?|the)\s+)?(?:[\w-]+\s+)?(?:amount|amounts|lot|lots|plenty|bunch|couple|handful|"
                          r"tons?|loads?)\s+of\s", re.IGNORECASE)


_ENUMERATOR = re.compile(r"(?:case|step|part|option|scenario|stage|phase|section|module|unit|week|day|round|"
                         r"example|exercise|question|problem|task|method|approach|strategy|solution|attempt|"
                         r"iteration|version|variant|rule|tip|idea|experiment|trial)\s+(?:\d+[a-z]?|[a-h]|[ivx]+)",
                         re.IGNORECASE)


_DATE = re.compile(r"(?:(?:early|mid|late)[- ])?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
                   r"(?:\s+\d{1,2}(?:st|nd|rd|th)?,?)?\s+\d{4}|(?:spring|summer|autumn|fall|winter)\s+\d{4}", re.IGNORECASE)


# keyboard modifier keys joined to a key by "-" or "+": what a step tells the student to press
_KEY_CHORD = re.compile(r"(?:(?:ctrl|ctl|control|cmd|command|alt|option|shift|meta|win|super)\s*[-+]\s*)+\w{1,6}",
                        re.IGNORECASE)


def display_title(term: str) -> str:
    """Title as shown: no leading article, first letter upper case (acronyms and camel case
    untouched), the head noun in the singular (``"Generative Adversarial Networks"`` → ``"... Network"``)."""
    t = clean_term(term)
    t = re.sub(r"^(?:the|an?)\s+(?=\S)", "", t, flags=re.IGNORECASE) if " " in t else t  # "The MovieLens Dataset"
    if t.count("'") == 1:  # a quote whose closing one was cut with the heading's punctuation: "Hello 'classifier"
        t = re.sub(r"(^|\s)'(?=\w)", r"\1", t)
    ws = t.split(" ")
    last = ws[-1]
    if (
        len(ws) <= 5
        and not is_acronym(last)
        and not re.search(r"(?<=[\s-])(?:of|to|for|in|with|and|or|vs)\b", t.lower())  # (not a keyword first: "For loops")
        and re.fullmatch(r"[A-Za-z][A-Za-z\-]*s", last)
    ):
        segs = last.split("-")
        seg = segs[-1]
        sing = singular(seg.lower())
        part = re.search(r"[A-Z][a-z]+$", seg[1:])  # camel case: its last word decides ("ResNets", but "MovieLens")
        if part and singular(part.group(0).lower()) == part.group(0).lower():
            sing = seg.lower()
        if len(segs) > 1 and seg.lower() in lemmas(seg).get("NOUN", ()):  # a name's noun of its own in this form: "k-means"
            sing = seg.lower()
        if sing != seg.lower():
            if seg.lower().endswith("ies"):
                seg = seg[:-3] + ("Y" if seg[-3].isupper() else "y")
            elif seg.lower().startswith(sing):
                seg = seg[: len(sing)]
            else:  # irregular ("Matrices" → "Matrix")
                seg = sing.upper() if seg.isupper() else (sing.capitalize() if seg[:1].isupper() else sing)
            segs[-1] = seg
            ws[-1] = "-".join(segs)
    t = " ".join(ws)
    # "iPhone" and a symbol's name ("p-value", "ε-greedy", "n-gram", "k-means") keep their case
    if t[:1].islower() and not re.match(r"^(?:[a-z]+[A-Z]|[^\W\d_]-)", t):
        t = t[0].upper() + t[1:]
    return t



# ---------------------------------------------------------------------------------------------
# headings → candidate terms


# a heading's tail that says how its topic is told, not what it is
TOLD_HOW = re.compile(r"\s+(?:in\s+(?:detail|depth|practice|action|brief|short|a\s+nutshell)|revisited|at\s+a\s+glance)$",
                      re.IGNORECASE)


@lru_cache(maxsize=8192)
def heading_term(heading: str) -> tuple[str, list[str]] | None:
    """The concept a heading names, as (term, aliases), or None for lesson furniture, process
    headings ("Training the Perceptron"), questions and compounds ("X vs. Y", "X and Y")."""
    h = clean_term(heading)
    if h and DIVISION_LABEL.match(h):  # "Lesson 2: Perceptron" names the perceptron
        h = clean_term(DIVISION_LABEL.sub("", h, count=1))
    if not h or is_furniture(h) or re.fullmatch(r"page \d+", h, re.I) or _DOC_PART.match(h) or DIVISION_ONLY.fullmatch(h):
        return None
    if re.match(r"^(?:exercises?|examples?|assignments?|labs?|quiz|challenge|notebooks?)\b", h, re.I):
        return None
    m = re.match(r"^what\s+(?:is|are)\s+(?:an?\s+|the\s+)?(.+)$", h, re.I)
    if m:
        h = clean_term(m.group(1))
    elif re.match(r"^(?:how|why|what|when|where|which|who)\b", h, re.I):
        return None
    h = re.sub(r"^(?:an?\s+)?(?:introduction|intro)\s+(?:to|into)\s+(?:the\s+)?", "", h, flags=re.I)
    h = _YEAR_AFTER.sub("", h) or h  # "YOLOv4 (2020)", "3D ResNets(2017)": when it came out, no other name
    h = re.sub(r"^(?:overview\s+of|basics\s+of|understanding)\s+", "", h, flags=re.I)
    aliases: list[str] = []
    inner = re.match(r"^(?:the\s+|an?\s+)?(.+?)\s+\(([A-Za-z][A-Za-z0-9-]{0,7})\)\s+(\S.*)$", h, re.IGNORECASE)
    if inner and is_acronym(inner.group(2)) and _names_same_thing(inner.group(2), inner.group(1)):
        # an abbreviation inside the name: "Chain-of-Thought (CoT) Prompting" is "CoT Prompting" and "CoT" too
        h, aliases = f"{inner.group(1)} {inner.group(3)}", [f"{inner.group(2)} {inner.group(3)}", inner.group(2)]
    m = re.match(r"^(.+?)\s*\(([^()]{1,40})\)$", h)
    if m and names_instance(clean_term(m.group(1)), clean_term(m.group(2))):
        h = clean_term(m.group(2))  # "Convolutional Neural Networks (LeNet)": the section teaches LeNet
    elif m:
        h, alias = clean_term(m.group(1)), clean_term(m.group(2))
        aliases.append(alias)
    else:
        parts = [clean_term(p) for p in re.split(r"\s*(?::|\.\s|\s[-–—]\s)\s*", h) if clean_term(p)]
        if len(parts) == 2 and re.search(r"!\W*$", heading) and "!" not in parts[0]:
            h, parts = parts[0], parts[:1]  # "Indentation: Whitespace Matters!": an exclamation says, it names nothing
        if len(parts) == 2:
            a, b = parts
            generic_a = bool(re.search(r"\b(?:example|exercise|part|problem|step|case|demo|task)s?\b", a, re.I))
            if (is_acronym(a) or _NAME_LIKE.fullmatch(a)) and len(b.split()) > 1:
                # "BERT: Combining the Best of Both Worlds", "AutoRec: Rating Prediction with
                # Autoencoders": a model's name, then what it does (no other name of it)
                h, aliases = a, [b] if is_acronym(a) and _names_same_thing(a, b) else []
            elif is_acronym(b) and len(a.split()) > 1 and not generic_a:
                h, aliases = a, [b]
            else:
                h = b
        elif len(parts) > 2:
            h = parts[-1]
    m = re.match(r"^((?:\w+\s+)*?)(\w+)/(\w+)$", h)
    if m and not is_acronym(h):
        h, aliases = m.group(1) + m.group(2), aliases + [m.group(1) + m.group(3)]
    if len(h.split()) >= 3:
        h = re.sub(r"\s+tasks?$", "", h, flags=re.I)
    # "Backpropagation Through Time in Detail", "Attention Revisited": the topic, not how it is told
    h = TOLD_HOW.sub("", h) or h
    if imperative_step(h):  # "Visualize the ROC curve of this model": the step's object, if it has a name
        h = instruction_object(h) or ""
        if not h or modifier_only(h.split()[-1]):  # "make your function available", "keep your plant secure"
            return None
    first = h.split()[0].lower() if h.split() else ""
    if first in _GENERIC_HEAD:
        return None
    if re.search(r"\s(?:and|vs\.?|versus|&|\+|or)\s|,", h, re.I):
        return None  # ("Data Science + Industry" joins two too)
    if first in _PROCESS_VERBS and not (
        len(h.split()) > 1 and h.split()[1].lower() in _LEARNING_NOUN_FOLLOWERS
    ) and not (first == "learning" and len(h.split()) == 1):
        return None
    if not valid_term(h):
        return None
    return h, [a for a in aliases if valid_term(a) or is_acronym(a)]


_YEAR_AFTER = re.compile(r"\s*\((?:1[89]|20)\d\d\)$")
# a one-word proper name written as such: inner capitals or digits ("AutoRec", "Word2Vec", "GoogLeNet")
_NAME_LIKE = re.compile(r"[A-Z][a-z]+(?:[A-Z0-9][A-Za-z0-9]*)+|[A-Z][a-z]*\d+[A-Za-z0-9]*")


def _names_same_thing(acronym: str, long: str) -> bool:
    """Whether ``long`` spells out ``acronym`` ("GAN: Generative Adversarial Networks")."""
    return acronym_key(acronym) in initials(long)


_GENERIC_TAIL = re.compile(
    r"\s+(?:models?|algorithms?|architectures?|approach(?:es)?|methods?|techniques?|"
    r"mechanisms?|problems?|frameworks?)$",
    re.IGNORECASE,
)
GENERIC_TAIL = _GENERIC_TAIL  # a last word that names no kind of its own ("Attention mechanism")
