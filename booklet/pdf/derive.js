// The files booklet derives from TeX's PDFs, written by MuPDF (booklet/pdf/mupdf.py):
//   mutool run derive.js impose BOOKLET.pdf PLAN.json OUT.pdf   the booklet imposed (impose.py)
//   mutool run derive.js split SHEETS.pdf PLAN.json             a file per session's sheet (split.py)
// Python decides everything (which page goes where, sheet sizes, document information, /IDs) and
// writes it to PLAN; strings come as hex bytes, so the program's text never reaches this script as
// text. Anything unexpected throws: mutool exits non-zero and Python writes the files itself.
var command = scriptArgs[0], source = new PDFDocument(scriptArgs[1]), plan = JSON.parse(read(scriptArgs[2]));
if (source.countPages() != plan.pages)
  throw new Error("the file has " + source.countPages() + " pages, not " + plan.pages);

// A missing key reads as undefined (or as a PDF null, when the file says null).
function present(value) {
  return value !== undefined && value !== null && !value.isNull();
}

function byteString(out, hex) {
  var list = [];
  for (var i = 0; i < hex.length; i += 2) list.push(parseInt(hex.slice(i, i + 2), 16));
  return out.newByteString(list);
}

// The document information and both halves of the /ID, then the file (MuPDF makes the /ID's second
// half afresh on saving; mupdf.py sets it back).
function save(out, info, identifier, target) {
  var dictionary = out.newDictionary();
  for (var key in info) dictionary.put(key, byteString(out, info[key]));
  var trailer = out.getTrailer();
  trailer.put("Info", out.addObject(dictionary));
  var id = out.newArray();
  id.push(byteString(out, identifier));
  id.push(byteString(out, identifier));
  trailer.put("ID", id);
  out.save(target, "compress");
}

// Two booklet pages side by side on each sheet side: each page a Form XObject holding its content
// stream as it is (still compressed) and its resources, copied once; a side draws two.
function impose(target) {
  var out = new PDFDocument(), graft = out.newGraftMap(), forms = {};
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
  save(out, plan.info, plan.id, target);
}

// The page index of each named destination of the file.
function destinationPages() {
  var pageIndex = {}, found = {};
  for (var i = 0; i < plan.pages; i++) pageIndex[source.findPage(i).asIndirect()] = i;
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

// Each part's pages, from its destination to the next part's, as a file of its own: the pages
// with their content streams and resources, under a page tree of their own. A page with links
// throws (a link may lead to another part's page, which Python's splitter turns into null).
function split() {
  var pages = destinationPages();
  var starts = plan.parts.map(function (part) {
    if (pages[part.destination] === undefined) throw new Error("no destination " + part.destination);
    return pages[part.destination];
  });
  for (var p = 0; p < plan.parts.length; p++) {
    var end = p + 1 < starts.length ? starts[p + 1] : plan.pages;
    if (end <= starts[p]) throw new Error("the destinations are out of order at " + plan.parts[p].destination);
    var out = new PDFDocument(), graft = out.newGraftMap();
    for (var index = starts[p]; index < end; index++) {
      var page = source.findPage(index), copy = out.newDictionary();
      if (present(page.get("Annots"))) throw new Error("page " + (index + 1) + " has annotations");
      page.forEach(function (key, value) {
        if (key != "Parent") copy.put(key, graft.graftObject(value));
      });
      out.insertPage(-1, out.addObject(copy));
    }
    save(out, plan.parts[p].info, plan.parts[p].id, plan.parts[p].target);
  }
}

if (command == "impose") impose(scriptArgs[3]);
else if (command == "split") split();
else throw new Error("unknown command " + command);
