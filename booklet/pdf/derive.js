// The files booklet derives from TeX's PDFs, written by MuPDF (booklet/pdf/mupdf.py):
//   mutool run derive.js impose PLAN.json   the booklet imposed, two pages a sheet side (impose.py)
//   mutool run derive.js cut PLAN.json      a file per session's sheet, and all of them in one (split.py)
// Python decides everything (which page goes where, sheet sizes, document information, /IDs) and
// writes it to PLAN; strings come as hex bytes, so the program's text never reaches this script as
// text. Anything unexpected throws: mutool exits non-zero and Python writes the files itself.
var command = scriptArgs[0], plan = JSON.parse(read(scriptArgs[1]));

function open(path, pages) {
  var document = new PDFDocument(path);
  if (pages !== undefined && document.countPages() != pages)
    throw new Error(path + " has " + document.countPages() + " pages, not " + pages);
  return document;
}

// A missing key reads as undefined (or as a PDF null, when the file says null).
function present(value) {
  return value !== undefined && value !== null && !value.isNull();
}

function byteString(out, hex) {
  var list = [];
  for (var i = 0; i < hex.length; i += 2) list.push(parseInt(hex.slice(i, i + 2), 16));
  return out.newByteString(list);
}

// The document information and both halves of the /ID (MuPDF makes the /ID's second half afresh
// on saving; mupdf.py sets it back).
function stamp(out, info, identifier) {
  var dictionary = out.newDictionary();
  for (var key in info) dictionary.put(key, byteString(out, info[key]));
  var trailer = out.getTrailer();
  trailer.put("Info", out.addObject(dictionary));
  var id = out.newArray();
  id.push(byteString(out, identifier));
  id.push(byteString(out, identifier));
  trailer.put("ID", id);
}

function save(out, info, identifier, target) {
  stamp(out, info, identifier);
  out.save(target, "compress");
}

// Two booklet pages side by side on each sheet side: each page a Form XObject holding its content
// stream as it is (still compressed) and its resources, copied once; a side draws two.
function impose() {
  var source = open(plan.source, plan.pages), out = new PDFDocument(), graft = out.newGraftMap(), forms = {};
  function pageForm(index) {
    if (forms[index]) return forms[index];
    var page = source.findPage(index), form = out.newDictionary();
    form.put("Type", out.newName("XObject"));
    form.put("Subtype", out.newName("Form"));
    form.put("BBox", graft.graftObject(page.get("MediaBox")));
    if (present(page.get("Resources"))) form.put("Resources", graft.graftObject(page.get("Resources")));
    var contents = page.get("Contents");
    if (present(contents) && contents.isArray()) {  // several streams: their decoded bytes in turn
      var joined = new Buffer();
      for (var k = 0; k < contents.length; k++) {
        joined.writeBuffer(contents.get(k).readStream());
        joined.writeByte(10);
      }
      forms[index] = out.addStream(joined, form);
    } else if (present(contents) && contents.isStream()) {  // the encoded bytes, with what decodes them
      if (present(contents.get("Filter"))) form.put("Filter", graft.graftObject(contents.get("Filter")));
      if (present(contents.get("DecodeParms"))) form.put("DecodeParms", graft.graftObject(contents.get("DecodeParms")));
      forms[index] = out.addRawStream(contents.readRawStream(), form);
    } else {
      forms[index] = out.addStream("", form);
    }
    return forms[index];
  }
  var first = source.findPage(0).get("MediaBox");
  var width = first.get(2) - first.get(0), height = first.get(3) - first.get(1);
  var x0 = (plan.sheet[0] - 2 * width) / 2, y0 = (plan.sheet[1] - height) / 2;
  for (var s = 0; s < plan.sides.length; s++) {
    var xobjects = out.newDictionary(), drawing = [];
    for (var slot = 0; slot < 2; slot++) {
      var index = plan.sides[s][slot];
      if (index < 0) continue;
      xobjects.put("Page" + slot, pageForm(index));
      drawing.push("q 1 0 0 1 " + (x0 + slot * width).toFixed(4) + " " + y0.toFixed(4) + " cm /Page" + slot + " Do Q");
    }
    var resources = out.newDictionary();
    resources.put("XObject", xobjects);
    out.insertPage(-1, out.addPage([0, 0, plan.sheet[0], plan.sheet[1]], 0, resources, drawing.join("\n")));
  }
  save(out, plan.info, plan.id, plan.target);
}

// The page index of each named destination of SOURCE.
function destinationPages(source) {
  var pageIndex = {}, found = {};
  for (var i = 0; i < source.countPages(); i++) pageIndex[source.findPage(i).asIndirect()] = i;
  function visit(node) {
    var kids = node.get("Kids"), names = node.get("Names");
    if (present(kids)) for (var k = 0; k < kids.length; k++) visit(kids.get(k));
    if (present(names)) for (var n = 0; n + 1 < names.length; n += 2) {
      var target = names.get(n + 1);
      if (target.isDictionary()) target = target.get("D");
      if (present(target) && target.isArray() && target.get(0).isIndirect())
        found[names.get(n).asString()] = pageIndex[target.get(0).asIndirect()];
    }
  }
  var catalog = source.getTrailer().get("Root"), tree = present(catalog.get("Names")) ? catalog.get("Names").get("Dests") : null;
  if (present(tree)) visit(tree);
  return found;
}

// A link that opens a web address is copied with its page; any other annotation may lead to a
// page left out (another session's), and Python's splitter turns such a reference into null.
function checkAnnotations(page, where) {
  var annotations = page.get("Annots");
  if (!present(annotations)) return;
  for (var a = 0; a < annotations.length; a++) {
    var annotation = annotations.get(a), action = annotation.get("A");
    if (!(annotation.get("Subtype").asName() == "Link" && present(action) && action.get("S").asName() == "URI" && !present(annotation.get("Dest"))))
      throw new Error(where + " has an annotation other than a web link");
  }
}

// The page objects of DOCUMENT from FIRST to before END.
function pagesOf(document, first, end) {
  var pages = [];
  for (var index = first; index < end; index++) pages.push(document.findPage(index));
  return pages;
}

// Copies PAGES (page objects of one file) into OUT under its own page tree: everything a page
// refers to is copied once per GRAFT map.
function copyPages(out, graft, pages) {
  pages.forEach(function (page) {
    var copy = out.newDictionary();
    page.forEach(function (key, value) {
      if (key != "Parent") copy.put(key, graft.graftObject(value));
    });
    out.insertPage(-1, out.addObject(copy));
  });
}

// MuPDF merges identical objects one level a save (the font programs first, then the descriptors
// that name them, then the fonts...), comparing every object with every other: DOCUMENT is saved
// to TARGET through scratch files (Python removes them) until nothing merges. The trailer (the
// document information, the /ID) goes along.
function saveMerged(document, target) {
  var scratch = [target + ".1", target + ".2"], from = scratch[0], to;
  document.save(from, "compress,garbage=4");
  for (var pass = 1, count = new PDFDocument(from).countObjects(); ; pass++) {
    to = scratch[pass % 2];
    new PDFDocument(from).save(to, "compress,garbage=4");
    var merged = new PDFDocument(to).countObjects();
    if (merged == count) break;
    count = merged;
    from = to;
  }
  new PDFDocument(to).save(target, "compress,garbage=4");
}

// The parts merged a group at a time: merging compares every object with every other, so 700
// sessions' copies of the same fonts at once would take seconds; a group of GROUP keeps one copy.
var GROUP = 32;

// Each part as a file of its own: the pages from its destination in its source to the source's
// next destination (or its end), or, without a destination, every page of its source (a sheet a
// previous build made). With them, when asked for, the combined file: every part's pages, each
// part copied on its own as into its own file, merged in groups of parts in their order, then the
// groups merged; so the combined file is the same whichever run each part came from, with the
// objects the parts have in common (their fonts) kept once.
function cut() {
  var sources = {};
  function source(path) {
    if (!sources[path]) {
      var document = open(path), starts = destinationPages(document), sorted = [];
      for (var name in starts) sorted.push(starts[name]);
      sorted.sort(function (a, b) { return a - b; });
      sources[path] = {document: document, starts: starts, sorted: sorted};
    }
    return sources[path];
  }
  var groups = [], names = [], pageCount = 0;
  plan.parts.forEach(function (part, number) {
    var from = source(part.source), first = 0, end = from.document.countPages();
    if (part.destination !== null) {
      first = from.starts[part.destination];
      if (first === undefined) throw new Error("no destination " + part.destination + " in " + part.source);
      for (var s = 0; s < from.sorted.length; s++) if (from.sorted[s] > first) { end = from.sorted[s]; break; }
    }
    var pages = pagesOf(from.document, first, end), out = new PDFDocument();
    pages.forEach(function (page, offset) { checkAnnotations(page, part.source + " page " + (first + offset + 1)); });
    copyPages(out, out.newGraftMap(), pages);
    save(out, part.info, part.id, part.target);
    if (!plan.combined) return;
    if (number % GROUP == 0) groups.push({path: plan.combined.target + ".group" + groups.length, document: new PDFDocument()});
    var into = groups[groups.length - 1].document;
    copyPages(into, into.newGraftMap(), pages);
    names.push([part.name, pageCount]);
    pageCount += pages.length;
  });
  if (!plan.combined) return;
  var combined = new PDFDocument();
  groups.forEach(function (entry) {
    saveMerged(entry.document, entry.path);
    var merged = open(entry.path);
    copyPages(combined, combined.newGraftMap(), pagesOf(merged, 0, merged.countPages()));
  });
  // Each part's named destination, on its first page, in a name tree's sorted order.
  names.sort(function (a, b) { return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0; });
  var list = combined.newArray();
  names.forEach(function (entry) {
    var destination = combined.newArray();
    destination.push(combined.findPage(entry[1]));
    destination.push(combined.newName("Fit"));
    list.push(combined.newString(entry[0]));
    list.push(destination);
  });
  var tree = combined.newDictionary(), dests = combined.newDictionary();
  dests.put("Names", list);
  tree.put("Dests", combined.addObject(dests));
  combined.getTrailer().get("Root").put("Names", tree);
  stamp(combined, plan.combined.info, plan.combined.id);
  saveMerged(combined, plan.combined.target);
}

if (command == "impose") impose();
else if (command == "cut") cut();
else throw new Error("unknown command " + command);
