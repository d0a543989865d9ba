/* handbook: client-side full-text search (the query engine, the header box and the search page).

   The index under search/ is many small files, each calling handbookSearch.register(name, data).
   They are loaded on demand with <script> tags: the one way of loading data that works on any
   static host, at any sub-path and from file://. A query loads the index metadata, one dictionary
   shard per word, the filter lists it uses and the chunks of the documents it shows: never all. */
(function () {
  "use strict";

  // ---- Tokenizer: must do exactly what src/search/tokens.rs does, or lookups miss. ----

  const STOP_WORDS = ["a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have",
    "in", "is", "it", "its", "of", "on", "or", "that", "the", "this", "to", "was", "were", "will", "with", "we", "our"];
  const MAX_TOKEN = 40;
  const SUFFIXES = ["ations", "ation", "ments", "ment", "ings", "ing", "ions", "ion", "ness", "ers", "er",
    "edly", "ed", "ly", "es", "e"];

  // Rust's char::is_alphanumeric is Unicode Alphabetic or Numeric. Built with the RegExp
  // constructor so that a browser without property escapes falls back instead of failing to parse.
  function unicodeRegExp(source, fallback, flags) {
    try { return new RegExp(source, flags + "u"); } catch (e) { return new RegExp(fallback, flags); }
  }
  const NOT_WORD = unicodeRegExp("[^\\p{Alphabetic}\\p{N}]+", "[^0-9A-Za-z\\u00C0-\\u1FFF\\u2070-\\uFFFF]+", "");
  const WORD = unicodeRegExp("[\\p{Alphabetic}\\p{N}]+", "[0-9A-Za-z\\u00C0-\\u1FFF\\u2070-\\uFFFF]+", "g");

  function asSet(stop) { return stop instanceof Set ? stop : new Set(stop || STOP_WORDS); }

  /** Lowercase words of `text`, split at every character that is not a letter or digit. */
  function words(text) {
    return String(text || "").split(NOT_WORD)
      .filter((w) => w && Array.from(w).length <= MAX_TOKEN)
      .map((w) => w.toLowerCase());
  }

  /** The index terms of `text`, in order: words less stop words, stemmed. */
  function tokenize(text, stop) {
    const stops = asSet(stop);
    return words(text).filter((w) => !stops.has(w)).map(stem);
  }

  /** The light English stemmer of the index: only ASCII words longer than three letters. */
  function stem(word) {
    if (word.length <= 3 || !/^[a-z]+$/.test(word)) return word;
    let w = word;
    if (w.length > 4 && w.endsWith("ies")) w = w.slice(0, -3) + "y";
    else if (w.endsWith("sses")) w = w.slice(0, -2);
    else if (w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us") && !w.endsWith("is")) w = w.slice(0, -1);
    const suffix = SUFFIXES.find((s) => w.endsWith(s));
    if (suffix && w.length - suffix.length >= 3) w = w.slice(0, -suffix.length);
    const n = w.length;
    if (n >= 2 && w[n - 1] === w[n - 2] && "aeioulsz".indexOf(w[n - 1]) < 0) w = w.slice(0, -1);
    return w;
  }

  // ---- Query parsing: "exact phrases" and plain words; the last word may still be being typed. ----

  /** {tokens: [{term, raw, prefix, typo, exact}], phrases: [normalized text]} */
  function parseQuery(query, stop) {
    const stops = asSet(stop);
    const phrases = [];
    const tokens = new Map();
    const add = (term, raw, flags) => {
      const old = tokens.get(term);
      if (!old) { tokens.set(term, Object.assign({ term: term, raw: raw }, flags)); return; }
      old.prefix = old.prefix || flags.prefix;
      old.typo = old.typo || flags.typo;
      old.exact = old.exact || flags.exact;
    };
    const rest = String(query || "").replace(/"([^"]*)"/g, (_, phrase) => {
      const terms = tokenize(phrase, stops);
      if (terms.length) phrases.push(normalize(phrase));
      terms.forEach((t) => add(t, t, { prefix: false, typo: false, exact: true }));
      return " ";
    });
    // Still typing the last word: nothing (not a space, not a closing quote) follows it.
    const typing = /[^\s"]$/.test(String(query || ""));
    const plain = words(rest);
    plain.forEach((raw, i) => {
      const prefix = typing && i === plain.length - 1 && Array.from(raw).length >= 3;
      // A stop word being typed may be the start of a real word ("the" → "thread").
      if (stops.has(raw)) { if (prefix) add(raw, raw, { prefix: true, typo: false, exact: false }); return; }
      add(stem(raw), raw, { prefix: prefix, typo: true, exact: true });
    });
    return { tokens: Array.from(tokens.values()), phrases: phrases };
  }

  function normalize(text) { return String(text || "").toLowerCase().replace(/\s+/g, " ").trim(); }

  // ---- Engine: ranks with the precomputed impacts; loads only what a query needs. ----

  const WEIGHT = { exact: 1, prefix: 0.6, typo: 0.5 };
  const PREFIX_TERMS = 5;      // prefix matches kept per typed word, the most frequent first
  const PREFIX_SHARDS = 3;     // at most this many deeper shards are loaded to complete a short prefix
  const TYPO_MIN = 5;          // shorter words are too easily one letter from another word
  const PAGE_SIZE = 10;
  const EXCERPT = 160;
  const FACETS = ["kind", "status", "tag", "year"];

  function createEngine(load) {
    const loaded = new Map();
    const rankings = new Map();
    // Each index file is asked for once; a failed load may be retried by the next query.
    const get = (name) => {
      if (!loaded.has(name)) {
        loaded.set(name, Promise.resolve().then(() => load(name)).catch((e) => { loaded.delete(name); throw e; }));
      }
      return loaded.get(name);
    };
    let metaPromise = null;
    const meta = () => metaPromise || (metaPromise = get("meta").then(prepareMeta).catch((e) => { metaPromise = null; throw e; }));
    const doc = (m, id) => get("d/" + Math.floor(id / m.chunk)).then((chunk) => chunk[id % m.chunk]);

    async function search(query, options) {
      const opts = options || {};
      const m = await meta();
      const filters = {};
      FACETS.forEach((f) => { if (opts[f] != null && opts[f] !== "") filters[f] = String(opts[f]); });
      const key = JSON.stringify([query || "", filters]);
      if (!rankings.has(key)) {
        if (rankings.size > 20) rankings.clear();
        rankings.set(key, rank(m, query, filters).catch((e) => { rankings.delete(key); throw e; }));
      }
      const size = opts.pageSize || PAGE_SIZE;
      return pageOf(m, await rankings.get(key), opts.offset != null ? opts.offset : (opts.page || 0) * size, size);
    }

    // Scores the query's words, intersects the filters; AND first, OR if AND finds nothing.
    async function rank(m, query, filters) {
      const parsed = parseQuery(query, m.stop);
      const [matches, allowed] = await Promise.all([
        Promise.all(parsed.tokens.map((t) => matchToken(m, t))),
        filterDocs(m, filters),
      ]);
      const ranking = { parsed: parsed, terms: new Set(), mode: "and", candidates: [], verified: null, cursor: 0 };
      if (!parsed.tokens.length) {
        ranking.mode = allowed ? "filter" : "none";
        ranking.candidates = Array.from(allowed || []).map((id) => ({ id: id, score: 0, heading: -1 }));
        return ranking;
      }
      matches.forEach((list) => list.forEach((x) => ranking.terms.add(x.term)));
      const perToken = matches.map(tokenScores);
      const keep = (list) => (allowed ? list.filter((c) => allowed.has(c.id)) : list);
      ranking.candidates = keep(combine(perToken, true));
      if (!ranking.candidates.length && perToken.length > 1) {
        ranking.mode = "or";
        ranking.candidates = keep(combine(perToken, false));
      }
      ranking.candidates.sort((a, b) => b.score - a.score || a.id - b.id);
      if (parsed.phrases.length) ranking.verified = [];
      return ranking;
    }

    // Which terms a query word stands for: itself, words it starts (while typing), near misses.
    async function matchToken(m, token) {
      const keys = new Set([shardKey(m, token.term)]);
      const truncations = [];
      if (token.prefix) {
        keys.add(shardKey(m, token.raw));
        const deeper = m.keys.filter((k) => k.length > token.raw.length && k.startsWith(token.raw));
        if (deeper.length <= PREFIX_SHARDS) deeper.forEach((k) => keys.add(k));
        // Typed past the stem ("meetin", "runnin"): the term is the start of what was typed and
        // the rest is the start of a suffix the stemmer removes.
        for (let n = token.raw.length - 1; n >= 3; n--) {
          if (suffixStart(token.raw.slice(n), token.raw[n - 1])) truncations.push(token.raw.slice(0, n));
        }
        truncations.forEach((t) => keys.add(shardKey(m, t)));
      }
      keys.delete(null);
      const dict = {};
      const shards = await Promise.all(Array.from(keys).map((k) => get("t/" + m.shards[k])));
      shards.forEach((s) => Object.assign(dict, s));
      const found = [];
      const has = (t) => Object.prototype.hasOwnProperty.call(dict, t);
      if (token.exact && has(token.term)) found.push({ term: token.term, weight: WEIGHT.exact, postings: dict[token.term] });
      if (token.prefix) {
        Object.keys(dict).filter((t) => t !== token.term && t.startsWith(token.raw))
          .sort((a, b) => dict[b][0] - dict[a][0]).slice(0, PREFIX_TERMS)
          .forEach((t) => found.push({ term: t, weight: WEIGHT.prefix, postings: dict[t] }));
        const cut = found.length ? null : truncations.find(has);
        if (cut) found.push({ term: cut, weight: WEIGHT.prefix, postings: dict[cut] });
      }
      if (token.typo && token.term.length >= TYPO_MIN) {
        Object.keys(dict).filter((t) => t !== token.term && oneEditApart(t, token.term))
          .forEach((t) => found.push({ term: t, weight: WEIGHT.typo, postings: dict[t] }));
      }
      return found;
    }

    // The documents of every chosen filter value (a sorted id list each), intersected.
    async function filterDocs(m, filters) {
      const names = Object.keys(filters).map((f) => facetFile(m, f, filters[f]));
      if (!names.length) return null;
      if (names.indexOf(null) >= 0) return new Set();
      const lists = await Promise.all(names.map(get));
      lists.sort((a, b) => a.length - b.length);
      const others = lists.slice(1).map((l) => new Set(l));
      return new Set(lists[0].filter((id) => others.every((s) => s.has(id))));
    }

    // Loads documents only for the results shown.
    async function pageOf(m, ranking, from, size) {
      let list = ranking.candidates;
      let exact = true;
      if (ranking.verified) {
        await verify(m, ranking, from + size, size);
        list = ranking.verified;
        exact = ranking.cursor >= ranking.candidates.length;
      }
      const shown = list.slice(from, from + size);
      const docs = await Promise.all(shown.map((c) => doc(m, c.id)));
      const hit = ranking.terms.size ? (w) => ranking.terms.has(stem(w.toLowerCase())) : null;
      return {
        query: ranking.parsed, mode: ranking.mode, offset: from, page: Math.floor(from / size), pageSize: size,
        total: list.length, approximate: !exact, more: list.length > from + size || !exact,
        results: shown.map((c, i) => toResult(docs[i], c, hit)),
      };
    }

    // Phrases are checked in rank order, one request at a time, and at most `limit` candidates
    // per request: a phrase query never loads more document chunks than a plain one. The next
    // request ("More results") goes on where this one stopped.
    function verify(m, ranking, wanted, limit) {
      const step = async () => {
        const need = Math.min(limit, wanted - ranking.verified.length);
        const next = ranking.candidates.slice(ranking.cursor, ranking.cursor + Math.max(0, need));
        const docs = await Promise.all(next.map((c) => doc(m, c.id)));
        ranking.cursor += next.length;
        next.forEach((c, i) => {
          const text = normalize(docs[i].t + " " + docs[i].x);
          if (ranking.parsed.phrases.every((p) => text.indexOf(p) >= 0)) ranking.verified.push(c);
        });
      };
      const done = (ranking.busy || Promise.resolve()).then(step);
      ranking.busy = done.catch(() => {});
      return done;
    }

    return { search: search, meta: meta, facets: () => meta().then((m) => m.facets) };
  }

  /** Adds lookup helpers to the registered metadata. */
  function prepareMeta(data) {
    const m = Object.assign({}, data);
    // Shard keys, each with its file id: given as a map, or as a list of keys named by rule.
    if (Array.isArray(m.shards)) m.shards = m.shards.reduce((map, key) => { map[key] = shardFileId(key); return map; }, {});
    m.shards = m.shards || {};
    m.keys = Object.keys(m.shards);
    m.stop = new Set(m.stop || STOP_WORDS);
    m.facets = Object.assign({ kind: [], status: [], tag: [], year: [] }, m.facets);
    return m;
  }

  /** The file of shard `key`: the key when plain ASCII, else "x" and its UTF-8 bytes in hex. */
  function shardFileId(key) {
    if (/^[a-z0-9-]+$/.test(key)) return key;
    return "x" + Array.from(new TextEncoder().encode(key), (b) => (b < 16 ? "0" : "") + b.toString(16)).join("");
  }

  /** A term's shard: the longest shard key that starts it (a shorter term is its own key). */
  function shardKey(m, term) {
    const chars = Array.from(term);
    for (let n = chars.length; n >= Math.min(3, chars.length) && n > 0; n--) {
      const key = chars.slice(0, n).join("");
      if (Object.prototype.hasOwnProperty.call(m.shards, key)) return key;
    }
    return null;
  }

  /** The file of one filter value, or null when no document has it. */
  function facetFile(m, facet, value) {
    const entry = (m.facets[facet] || []).find((e) => String(e[0]) === value);
    if (!entry) return null;
    return "f/" + facet + "/" + (facet === "tag" ? entry[1] : value);
  }

  const SUFFIX_STARTS = ["s"].concat(SUFFIXES, SUFFIXES.map((s) => s + "s"));
  /** Whether `rest` starts a removable suffix (after a doubled `last` letter, as in "runn|ing"). */
  function suffixStart(rest, last) {
    const starts = (r) => r.length > 0 && SUFFIX_STARTS.some((s) => s.startsWith(r));
    return starts(rest) || (rest[0] === last && starts(rest.slice(1)));
  }

  /** Levenshtein distance exactly 1 (one letter changed, added or removed). */
  function oneEditApart(a, b) {
    if (a === b || Math.abs(a.length - b.length) > 1) return false;
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1);
    return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  /** doc → {score, heading}: a word's best weighted impact in each document. */
  function tokenScores(found) {
    const best = new Map();
    found.forEach((f) => {
      const p = f.postings;
      for (let i = 1; i + 2 < p.length; i += 3) {
        const score = p[i + 1] * f.weight;
        const old = best.get(p[i]);
        if (!old || score > old.score) best.set(p[i], { score: score, heading: p[i + 2] });
      }
    });
    return best;
  }

  /** Sums the words' scores per document; `all`: only documents every word matched. */
  function combine(perToken, all) {
    const docs = new Map();
    perToken.forEach((scores) => scores.forEach((s, id) => {
      const d = docs.get(id) || { id: id, score: 0, hits: 0, best: -1, heading: -1 };
      d.score += s.score;
      d.hits++;
      if (s.score > d.best) { d.best = s.score; d.heading = s.heading; }
      docs.set(id, d);
    }));
    return Array.from(docs.values()).filter((d) => !all || d.hits === perToken.length);
  }

  function toResult(d, c, hit) {
    const heading = c.heading >= 0 && d.h && d.h[c.heading];
    return {
      id: c.id, score: c.score, title: d.t, href: d.u + (heading ? "#" + heading[0] : ""),
      kind: d.k, status: d.s || null, statusLabel: d.sl || null, date: d.d || null, tags: d.g || [],
      heading: heading ? heading[1] : null, excerpt: excerpt(d.x || "", hit),
    };
  }

  // ---- Excerpts: the text around the first match, HTML-escaped, matches in <mark>. ----

  const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  function escapeHtml(text) { return String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]); }

  function excerpt(text, hit) {
    const hits = [];
    const re = new RegExp(WORD.source, WORD.flags);
    let found;
    while (hit && (found = re.exec(text))) {
      if (hit(found[0])) hits.push([found.index, found.index + found[0].length]);
    }
    // Start a little before the first match, as late as needed to fill the excerpt, at a word.
    let start = hits.length ? Math.max(0, Math.min(hits[0][0] - 40, text.length - EXCERPT)) : 0;
    if (start > 0) {
      const space = text.indexOf(" ", start);
      start = space >= 0 && space < hits[0][0] ? space + 1 : hits[0][0];
    }
    let end = Math.min(text.length, start + EXCERPT);
    const back = text.lastIndexOf(" ", end);
    if (end < text.length && back > start + EXCERPT / 2) end = back;
    let html = start > 0 ? "…" : "";
    let at = start;
    hits.filter((h) => h[0] >= start && h[1] <= end).forEach((h) => {
      html += escapeHtml(text.slice(at, h[0])) + "<mark>" + escapeHtml(text.slice(h[0], h[1])) + "</mark>";
      at = h[1];
    });
    return html + escapeHtml(text.slice(at, end)) + (end < text.length ? "…" : "");
  }

  // ---- Browser: index files come in as <script> tags that call handbookSearch.register. ----

  function scriptLoader(api, base) {
    const waiting = {};
    const entry = (name) => {
      if (!waiting[name]) {
        const e = waiting[name] = { done: false };
        e.promise = new Promise((resolve, reject) => { e.resolve = resolve; e.reject = reject; });
      }
      return waiting[name];
    };
    api.register = (name, data) => { const e = entry(name); e.done = true; e.resolve(data); };
    return (name) => {
      const e = entry(name);
      if (e.script || e.done) return e.promise;
      const script = e.script = document.createElement("script");
      script.src = base + "search/" + name + ".js";
      script.async = true;
      const fail = () => { delete waiting[name]; e.reject(new Error("could not load " + script.src)); };
      script.onload = () => { script.remove(); if (!e.done) fail(); };
      script.onerror = () => { script.remove(); fail(); };
      document.head.appendChild(script);
      return e.promise;
    };
  }

  /** ROOT as the header box gives it, else derived from where this script came from. */
  function siteRoot() {
    const box = document.querySelector("input[data-search-root]");
    if (box) return box.getAttribute("data-search-root") || "";
    const src = document.currentScript && document.currentScript.src;
    return src ? src.replace(/assets\/search\.js(\?.*)?$/, "") : "";
  }

  const DROPDOWN_SIZE = 8;
  const DEBOUNCE_MS = 80;
  const KIND_LABELS = { decision: "Decision", meeting: "Meeting", protocol: "Protocol", person: "Person", page: "Page" };

  function debounce(fn, ms) {
    let timer = 0;
    return () => { clearTimeout(timer); timer = setTimeout(fn, ms); };
  }

  function el(tag, attrs, text) {
    const node = document.createElement(tag);
    Object.keys(attrs || {}).forEach((k) => node.setAttribute(k, attrs[k]));
    if (text != null) node.textContent = text;
    return node;
  }

  function kindLabel(kind) { return KIND_LABELS[kind] || (kind ? kind[0].toUpperCase() + kind.slice(1) : ""); }
  function metaLine(r) { return [kindLabel(r.kind), r.statusLabel, r.date].filter(Boolean).join(" · "); }

  function countText(res, hasInput) {
    if (!hasInput) return "";
    if (!res.total) return res.approximate ? "No results so far" : "No results";
    const n = res.total + (res.approximate ? "+" : "");
    return n + (res.total === 1 && !res.approximate ? " result" : " results") + (res.mode === "or" ? ", matching any of the words" : "");
  }

  // ---- Header box: a combobox whose listbox shows the best results as you type. ----

  let boxes = 0;
  function attachBox(input, engine, root) {
    if (input.hasAttribute("data-search-attached")) return;
    input.setAttribute("data-search-attached", "");
    // Headings never take these ids (nor `id + "-option-" + i` below): see src/markdown/ids.rs.
    const id = "search-dropdown-" + ++boxes;
    const holder = input.form || input.parentNode;
    const list = el("div", { class: "search-dropdown", id: id, role: "listbox", "aria-label": "Search results" });
    const live = el("div", { class: "visually-hidden", role: "status", "aria-live": "polite" });
    list.hidden = true;
    holder.appendChild(list);
    holder.appendChild(live);
    [["role", "combobox"], ["aria-autocomplete", "list"], ["aria-controls", id], ["aria-expanded", "false"]]
      .forEach((a) => input.setAttribute(a[0], a[1]));
    let options = [];
    let active = -1;
    let seq = 0;
    let last = null;

    const pageUrl = (q) => root + "search/index.html" + (q ? "?q=" + encodeURIComponent(q) : "");
    const go = (href) => { window.location.href = href; };
    const open = (yes) => {
      list.hidden = !yes || !options.length;
      input.setAttribute("aria-expanded", String(!list.hidden));
    };
    const select = (i) => {
      active = i;
      options.forEach((o, j) => o.setAttribute("aria-selected", String(j === i)));
      if (i >= 0) { input.setAttribute("aria-activedescendant", options[i].id); options[i].scrollIntoView({ block: "nearest" }); }
      else input.removeAttribute("aria-activedescendant");
    };
    const option = (i, href, title, meta) => {
      const o = el("div", { id: id + "-option-" + i, class: "search-option", role: "option", "aria-selected": "false", "data-href": href });
      o.appendChild(el("span", { class: "result-title" }, title));
      if (meta) o.appendChild(el("div", { class: "result-meta" }, meta));
      return o;
    };
    const render = (res, q) => {
      list.textContent = "";
      options = res.results.map((r, i) => option(i, root + r.href, r.title, metaLine(r)));
      if (res.more) options.push(option(options.length, pageUrl(q), "All results for “" + q.trim() + "”", countText(res, true)));
      options.forEach((o) => list.appendChild(o));
      select(-1);
      open(document.activeElement === input);
      live.textContent = countText(res, true);
    };
    const update = () => {
      const q = input.value;
      if (q === last) return;
      last = q;
      const mine = ++seq;
      if (!q.trim()) { options = []; open(false); live.textContent = ""; return; }
      engine.search(q, { pageSize: DROPDOWN_SIZE }).then(
        (res) => { if (mine === seq) render(res, q); },
        (err) => { if (mine === seq) live.textContent = "Search is not available"; if (window.console) console.error(err); });
    };
    const later = debounce(update, DEBOUNCE_MS);

    input.addEventListener("input", later);
    input.addEventListener("focus", () => { update(); open(true); });
    input.addEventListener("keydown", (e) => {
      if (e.isComposing) return;
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        if (!options.length) return;
        e.preventDefault();
        open(true);
        // Positions cycle through the options and back to the box itself (-1).
        const next = active + (e.key === "ArrowDown" ? 1 : -1);
        select(next >= options.length ? -1 : next < -1 ? options.length - 1 : next);
      } else if (e.key === "Enter") {
        e.preventDefault();
        go(active >= 0 && !list.hidden ? options[active].getAttribute("data-href") : pageUrl(input.value.trim()));
      } else if (e.key === "Escape" && !list.hidden) {
        e.preventDefault();
        select(-1);
        open(false);
      }
    });
    if (input.form) input.form.addEventListener("submit", (e) => { e.preventDefault(); go(pageUrl(input.value.trim())); });
    list.addEventListener("mousedown", (e) => e.preventDefault()); // keep the focus in the box
    list.addEventListener("click", (e) => {
      const o = e.target.closest("[role=option]");
      if (o) go(o.getAttribute("data-href"));
    });
    holder.addEventListener("focusout", (e) => { if (!holder.contains(e.relatedTarget)) open(false); });
    if (input.value) update(); // typed before this script arrived
  }

  // ---- Search page: all results, filters, "more", and a URL that can be shared. ----

  function attachPage(form, engine, root) {
    const $ = (id) => document.getElementById(id);
    const q = $("search-q");
    const selects = { kind: $("search-kind"), status: $("search-status"), tag: $("search-tag"), year: $("search-year") };
    const count = $("search-count");
    const results = $("search-results");
    const more = $("search-more");
    const params = new URLSearchParams(window.location.search);
    let seq = 0;
    let shown = 0; // results listed so far: "More results" goes on from there

    const state = () => {
      const s = { q: q.value };
      FACETS.forEach((f) => { if (selects[f] && selects[f].value) s[f] = selects[f].value; });
      return s;
    };
    const writeUrl = (s) => {
      const pairs = Object.keys(s).filter((k) => k === "q" || s[k]).map((k) => encodeURIComponent(k) + "=" + encodeURIComponent(s[k]));
      try { window.history.replaceState(null, "", (s.q || pairs.length > 1) ? "?" + pairs.join("&") : window.location.pathname); } catch (e) { /* file:// in some browsers */ }
    };
    const item = (r) => {
      const li = el("li", { class: "result" });
      li.appendChild(el("a", { class: "result-title", href: root + r.href }, r.title));
      const meta = el("p", { class: "result-meta" }, kindLabel(r.kind));
      if (r.statusLabel) { meta.appendChild(document.createTextNode(" · ")); meta.appendChild(el("span", { class: "status status-" + r.status }, r.statusLabel)); }
      if (r.date) { meta.appendChild(document.createTextNode(" · ")); meta.appendChild(el("time", { datetime: r.date }, r.date)); }
      if (r.tags.length) meta.appendChild(document.createTextNode(" · " + r.tags.map((t) => "#" + t).join(" ")));
      li.appendChild(meta);
      const text = el("p", { class: "result-excerpt" });
      text.innerHTML = r.excerpt; // built from escaped text and <mark> only
      li.appendChild(text);
      return li;
    };
    const show = (res, s, append) => {
      if (!append) results.textContent = "";
      const items = res.results.map(item);
      shown += items.length;
      items.forEach((li) => results.appendChild(li));
      count.textContent = countText(res, s.q.trim() || Object.keys(s).length > 1) || "Type a word, or choose a filter.";
      more.hidden = !res.more;
      if (append && items.length) items[0].querySelector("a").focus();
    };
    const run = () => {
      const s = state();
      const mine = ++seq;
      shown = 0;
      writeUrl(s);
      engine.search(s.q, Object.assign({ page: 0 }, s)).then(
        (res) => { if (mine === seq) show(res, s, false); },
        (err) => { if (mine === seq) count.textContent = "Search is not available."; if (window.console) console.error(err); });
    };

    q.value = params.get("q") || "";
    form.addEventListener("submit", (e) => { e.preventDefault(); run(); });
    q.addEventListener("input", debounce(run, DEBOUNCE_MS));
    FACETS.forEach((f) => selects[f] && selects[f].addEventListener("change", run));
    more.addEventListener("click", () => {
      const s = state();
      const mine = seq;
      engine.search(s.q, Object.assign({ offset: shown }, s)).then((res) => {
        if (mine === seq) show(res, s, true);
      });
    });
    engine.meta().then((m) => { fillSelects(m.facets, selects, params); run(); },
      () => { count.textContent = "Search is not available: the index did not load."; });
  }

  /** Options of the filter selects, from the index metadata; keeps what the URL asked for. */
  function fillSelects(facets, selects, params) {
    const label = {
      kind: (e) => kindLabel(e[0]) + " (" + e[1] + ")",
      status: (e) => e[1] + " (" + e[2] + ")",
      tag: (e) => e[0] + " (" + e[2] + ")",
      year: (e) => e[0] + " (" + e[1] + ")",
    };
    FACETS.forEach((f) => {
      const select = selects[f];
      if (!select) return;
      (facets[f] || []).forEach((e) => select.appendChild(el("option", { value: String(e[0]) }, label[f](e))));
      const wanted = params.get(f);
      if (wanted && !Array.from(select.options).some((o) => o.value === wanted)) select.appendChild(el("option", { value: wanted }, wanted));
      if (wanted) select.value = wanted;
    });
  }

  function boot() {
    const api = window.handbookSearch = window.handbookSearch || {};
    if (api.engine) return; // this script was loaded twice
    const root = siteRoot();
    api.engine = createEngine(scriptLoader(api, root));
    const start = () => {
      document.querySelectorAll("input[data-search-root]").forEach((input) => attachBox(input, api.engine, root));
      const form = document.getElementById("search-page");
      if (form) attachPage(form, api.engine, root);
    };
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
  }

  if (typeof document !== "undefined" && typeof window !== "undefined") boot();
  if (typeof module !== "undefined") {
    module.exports = { tokenize, stem, parseQuery, createEngine, excerpt, escapeHtml, oneEditApart, STOP_WORDS };
  }
})();
