// What the Node tests share: the browser stemmers as a site gets them.
"use strict";

const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const DIR = path.join(__dirname, "../../themes/default/stemmers");

// ISO 639-1 code → Snowball algorithm (file `<algorithm>-stemmer.js`, class `<Algorithm>Stemmer`),
// as src/search/language.rs pairs them.
const ALGORITHMS = {
  ar: "arabic", da: "danish", nl: "dutch", en: "english", fi: "finnish", fr: "french",
  de: "german", el: "greek", hu: "hungarian", it: "italian", no: "norwegian", pt: "portuguese",
  ro: "romanian", ru: "russian", es: "spanish", sv: "swedish", ta: "tamil", tr: "turkish",
};

const read = (file) => fs.readFileSync(path.join(DIR, file), "utf8");
const className = (algorithm) => algorithm[0].toUpperCase() + algorithm.slice(1) + "Stemmer";

// The script a site gets as search/stem.js (src/search/mod.rs, stemmer_script). The files assign
// `BaseStemmer = …` and `EnglishStemmer = …` without declaring them, so the wrapper declares
// both: they stay local (no globals leak) and the assignments also work under "use strict".
// `;` lines guard the joins.
function wrap(base, lang, cls, strict) {
  return "(function(){\n" + (strict ? '"use strict";\n' : "") +
    "var BaseStemmer," + cls + ";\n" +
    base + "\n;\n" + lang + "\n;\n" +
    "var stemmer=new " + cls + "();\n" +
    'handbookSearch.register("stem",function(word){return stemmer.stemWord(word);});\n' +
    "})();\n";
}

/** Runs the wrapped script of `algorithm` in a new context; returns the registered stem function. */
function load(algorithm, strict = false) {
  const registered = {};
  const context = { handbookSearch: { register(name, fn) { registered[name] = fn; } } };
  vm.runInNewContext(wrap(read("base-stemmer.js"), read(algorithm + "-stemmer.js"), className(algorithm), strict), context);
  assert.deepEqual(Object.keys(context), ["handbookSearch"], "the script defines no globals");
  assert.equal(typeof registered.stem, "function");
  return registered.stem;
}

/** The stem function of a language code, or none (words stay as they are) when it has no stemmer. */
function stemmerOf(code) {
  return ALGORITHMS[code] ? load(ALGORITHMS[code]) : (w) => w;
}

module.exports = { ALGORITHMS, DIR, load, stemmerOf, wrap };
