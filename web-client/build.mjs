// Builds dist/: index.html (couples) and party.html (party rooms), their scripts and
// styles under assets/ with a shared chunk (minified, no inline code).
import { build } from "esbuild";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { buildPwa } from "./pwa.mjs";

const out = "dist";
rmSync(out, { recursive: true, force: true });
mkdirSync(`${out}/assets`, { recursive: true });
await build({
  entryPoints: { app: "src/main.ts", party: "src/party/main.ts" }, // party: party rooms
  bundle: true,
  minify: true,
  format: "esm",
  // The couple page and the party page share most code: one shared chunk, fetched once.
  splitting: true,
  chunkNames: "[name]-[hash]", // "chunk-…" shared; a dynamic import its file's name (es-core-…)
  target: ["es2020", "chrome100", "safari15", "firefox100"],
  outdir: `${out}/assets`,
  legalComments: "none",
  define: { __WIRE__: JSON.stringify(process.env.CK_WIRE === "json" ? "json" : "msgpack") },
  sourcemap: false,
});
await build({
  entryPoints: { app: "src/styles.css", party: "src/party/party.css", daily: "src/daily/daily.css" },
  bundle: true,
  minify: true,
  // The display face (Fraunces, OFL, from @fontsource): self-hosted next to the CSS.
  loader: { ".woff2": "file" },
  assetNames: "fonts/[name]-[hash]",
  outdir: `${out}/assets`,
});
copyFileSync("index.html", `${out}/index.html`);
copyFileSync("src/party/party.html", `${out}/party.html`); // party rooms: served at /party
// Last: the service worker's cache is named by the hash of everything above.
const version = await buildPwa(out);
console.log(`built web-client/dist (build ${version})`);
