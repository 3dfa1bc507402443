"""Drives `git atse mcp` with the official MCP Python SDK's client (PyPI `mcp`).

  python3 mcp_client.py REPO CALLS_JSON

Starts the server in REPO, initializes, lists the tools, then calls each [tool, arguments]
of CALLS_JSON in turn (a pseudo-call ["__write", {"path", "text"}] writes a file, as an agent
editing between two calls would, and ["__run", {"argv", "sleep_ms"}] runs a command after a
pause and records its output); prints one JSON object: the server's name and protocol version, the
tool names and input schemas, and each call's isError, text and structured content (or the
JSON-RPC error the server answered with).
"""

import asyncio
import json
import os
import subprocess
import sys
import time

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client


async def main(repo, calls):
    params = StdioServerParameters(command="git", args=["atse", "mcp"], cwd=repo, env=dict(os.environ))
    async with stdio_client(params) as (read, write):
        async with ClientSession(read, write) as session:
            init = await session.initialize()
            listed = await session.list_tools()
            out = {
                "server": init.server_info.name,
                "protocol": init.protocol_version,
                "tools": {t.name: t.input_schema for t in listed.tools},
                "calls": [],
            }
            for name, args in calls:
                if name == "__write":  # the agent edits a file between two calls
                    with open(os.path.join(repo, args["path"]), "w") as f:
                        f.write(args["text"])
                    continue
                if name == "__run":  # a command between two calls (git commit, ...)
                    time.sleep(args.get("sleep_ms", 0) / 1000)
                    r = subprocess.run(args["argv"], cwd=repo, capture_output=True, text=True)
                    out["calls"].append({"tool": name, "code": r.returncode, "stdout": r.stdout})
                    continue
                try:
                    r = await session.call_tool(name, args)
                except Exception as e:  # a JSON-RPC error from the server
                    out["calls"].append({"tool": name, "error": str(e)})
                    continue
                out["calls"].append({
                    "tool": name,
                    "isError": bool(r.is_error),
                    "text": "".join(c.text for c in r.content if c.type == "text"),
                    "structured": r.structured_content,
                })
            print(json.dumps(out))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], json.loads(sys.argv[2])))
