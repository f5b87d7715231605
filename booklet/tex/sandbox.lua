-- booklet's Lua sandbox for LuaLaTeX (written into the build folder and run before the document).
--
-- kpathsea's openin_any/openout_any confine TeX's own \input and \openout, and shell escape is off,
-- but Lua code in a template (\directlua) could still open, list, write or delete any file of the
-- user's, read the environment or load native code. After this file runs:
--   * files are read only inside the build folder, TeX's trees, the font folders and the font
--     cache (the roots engine.py passes in BOOKLET_READ_ROOTS), and written, renamed or removed
--     only inside the build folder (BOOKLET_WRITE_ROOTS);
--   * bytecode is loaded only from read-only roots (luaotfload's caches), never from the build
--     folder, where Lua could have written it;
--   * MetaPost (whose readfrom reads any file) is gone; PDF objects and images are made only from
--     files Lua may read;
--   * no process, no native library, no debug library, no changing directory. (The environment
--     stays readable: engine.py passes TeX only what it needs, nothing of the user's.)
-- Paths are made absolute and cleaned of "." and ".." before they are compared with the roots, and
-- a symbolic link inside a root that points outside it is refused (lfs.symlinkattributes).

local sep = package.config:sub(1, 1)
local cwd = lfs.currentdir()

local function split(value)
  local list = {}
  for item in string.gmatch(value or "", "[^\n]+") do list[#list + 1] = item end
  return list
end

local function clean(path)
  if type(path) ~= "string" or path == "" then return nil end
  if path:sub(1, 1) ~= sep then path = cwd .. sep .. path end
  local parts = {}
  for part in string.gmatch(path, "[^" .. sep .. "]+") do
    if part == ".." then
      if #parts == 0 then return nil end
      parts[#parts] = nil
    elseif part ~= "." then
      parts[#parts + 1] = part
    end
  end
  return sep .. table.concat(parts, sep)
end

local read_roots, write_roots = {}, {}
for _, root in ipairs(split(os.getenv("BOOKLET_READ_ROOTS"))) do read_roots[#read_roots + 1] = clean(root) end
for _, root in ipairs(split(os.getenv("BOOKLET_WRITE_ROOTS"))) do write_roots[#write_roots + 1] = clean(root) end
for _, root in ipairs(write_roots) do read_roots[#read_roots + 1] = root end

local symlinkattributes = lfs.symlinkattributes

-- Whether PATH (already clean) lies inside ROOT, with no symbolic link on the way that leaves it.
local function inside(path, root)
  if path ~= root and path:sub(1, #root + 1) ~= root .. sep then return false end
  local walked = root
  for part in string.gmatch(path:sub(#root + 2), "[^" .. sep .. "]+") do
    walked = walked .. sep .. part
    local attributes = symlinkattributes(walked)
    if attributes and attributes.mode == "link" then return false end
  end
  return true
end

local function allowed(path, roots)
  local cleaned = clean(path)
  if not cleaned then return nil end
  for _, root in ipairs(roots) do
    if inside(cleaned, root) then return cleaned end
  end
  return nil
end

local function refuse(what, path)
  return nil, "booklet: " .. what .. " is not allowed here: " .. tostring(path)
end

local writes_mode = "[wa+]"

local io_open, io_lines, io_input, io_output = io.open, io.lines, io.input, io.output
local loadfile_, load_ = loadfile, load
local lfs_dir, os_rename = lfs.dir, os.rename

io.open = function(path, mode)
  mode = mode or "r"
  local roots = string.find(mode, writes_mode) and write_roots or read_roots
  if not allowed(path, roots) then return refuse("opening a file", path) end
  return io_open(path, mode)
end
io.lines = function(path, ...)
  if path ~= nil and not allowed(path, read_roots) then error("booklet: reading " .. tostring(path) .. " is not allowed") end
  return io_lines(path, ...)
end
io.input = function(file)
  if type(file) == "string" and not allowed(file, read_roots) then error("booklet: reading " .. file .. " is not allowed") end
  return io_input(file)
end
io.output = function(file)
  if type(file) == "string" and not allowed(file, write_roots) then error("booklet: writing " .. file .. " is not allowed") end
  return io_output(file)
end

-- Text chunks anywhere; bytecode only from roots nobody can write to during the build.
local function bytecode_allowed(path)
  return allowed(path, read_roots) and not allowed(path, write_roots)
end
-- An environment argument given as nil would become the chunk's _ENV: pass it on only when given.
loadfile = function(path, mode, ...)
  if path == nil or not allowed(path, read_roots) then return refuse("loading a file", path) end
  if not bytecode_allowed(path) then mode = "t" end
  return loadfile_(path, mode or "bt", ...)
end
dofile = function(path)
  local chunk, message = loadfile(path)
  if not chunk then error(message) end
  return chunk()
end
load = function(chunk, name, mode, ...)
  return load_(chunk, name, "t", ...)
end

-- Functions whose first argument is a path, each guarded by the roots it may touch.
local function guard(library, name, roots, what)
  local original = library[name]
  if original == nil then return end
  library[name] = function(path, ...)
    if not allowed(path, roots) then return refuse(what, path) end
    return original(path, ...)
  end
end
lfs.dir = function(path)  -- returns an iterator: a refusal must be an error, not nil
  if not allowed(path, read_roots) then error("booklet: listing " .. tostring(path) .. " is not allowed") end
  return lfs_dir(path)
end
guard(lfs, "attributes", read_roots, "reading attributes")
lfs.symlinkattributes = lfs.attributes
guard(lfs, "mkdir", write_roots, "making a folder")
guard(lfs, "rmdir", write_roots, "removing a folder")
guard(lfs, "touch", write_roots, "touching a file")
guard(os, "remove", write_roots, "removing a file")
os.rename = function(old, new)
  if not (allowed(old, write_roots) and allowed(new, write_roots)) then return refuse("renaming a file", old) end
  return os_rename(old, new)
end

if fontloader then
  guard(fontloader, "open", read_roots, "reading a font")
  guard(fontloader, "info", read_roots, "reading a font")
end

-- Files read by other means: MetaPost's readfrom (booklet draws nothing with MetaPost), PDF objects
-- made from a file, and images scanned from one.
mplib = nil
package.loaded.mplib = nil
local function file_argument(value)
  if type(value) == "table" then return value.filename or value.file end
  return nil
end
if pdf then
  for _, name in ipairs({"obj", "immediateobj"}) do
    local original = pdf[name]
    if original then
      pdf[name] = function(...)
        local arguments = {...}
        for index, value in ipairs(arguments) do
          local path = file_argument(value)
          if (value == "file" or value == "streamfile") then path = arguments[index + 1] end
          if path ~= nil and not allowed(path, read_roots) then error("booklet: reading " .. tostring(path) .. " is not allowed") end
        end
        return original(...)
      end
    end
  end
end
if img then
  for _, name in ipairs({"new", "scan", "write", "immediatewrite", "node", "copy"}) do
    local original = img[name]
    if original then
      img[name] = function(image, ...)
        local path = file_argument(image)
        if path == nil and type(image) == "userdata" then path = image.filename end
        if path ~= nil and not allowed(path, read_roots) then error("booklet: reading " .. tostring(path) .. " is not allowed") end
        return original(image, ...)
      end
    end
  end
end

-- Nothing that starts a process, changes the environment, loads native code or reaches other
-- functions' upvalues (the debug library would hand back the originals above).
for _, name in ipairs({"execute", "exec", "spawn", "setenv", "tmpname", "tmpdir", "kpsepopen"}) do
  os[name] = nil
end
io.popen = nil
lfs.chdir, lfs.lock, lfs.unlock, lfs.link, lfs.lock_dir, lfs.setmode = nil, nil, nil, nil, nil, nil
package.loadlib = nil
package.cpath = ""
if package.searchers then package.searchers[3], package.searchers[4] = nil, nil end
if package.loaders then package.loaders[3], package.loaders[4] = nil, nil end
debug = nil
package.loaded.debug = nil
ffi = nil
package.loaded.ffi = nil
socket = nil
