// The installable part of dist/: the manifest, icons and offline page (copied from
// public/), and sw.js, the service worker, built last with the hash of everything else
// in dist/ as its cache name and the app shell's files as its list.
import { build } from "esbuild";
import { createHash } from "node:crypto";
import { cpSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

export async function buildPwa(out) {
  cpSync("public", out, { recursive: true });
  const all = files(out).map((p) => relative(out, p).split("\\").join("/")).sort();
  const hash = createHash("sha256");
  for (const name of all) hash.update(name).update("\0").update(readFileSync(join(out, name)));
  const version = hash.digest("hex").slice(0, 16);
  // The shell: the pages' scripts and styles, the offline page, the manifest, icons.
  // Not the pages themselves: they always come from the server (see sw/sw.ts).
  const shell = all.filter((n) => !n.endsWith(".html") || n === "offline.html");
  await build({
    entryPoints: ["sw/sw.ts"],
    bundle: true,
    minify: true,
    format: "iife",
    target: ["es2020"],
    outfile: `${out}/sw.js`,
    legalComments: "none",
    define: { __BUILD__: JSON.stringify(version), __SHELL__: JSON.stringify(shell) },
  });
  return version;
}
