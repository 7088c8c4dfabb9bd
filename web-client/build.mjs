// Builds dist/: index.html, assets/app.js and assets/app.css (minified, no inline code).
import { build } from "esbuild";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";

const out = "dist";
rmSync(out, { recursive: true, force: true });
mkdirSync(`${out}/assets`, { recursive: true });
await build({
  entryPoints: { app: "src/main.ts" },
  bundle: true,
  minify: true,
  format: "esm",
  target: ["es2020", "chrome100", "safari15", "firefox100"],
  outdir: `${out}/assets`,
  legalComments: "none",
  define: { __WIRE__: JSON.stringify(process.env.CK_WIRE === "json" ? "json" : "msgpack") },
  sourcemap: false,
});
await build({
  entryPoints: { app: "src/styles.css" },
  bundle: true,
  minify: true,
  outdir: `${out}/assets`,
});
copyFileSync("index.html", `${out}/index.html`);
console.log("built web-client/dist");
