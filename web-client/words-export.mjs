// Prints every words table (src/i18n.ts addWords) in every UI language as JSON, with
// each language's Intl.PluralRules categories: tests/server/test_words_complete.py reads
// it. The tables are found, not listed: every file under src/ that calls addWords("…"),
// so a table added later is checked without editing anything here or in the test.
import { build } from "esbuild";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";

const here = new URL(".", import.meta.url).pathname;
const src = join(here, "src");
function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith(".ts") ? [path] : [];
  });
}
const tables = files(src).filter((p) => /\baddWords\(\s*"/.test(readFileSync(p, "utf8")));
const entry = [
  `import { allWords, UI_LANGS } from "./src/i18n";`,
  ...tables.map((p) => `import "./${relative(here, p).split("\\").join("/")}";`),
  `export default async () => ({ files: ${JSON.stringify(tables.map((p) => relative(here, p)))},`,
  `  plurals: Object.fromEntries(UI_LANGS.map((l) => [l, new Intl.PluralRules(l).resolvedOptions().pluralCategories])),`,
  `  tables: await allWords() });`,
].join("\n");
const dir = mkdtempSync(join(tmpdir(), "ck-words-"));
try {
  const out = join(dir, "words.mjs");
  await build({ stdin: { contents: entry, resolveDir: here, loader: "ts" }, bundle: true, format: "esm",
    platform: "node", outfile: out, logLevel: "error", define: { __WIRE__: '"msgpack"' } });
  const words = await (await import(pathToFileURL(out).href)).default();
  writeFileSync(1, JSON.stringify(words));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
