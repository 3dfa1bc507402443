// Parses each Mermaid file named on the command line with mermaid's own parser (under
// jsdom: mermaid needs a DOM even to parse); exits 1 on the first that does not parse.
import { readFileSync } from "node:fs";
import { JSDOM } from "jsdom";
const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, "utf8");
  try {
    const r = await mermaid.parse(text);
    console.log(`${file}: ok (${r.diagramType})`);
  } catch (e) {
    console.error(`${file}: ${e.message ?? e}`);
    process.exit(1);
  }
}
