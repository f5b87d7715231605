// Render areas of a PDF's pages in grey, each to a PNG of its own, for the QR read-back (qr.py).
// mutool run qr_areas.js FILE.pdf DPI LIST FOLDER: LIST has a line per area, "page x0 y0 x1 y1",
// the page counted from 0 and the area in points from the page's top left corner, as MuPDF counts;
// the Nth line's picture is FOLDER/area-N.png. Only the area is drawn (a pixmap of its size), not
// the whole page: a few milliseconds a code.
var document = new Document(scriptArgs[0]);
var scale = Number(scriptArgs[1]) / 72;
var matrix = [scale, 0, 0, scale, 0, 0];
var lines = read(scriptArgs[2]).split("\n");
for (var i = 0; i < lines.length; i++) {
  var field = lines[i].split(" ");
  if (field.length != 5) continue;
  var page = document.loadPage(Number(field[0]));
  var area = [Math.floor(Number(field[1]) * scale), Math.floor(Number(field[2]) * scale),
              Math.ceil(Number(field[3]) * scale), Math.ceil(Number(field[4]) * scale)];
  var pixmap = new Pixmap(DeviceGray, area, false);
  pixmap.clear(255);
  var device = new DrawDevice(Identity, pixmap);
  page.run(device, matrix);
  device.close();
  pixmap.saveAsPNG(scriptArgs[3] + "/area-" + i + ".png");
}
