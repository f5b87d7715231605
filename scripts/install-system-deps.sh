#!/usr/bin/env bash
# Install what booklet needs from the operating system, only when it is missing:
# pdflatex with acmart's fonts (Libertine, Biolinum, Inconsolata) and Libertine's Greek and Cyrillic
# (texlive-lang-greek, texlive-lang-cyrillic); lualatex (texlive-luatex) with the Noto fonts for
# every other script (fonts-noto-core, fonts-noto-cjk);
# poppler's pdftoppm/pdfinfo/pdftotext, qpdf, MuPDF's mutool (the preflight's text extraction,
# its copies for poppler and its QR areas),
# zbar-tools' zbarimg (the preflight reads QR codes back) and Python's venv module.
# Debian/Ubuntu packages; runs apt-get as root or through sudo.
set -euo pipefail

need_tex=0
for tool in pdflatex lualatex kpsewhich pdftoppm pdfinfo pdftotext qpdf mutool zbarimg; do
  command -v "$tool" >/dev/null 2>&1 || need_tex=1
done
if [ "$need_tex" = 0 ]; then
  # acmart.cls (texlive-publishers), libertine.sty and inconsolata (fonts-extra), binhex.tex (plain-generic),
  # libertinegc.sty (fonts-extra) with lgrenc.def (lang-greek) and t2aenc.def (lang-cyrillic), fontspec (luatex)
  for file in acmart.cls libertine.sty libertinegc.sty zi4.sty binhex.tex lgrenc.def t2aenc.def fontspec.sty \
              LibertinusSerif-Regular.otf; do
    [ -n "$(kpsewhich "$file" 2>/dev/null)" ] || need_tex=1
  done
  for font in /usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc /usr/share/fonts/truetype/noto/NotoNaskhArabic-Regular.ttf; do
    [ -f "$font" ] || need_tex=1
  done
fi
need_venv=0
python3 -c "import ensurepip, venv" >/dev/null 2>&1 || need_venv=1

if [ "$need_tex" = 0 ] && [ "$need_venv" = 0 ]; then
  exit 0
fi

if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
  echo "booklet set-up: TeX Live or python3-venv is missing and I am not root; install them with:" >&2
  echo "  apt-get install texlive-latex-extra texlive-publishers texlive-fonts-extra ... (see README)" >&2
  exit 1
fi

packages=()
if [ "$need_tex" = 1 ]; then
  packages+=(texlive-latex-base texlive-latex-recommended texlive-latex-extra texlive-publishers
             texlive-fonts-recommended texlive-fonts-extra texlive-plain-generic latexmk
             texlive-lang-greek texlive-lang-cyrillic
             texlive-luatex fonts-noto-core fonts-noto-cjk
             poppler-utils qpdf mupdf-tools zbar-tools)
fi
[ "$need_venv" = 1 ] && packages+=(python3-venv)

echo "booklet set-up: installing ${packages[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${packages[@]}"
