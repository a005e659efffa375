#!/usr/bin/env python3
"""Plain text of a benchmark archive for the engine baseline: extract_text.py SRC DST

Writes DST/<path>.txt, UTF-8, for every file under SRC, once, before any
timed run, so that bench/engine_baseline measures Xapian alone.  The
extraction is deliberately simple and close to what omindex sees:

  .md .txt   the file's text (UTF-8, else Windows-1252), markup left in
  .html      <script> and <style> dropped, every other tag removed
             (navigation and footers stay, as omindex indexes them),
             entities decoded; not html2text, which rewraps lines and
             adds Markdown marks: the tag strip keeps the words as they
             are, which is all a TermGenerator cares about
  .pdf       pdftotext -enc UTF-8 (poppler-utils), as omindex runs it
  .docx      word/document.xml, .pptx ppt/slides/slideN.xml in slide
  .odt .odp  order, content.xml: tags removed, a line break after each
             paragraph, entities decoded

Prints the number of files and the megabytes of text.
"""
import html
import os
import re
import subprocess
import sys
import zipfile
from multiprocessing import Pool

PARAGRAPH_END = re.compile(r"</(?:w:p|a:p|text:p|text:h)>")
TAG = re.compile(r"<[^>]*>")


def decode(raw):
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def strip_xml(xml):
    return html.unescape(TAG.sub("", PARAGRAPH_END.sub("\n", xml)))


def slide_number(name):
    return int(re.search(r"(\d+)\.xml$", name).group(1))


def extract(path):
    ext = os.path.splitext(path)[1].lower()
    if ext in (".md", ".txt"):
        return decode(open(path, "rb").read())
    if ext in (".html", ".htm"):
        text = decode(open(path, "rb").read())
        text = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", text)
        return html.unescape(TAG.sub(" ", text))
    if ext == ".pdf":
        run = subprocess.run(["pdftotext", "-q", "-enc", "UTF-8", path, "-"], stdout=subprocess.PIPE)
        return decode(run.stdout)
    with zipfile.ZipFile(path) as z:
        if ext == ".docx":
            parts = ["word/document.xml"]
        elif ext == ".pptx":
            parts = sorted((n for n in z.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)),
                           key=slide_number)
        else:
            parts = ["content.xml"]
        return "\n".join(strip_xml(z.read(p).decode("utf-8")) for p in parts)


def work(job):
    src, dst = job
    text = extract(src).encode("utf-8")
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    with open(dst, "wb") as f:
        f.write(text)
    return len(text)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: extract_text.py SRC DST")
    src, dst = sys.argv[1:]
    jobs = []
    for root, _, names in os.walk(src):
        for name in sorted(names):
            path = os.path.join(root, name)
            jobs.append((path, os.path.join(dst, os.path.relpath(path, src)) + ".txt"))
    with Pool(os.cpu_count()) as pool:
        total = sum(pool.imap_unordered(work, jobs, chunksize=64))
    print("extract_text: %d Dateien, %.1f MB Text in %s" % (len(jobs), total / 1e6, dst))


if __name__ == "__main__":
    main()
