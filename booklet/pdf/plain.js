// A copy of a PDF for poppler's word boxes (booklet/pdf/poppler.py):
//   mutool run plain.js SOURCE.pdf COPY.pdf
// Its streams are stored uncompressed (images excepted), and the font programs poppler does not
// need for text are left out. Poppler loads a page's fonts afresh on every page, reading each
// embedded program byte by byte: for a 350-page booklet that is half of pdftotext's time. A simple
// font that names its codes (an /Encoding with /Differences) and maps them to text (a /ToUnicode
// map) gives the same words and boxes without its program: the text comes from the map, each
// glyph's advance from /Widths, its height from the descriptor, which stays. Any other font
// (a composite font, a symbol font with only its built-in encoding) keeps its program, and so does
// a descriptor any such font shares.
// Nothing here is written to OUT: the copy lives in the build's work folder and is removed once read.
var source = new PDFDocument(scriptArgs[0]);
var SIMPLE = {Type1: true, MMType1: true, TrueType: true};

// A missing key reads as undefined (or as a PDF null, when the file says null).
function present(value) {
  return value !== undefined && value !== null && !value.isNull();
}

function named(value, name) {
  return present(value) && value.isName() && value.asName() == name;
}

function is(value, kind) {
  return present(value) && value[kind]();
}

// A descriptor may serve several fonts (pdfTeX writes one per encoding of a font): its program goes
// only when none of them needs it.
var needed = {}, spare = {};
for (var number = 1, count = source.countObjects(); number < count; number++) {
  var font = source.newIndirect(number, 0);
  if (!font.isDictionary() || !named(font.get("Type"), "Font")) continue;
  var subtype = font.get("Subtype"), encoding = font.get("Encoding"), descriptor = font.get("FontDescriptor");
  if (!is(descriptor, "isDictionary")) continue;
  var key = descriptor.isIndirect() ? descriptor.asIndirect() : "direct" + number;
  var readable = is(subtype, "isName") && SIMPLE[subtype.asName()] && is(font.get("ToUnicode"), "isStream") &&
      is(encoding, "isDictionary") && is(encoding.get("Differences"), "isArray") && is(font.get("Widths"), "isArray");
  if (readable) spare[key] = descriptor;
  else needed[key] = true;
}
for (var key in spare) {
  if (needed[key]) continue;
  spare[key].delete("FontFile");
  spare[key].delete("FontFile2");
  spare[key].delete("FontFile3");
}
source.save(scriptArgs[1], "decompress,compress-images");
