// Saddle-stitch imposition in MuPDF (impose.py): mutool run impose.js BOOKLET.pdf PLAN.json OUT.pdf
// PLAN says everything Python decided: the booklet's page count, the sheet size in points, each
// sheet side's (left, right) page indices (-1: blank), the document information and the /ID, the
// strings as hex bytes (the program's text never reaches this script as text). Each booklet page
// becomes a Form XObject holding its content stream as it is (still compressed) and its resources,
// copied once; a sheet side draws two. Any surprise throws: mutool then exits non-zero and Python
// makes the file itself.
var plan = JSON.parse(read(scriptArgs[1]));
var source = new PDFDocument(scriptArgs[0]);
if (source.countPages() != plan.pages)
  throw new Error("the booklet has " + source.countPages() + " pages, not " + plan.pages);
var out = new PDFDocument();
var graft = out.newGraftMap();

function bytes(hex) {
  var list = [];
  for (var i = 0; i < hex.length; i += 2) list.push(parseInt(hex.slice(i, i + 2), 16));
  return out.newByteString(list);
}

// A missing key reads as undefined (or as a PDF null, when the file says null).
function present(value) {
  return value !== undefined && value !== null && !value.isNull();
}

var forms = {};
function pageForm(index) {
  if (forms[index]) return forms[index];
  var page = source.findPage(index);
  var box = page.get("MediaBox");
  var form = out.newDictionary();
  form.put("Type", out.newName("XObject"));
  form.put("Subtype", out.newName("Form"));
  form.put("BBox", graft.graftObject(box));
  if (present(page.get("Resources"))) form.put("Resources", graft.graftObject(page.get("Resources")));
  var contents = page.get("Contents");
  if (present(contents) && contents.isArray()) {  // several streams: their decoded bytes, one after the other
    var joined = new Buffer();
    for (var k = 0; k < contents.length; k++) {
      joined.writeBuffer(contents.get(k).readStream());
      joined.writeByte(10);
    }
    forms[index] = out.addStream(joined, form);
  } else if (present(contents) && contents.isStream()) {  // the encoded bytes untouched, with what decodes them
    var filter = contents.get("Filter"), parameters = contents.get("DecodeParms");
    if (present(filter)) form.put("Filter", graft.graftObject(filter));
    if (present(parameters)) form.put("DecodeParms", graft.graftObject(parameters));
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

var info = out.newDictionary();
for (var key in plan.info) info.put(key, bytes(plan.info[key]));
var trailer = out.getTrailer();
trailer.put("Info", out.addObject(info));
var identifier = out.newArray();
identifier.push(bytes(plan.id));
identifier.push(bytes(plan.id));
trailer.put("ID", identifier);
out.save(scriptArgs[2], "compress");
