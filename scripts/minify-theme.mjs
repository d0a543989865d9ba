// The theme's search engine as browsers get it: themes/default/scripts/search.js (the source,
// which the Node tests load) minified with terser into themes/default/static/assets/search.js,
// which the binary embeds and every site serves. Less than half the bytes on a first search.
//
//   node scripts/minify-theme.mjs          # rewrites the minified file
//
// terser is pinned in tests/e2e/package.json (`npm ci --prefix tests/e2e`);
// tests/js/minified.test.js fails when the committed file is not what this makes of the source.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
export const SOURCE = path.join(root, "themes/default/scripts/search.js");
export const TARGET = path.join(root, "themes/default/static/assets/search.js");

/** The minified file for the source text `source`. */
export async function minified(source) {
  const terser = createRequire(path.join(root, "tests/e2e/package.json"))("terser");
  const version = createRequire(path.join(root, "tests/e2e/package.json"))("terser/package.json").version;
  const result = await terser.minify(source, {
    ecma: 2020,
    compress: { passes: 2 },
    mangle: true,
    format: {
      comments: false,
      preamble: `/* handbook's search engine, minified by terser ${version} (scripts/minify-theme.mjs) from themes/default/scripts/search.js: edit that file. */`,
    },
  });
  return result.code + "\n";
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const code = await minified(fs.readFileSync(SOURCE, "utf8"));
  fs.writeFileSync(TARGET, code);
  console.log(`wrote ${path.relative(root, TARGET)}: ${code.length} bytes (source ${fs.statSync(SOURCE).size})`);
}
