-- Drives `git atse lsp` with headless Neovim's built-in LSP client (Debian's neovim).
-- Run in a repository as: nvim --headless -u NONE -l? (0.7 has no -l) -c "luafile THIS"
-- with ATSE_FILE (a file to open), ATSE_LINE/ATSE_COL (0-based position of a name in it),
-- ATSE_QUERY (a workspace/symbol query) and ATSE_OUT (where to write the results as JSON).
local out = {}
local ok, err = pcall(function()
  local id = vim.lsp.start_client({ cmd = { "git", "atse", "lsp" }, root_dir = vim.fn.getcwd(), name = "git-atse" })
  assert(id, "the client did not start")
  vim.cmd("edit " .. os.getenv("ATSE_FILE"))
  local buf = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(buf, id)
  assert(vim.wait(10000, function()
    local c = vim.lsp.get_client_by_id(id)
    return c ~= nil and c.initialized
  end, 20), "the server did not initialize")
  local client = vim.lsp.get_client_by_id(id)
  out.encoding = client.offset_encoding
  local function req(method, params)
    local r, e = client.request_sync(method, params, 10000, buf)
    assert(r, method .. ": " .. tostring(e))
    assert(not r.err, method .. ": " .. vim.inspect(r.err))
    return r.result
  end
  local doc = { uri = vim.uri_from_bufnr(buf) }
  local pos = { line = tonumber(os.getenv("ATSE_LINE")), character = tonumber(os.getenv("ATSE_COL")) }
  out.definition = req("textDocument/definition", { textDocument = doc, position = pos })
  out.references = req("textDocument/references", { textDocument = doc, position = pos, context = { includeDeclaration = false } })
  out.workspace = req("workspace/symbol", { query = os.getenv("ATSE_QUERY") })
  out.document = req("textDocument/documentSymbol", { textDocument = doc })
  -- An unsaved edit: a new function at the end of the buffer (sent as didChange).
  vim.api.nvim_buf_set_lines(buf, -1, -1, false, { "", "def unsaved_fn():", "    pass" })
  vim.wait(300)
  out.after_edit = req("workspace/symbol", { query = "unsaved_fn" })
  out.saved_on_disk = vim.fn.filereadable(os.getenv("ATSE_FILE")) == 1 and table.concat(vim.fn.readfile(os.getenv("ATSE_FILE")), "\n"):find("unsaved_fn") ~= nil
  vim.lsp.stop_client(id)
  out.stopped = vim.wait(5000, function() return vim.lsp.get_client_by_id(id) == nil end, 20)
end)
out.ok = ok
out.error = err and tostring(err) or nil
local f = io.open(os.getenv("ATSE_OUT"), "w")
f:write(vim.fn.json_encode(out))
f:close()
vim.cmd("qa!")
