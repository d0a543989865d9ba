/* handbook: client-side full-text search (the query engine, the header box and the search page).

   The index under search/ is many small files, each calling handbookSearch.register(name, data).
   They are loaded on demand with <script> tags: the one way of loading data that works on any
   static host, at any sub-path and from file://. A query loads the index metadata, the language's
   stemmer, one dictionary shard per word, the filter lists it uses and the chunks of the
   documents it shows: never all. */
(function () {
  "use strict";

  // ---- Analysis: must do exactly what src/search/analyze.rs and fold.rs do, or lookups miss.
  // tests/search/analysis.json holds the cases both test suites check. ----

  const MAX_TERM = 64;
  // Rust's char::is_alphanumeric is Unicode Alphabetic or Numeric; marks stay inside words.
  // Built with the RegExp constructor so that a browser without property escapes falls back
  // instead of failing to parse.
  function unicodeRegExp(source, fallback, flags) {
    try { return new RegExp(source, flags + "u"); } catch (e) { return new RegExp(fallback, flags); }
  }
  const LETTERS = "[\\p{Alphabetic}\\p{N}\\p{M}]";
  const FALLBACK = "[0-9A-Za-z\\u00C0-\\u1FFF\\u2070-\\uFFFF]";
  const NOT_WORD = unicodeRegExp(LETTERS.replace("[", "[^") + "+", FALLBACK.replace("[", "[^") + "+", "");
  const WORD = unicodeRegExp(LETTERS + "+", FALLBACK + "+", "g");
  const ONE_WORD_CHAR = unicodeRegExp("^" + LETTERS + "$", "^" + FALLBACK + "$", "");
  // Words chained by these make one identifier: raw_transaction, std.io, stand-up.
  const CONNECTOR = /[_.-]/;
  const NOT_CHAIN = unicodeRegExp(LETTERS.replace("[", "[^_.\\-") + "+", FALLBACK.replace("[", "[^_.\\-") + "+", "");
  // Invisible inside a word, and not a reason to split it: soft hyphen, zero-width space and
  // (non-)joiner, word joiner, byte order mark.
  const IGNORABLE = /[\u00ad\u200b-\u200d\u2060\ufeff]/g;
  const NUMERIC = unicodeRegExp("\\p{N}", "[0-9]", "");
  const LOWER = unicodeRegExp("\\p{Lowercase}", "[a-z]", "");
  const UPPER = unicodeRegExp("\\p{Uppercase}", "[A-Z]", "");
  const CJK = unicodeRegExp("[\\u1100-\\u11ff\\u2e80-\\u2fdf\\u3005\\u3007\\u3040-\\u30ff\\u3130-\\u318f\\u31f0-\\u31ff" +
    "\\u3400-\\u4dbf\\u4e00-\\u9fff\\ua960-\\ua97f\\uac00-\\ud7ff\\uf900-\\ufaff\\uff66-\\uff9f\\u{20000}-\\u{3ffff}]",
  "[\\u1100-\\u11ff\\u2e80-\\u2fdf\\u3005\\u3007\\u3040-\\u30ff\\u3130-\\u318f\\u31f0-\\u31ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\ua960-\\ua97f\\uac00-\\ud7ff\\uf900-\\ufaff\\uff66-\\uff9f]", "");
  const DIACRITICS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;
  const SPELLED = { "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "ł": "l", "þ": "th", "ı": "i" };
  const ASCII = /^[\x00-\x7f]*$/;

  /** Compatibility forms and diacritics folded away (NFKD, marks dropped, NFC); case kept. */
  function fold(text) {
    if (ASCII.test(text) || !text.normalize) return text;
    return text.normalize("NFKD").replace(DIACRITICS, "").normalize("NFC");
  }

  /** Lowercase, with the letters that have no decomposition spelled out. */
  function lower(part) {
    return part.toLowerCase().replace(/[ßæœøđðłþı]/g, (c) => SPELLED[c]);
  }

  const isCjk = (c) => CJK.test(c);
  const isDigits = (s) => /^[0-9]+$/.test(s);

  /** Words and parts of `text` as terms. `env`: {stop: Set of folded stop words, stem: fn}.
      `emit({term, kind, stop, raw, last})`: kind is "word", "joined", "bigram" or "pair";
      raw is a word's lowercase form before stemming; last: it ends the text. `state.previous`
      is the last word before, for pairs. */
  function analyze(text, env, emit, state) {
    const st = state || { previous: null };
    const source = String(text || "").replace(IGNORABLE, "");
    const chunks = source.split(NOT_CHAIN).filter(Boolean);
    chunks.forEach((chunk, c) => {
      const words = chunk.split(CONNECTOR).filter(Boolean);
      words.forEach((word, w) => rawWord(word, env, emit, st, c === chunks.length - 1 && w === words.length - 1));
      if (words.length > 1) chain(chunk, env, emit);
    });
    return st;
  }

  function rawWord(word, env, emit, st, lastWord) {
    const folded = fold(word);
    folded.split(NOT_WORD).filter(Boolean).forEach((run, r, runs) => {
      const segments = scriptRuns(run);
      segments.forEach((seg, s) => {
        const last = lastWord && r === runs.length - 1 && s === segments.length - 1;
        if (seg.cjk) { st.previous = null; bigrams(seg.text, emit, last); }
        else analyzeWord(seg.text, env, emit, st, last);
      });
    });
    if (!ASCII.test(word)) variant(word, folded, env, emit, lastWord);
  }

  /** A word with diacritics stemmed as written, then folded, where that differs from its term
      (stemmed after folding): Portuguese "mães" → "mae", while "maes" → "maes". */
  function variant(word, folded, env, emit, last) {
    const chars = Array.from(folded);
    const simple = chars.every((c) => ONE_WORD_CHAR.test(c) && !isCjk(c)) && parts(folded).length === 1;
    if (!simple || folded === word) return;
    const foldedLower = lower(folded);
    if (env.stop.has(foldedLower) || Array.from(foldedLower).length > MAX_TERM) return;
    const stem = termOf(lower(word.normalize ? word.normalize("NFC") : word), env);
    const alt = lower(fold(stem));
    if (alt !== termOf(foldedLower, env)) emit({ term: alt, kind: "variant", stop: false, raw: foldedLower, last: last });
  }

  /** Joined forms of words chained by _ . or - : the whole chain, and each .-separated link that chains words. */
  function chain(chunk, env, emit) {
    const join = (text) => text.split(CONNECTOR).join("");
    const joins = [join(chunk)];
    if (chunk.indexOf(".") >= 0) {
      chunk.split(".").filter((l) => l.split(CONNECTOR).filter(Boolean).length > 1).forEach((l) => joins.push(join(l)));
    }
    joins.forEach((joined) => {
      const raw = lower(fold(joined));
      const chars = Array.from(raw);
      if (chars.length > 0 && chars.every((c) => ONE_WORD_CHAR.test(c) && !isCjk(c))) emitJoined(raw, env, emit);
    });
  }

  /** The "joined" term of a lowercase joined word, unless it is too long. */
  function emitJoined(raw, env, emit) {
    if (Array.from(raw).length <= MAX_TERM) emit({ term: termOf(raw, env), kind: "joined", stop: false, raw: raw, last: false });
  }

  function scriptRuns(run) {
    const out = [];
    Array.from(run).forEach((c) => {
      const cjk = isCjk(c);
      if (out.length && out[out.length - 1].cjk === cjk) out[out.length - 1].text += c;
      else out.push({ cjk: cjk, text: c });
    });
    return out;
  }

  function bigrams(run, emit, last) {
    const chars = Array.from(run);
    if (chars.length === 1) { emit({ term: run, kind: "bigram", stop: false, raw: run, last: last }); return; }
    for (let i = 0; i + 1 < chars.length; i++) {
      emit({ term: chars[i] + chars[i + 1], kind: "bigram", stop: false, raw: chars[i] + chars[i + 1], last: last && i + 2 === chars.length });
    }
  }

  function analyzeWord(word, env, emit, st, last) {
    const ps = parts(word);
    ps.forEach((part, i) => {
      const raw = lower(part);
      if (Array.from(raw).length > MAX_TERM) { st.previous = null; return; }
      const stop = env.stop.has(raw);
      const term = termOf(raw, env);
      const previous = st.previous;
      st.previous = null;
      const ends = last && i === ps.length - 1;
      if (previous !== null && !stop) emit({ term: previous + " " + term, kind: "pair", stop: false, raw: raw, last: ends });
      if (!stop) st.previous = term;
      emit({ term: term, kind: "word", stop: stop, raw: raw, last: ends });
    });
    if (ps.length > 1) {
      joined(ps).forEach((whole) => emitJoined(lower(whole), env, emit));
    }
  }

  /** A number without leading zeros, or a stem (not of a word with a character outside the
      Basic Multilingual Plane, which the stemmer would count as two). */
  function termOf(raw, env) {
    if (isDigits(raw)) return raw.replace(/^0+/, "") || "0";
    return /[\ud800-\udfff]/.test(raw) ? raw : env.stem(raw);
  }

  /** Identifier parts: camelCase, acronyms (HTTPServer → HTTP, Server) and letters meeting digits. */
  function parts(word) {
    const chars = Array.from(word);
    const out = [];
    let start = 0;
    for (let i = 1; i < chars.length; i++) {
      const p = chars[i - 1], c = chars[i];
      // A plural acronym (URLs, GATs) stays one word.
      const plural = i + 2 === chars.length && chars[i + 1] === "s";
      const nextLower = i + 1 < chars.length && LOWER.test(chars[i + 1]) && !plural;
      if (NUMERIC.test(p) !== NUMERIC.test(c) || (LOWER.test(p) && UPPER.test(c)) || (UPPER.test(p) && UPPER.test(c) && nextLower)) {
        out.push(chars.slice(start, i).join(""));
        start = i;
      }
    }
    out.push(chars.slice(start).join(""));
    return out;
  }

  /** The whole word, and each run of two or more parts without digits. */
  function joined(ps) {
    const out = [ps.join("")];
    for (let i = 0; i < ps.length;) {
      let run = 0;
      while (i + run < ps.length && !Array.from(ps[i + run]).some((c) => NUMERIC.test(c))) run++;
      if (run >= 2 && run < ps.length) out.push(ps.slice(i, i + run).join(""));
      i += Math.max(run, 1);
    }
    return out;
  }

  /** Every term of `text` in order, as [term, kind, stop] (for tests and tools). */
  function terms(text, env) {
    const out = [];
    analyze(text, env, (t) => out.push([t.term, t.kind, t.stop]));
    return out;
  }

  // ---- Query parsing: "exact phrases" and plain words; the last word may still be being typed. ----

  /** {tokens: [{term, raw, prefix, typo, exact}], pairs: [term], phrases: [[term]], numbers: [term],
      words: number of words the title must have to equal the query} */
  function parseQuery(query, env) {
    const q = String(query || "");
    const tokens = new Map();
    const pairs = new Set();
    const phrases = [];
    const add = (term, raw, flags) => {
      const old = tokens.get(term);
      if (!old) { tokens.set(term, Object.assign({ term: term, raw: raw }, flags)); return; }
      ["prefix", "typo", "exact"].forEach((f) => { old[f] = old[f] || flags[f]; });
    };
    const rest = q.replace(/"([^"]*)"/g, (_, phrase) => {
      const seq = [];
      analyze(phrase, env, (t) => {
        if (t.kind === "pair") pairs.add(t.term);
        if (t.kind !== "word" && t.kind !== "bigram") return;
        seq.push(t.term);
        add(t.term, t.raw, { prefix: false, typo: false, exact: true });
      });
      if (seq.length) phrases.push(seq);
      return " ";
    });
    // Still typing the last word: nothing (not a space, not a closing quote) follows it.
    const typing = /[^\s"]$/.test(q);
    const plain = [];
    analyze(rest, env, (t) => {
      if (t.kind === "pair") pairs.add(t.term);
      else if (t.kind === "variant" && plain.length) plain[plain.length - 1].alt = t.term;
      else if (t.kind !== "joined") plain.push(t);
    });
    const allStop = plain.length > 0 && plain.every((t) => t.stop);
    const numbers = [];
    plain.forEach((t) => {
      const cjk = t.kind === "bigram";
      const prefix = typing && t.last && Array.from(t.raw).length >= (cjk ? 1 : 3) && !(cjk && Array.from(t.raw).length > 1);
      if (isDigits(t.term)) numbers.push(t.term);
      // A stop word being typed may be the start of a real word ("the" → "thread").
      if (t.stop && !allStop) { if (prefix) add(t.raw, t.raw, { prefix: true, typo: false, exact: false }); return; }
      add(t.term, t.raw, { prefix: prefix, typo: !cjk, exact: true, alt: t.alt || null });
    });
    const list = Array.from(tokens.values());
    const counted = list.filter((t) => t.exact);
    return { tokens: list, pairs: Array.from(pairs), phrases: phrases, numbers: numbers, words: counted.length, all: allStop };
  }

  // ---- Engine: ranks with the precomputed impacts; loads only what a query needs. ----

  const WEIGHT = { exact: 1, prefix: 0.6, typo: 0.5 };
  const PAIR_WEIGHT = 1;       // an adjacent pair's impact adds to the words' own
  const PREFIX_TERMS = 5;      // prefix matches kept per typed word, the most frequent first
  const PREFIX_SHARDS = 3;     // at most this many deeper shards are loaded to complete a short prefix
  const TYPO_MIN = 5;          // shorter words are too easily one letter from another word
  const MAX_SUFFIX = 4;        // letters a stemmer may take off a word ("ations" and longer are rare)
  const PAGE_SIZE = 10;
  const EXCERPT = 160;
  const FACETS = ["kind", "status", "tag", "year"];
  // Rank tiers: the record a query names by id; a title that is the query; one that holds it.
  const TIER = { id: 3, equal: 2, title: 1, text: 0 };

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
    const meta = () => metaPromise || (metaPromise = get("meta").then(prepareMeta).then((m) => {
      if (!m.stem) return m;
      return get("stem").then((stem) => { m.env.stem = stem; return m; });
    }).catch((e) => { metaPromise = null; throw e; }));
    const doc = (m, id) => get("d/" + Math.floor(id / m.chunk)).then((chunk) => chunk[id % m.chunk]);
    const detail = (m, id) => get("x/" + Math.floor(id / m.xchunk)).then((chunk) => chunk[id % m.xchunk]);
    // The shard keys of the terms that start with `term`'s first character (none: an empty list).
    const keysOf = (m, term) => {
      const first = Array.from(term)[0] || "";
      if (!first || m.first.indexOf(first) < 0) return Promise.resolve([]);
      return get("k/" + shardFileId(first));
    };
    // A term's shard: the longest shard key that starts it (a shorter term is its own key).
    const shardKey = async (m, term) => longestKey(new Set(await keysOf(m, term)), term);

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
      const from = opts.offset != null ? opts.offset : (opts.page || 0) * size;
      return pageOf(m, await rankings.get(key), from, size, Boolean(opts.excerpts));
    }

    // Scores the query's words, intersects the filters; AND first, OR if AND finds nothing.
    async function rank(m, query, filters) {
      const parsed = parseQuery(query, m.env);
      const idQuery = parsed.numbers.length > 0 && parsed.tokens.every((t) => isDigits(t.term) || m.idWords.has(t.term));
      const idTerms = new Set(idQuery ? parsed.numbers.map((n) => "#" + n) : []);
      const slug = idSlug(query);
      if (slug) idTerms.add("#" + slug);
      const [matches, pairs, ids, allowed] = await Promise.all([
        Promise.all(parsed.tokens.map((t) => matchToken(m, t))),
        Promise.all(parsed.pairs.map((p) => exactTerm(m, p))),
        Promise.all(Array.from(idTerms, (t) => exactTerm(m, t))),
        filterDocs(m, filters),
      ]);
      const ranking = { parsed: parsed, terms: new Set(), mode: "and", candidates: [], verified: null, cursor: 0 };
      if (!parsed.tokens.length && !ids.some(Boolean)) {
        ranking.mode = allowed ? "filter" : "none";
        ranking.candidates = Array.from(allowed || []).map((id) => ({ id: id, score: 0, heading: -1 }));
        return ranking;
      }
      matches.forEach((list) => list.forEach((x) => ranking.terms.add(x.term)));
      const named = new Set();
      ids.forEach((p) => { for (let i = 1; p && i + 2 < p.length; i += 3) named.add(p[i]); });
      // In "ADR 7", only the number must match: "ADR" names the kind of record.
      const required = idQuery && named.size ? parsed.tokens.map((t) => isDigits(t.term)) : parsed.tokens.map(() => true);
      const perToken = matches.map(tokenScores);
      const bonus = tokenScores(pairs.filter(Boolean).map((p) => ({ weight: PAIR_WEIGHT, postings: p })));
      const keep = (list) => (allowed ? list.filter((c) => allowed.has(c.id)) : list);
      const score = (all) => keep(combine(perToken, required, all, parsed.words, bonus, named));
      ranking.candidates = score(true);
      if (!ranking.candidates.length && perToken.length > 1) {
        ranking.mode = "or";
        ranking.candidates = score(false);
      }
      // Among titles that hold the query, the one that says least besides is the most about it.
      const extra = (d) => (d.tier === TIER.title ? d.length : 0);
      ranking.candidates.sort((a, b) => b.tier - a.tier || extra(a) - extra(b) || b.score - a.score || a.id - b.id);
      if (parsed.phrases.length) ranking.verified = [];
      return ranking;
    }

    // A term's postings, or null when the index does not have it.
    async function exactTerm(m, term) {
      const key = await shardKey(m, term);
      if (key === null) return null;
      const shard = await get("t/" + shardFileId(key));
      return Object.prototype.hasOwnProperty.call(shard, term) ? shard[term] : null;
    }

    // Which terms a query word stands for: itself, words it starts (while typing), near misses.
    async function matchToken(m, token) {
      const alt = token.alt || token.term;
      const [termKeys, rawKeys, altKeys] = await Promise.all([keysOf(m, token.term), keysOf(m, token.raw), keysOf(m, alt)]);
      const known = new Set(termKeys.concat(rawKeys, altKeys));
      const keys = new Set([longestKey(known, token.term), longestKey(known, alt)]);
      const truncations = [];
      if (token.prefix) {
        keys.add(longestKey(known, token.raw));
        const deeper = rawKeys.filter((k) => k.length > token.raw.length && k.startsWith(token.raw));
        if (deeper.length <= PREFIX_SHARDS) deeper.forEach((k) => keys.add(k));
        // Typed past the stem ("meetin" on its way to "meeting" → "meet"): the term may be
        // what was typed less a few letters.
        const chars = Array.from(token.raw);
        for (let n = chars.length - 1; n >= Math.max(3, chars.length - 4); n--) truncations.push(chars.slice(0, n).join(""));
        truncations.forEach((t) => keys.add(longestKey(known, t)));
      }
      keys.delete(null);
      const dict = {};
      const shards = await Promise.all(Array.from(keys).map((k) => get("t/" + shardFileId(k))));
      shards.forEach((s) => Object.assign(dict, s));
      const found = [];
      const has = (t) => Object.prototype.hasOwnProperty.call(dict, t) && t.indexOf(" ") < 0 && t[0] !== "#";
      if (token.exact && has(token.term)) found.push({ term: token.term, weight: WEIGHT.exact, postings: dict[token.term] });
      // As the word's language stems it with its accents ("mães" also looks up "mae").
      if (token.exact && alt !== token.term && has(alt)) found.push({ term: alt, weight: WEIGHT.exact, postings: dict[alt] });
      if (token.prefix) {
        Object.keys(dict).filter((t) => t !== token.term && t.startsWith(token.raw) && has(t))
          .sort((a, b) => dict[b][0] - dict[a][0]).slice(0, PREFIX_TERMS)
          .forEach((t) => found.push({ term: t, weight: WEIGHT.prefix, postings: dict[t] }));
        // The longest, even when other words start with what was typed ("notifi": notify, and
        // "notif", the stem of "notifications").
        const cut = truncations.find(has);
        if (cut && !found.some((f) => f.term === cut)) found.push({ term: cut, weight: WEIGHT.prefix, postings: dict[cut] });
      }
      // A word the index does not have may be one typo away from one it has: from its stem, or
      // from the start of what was typed (the typo may have changed how it stems: "secrity").
      if (token.typo && !found.length && token.term.length >= TYPO_MIN) {
        Object.keys(dict).filter((t) => has(t) && (oneEditApart(t, token.term) || typoOfStart(token.raw, t)))
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

    // Loads documents only for the results shown; their details only for `excerpts`.
    async function pageOf(m, ranking, from, size, excerpts) {
      let list = ranking.candidates;
      let exact = true;
      if (ranking.verified) {
        await verify(m, ranking, from + size, size);
        list = ranking.verified;
        exact = ranking.cursor >= ranking.candidates.length;
      }
      const shown = list.slice(from, from + size);
      const [docs, details] = await Promise.all([
        Promise.all(shown.map((c) => doc(m, c.id))),
        Promise.all(shown.map((c) => (excerpts ? detail(m, c.id) : null))),
      ]);
      const hit = ranking.terms.size ? hitter(ranking.terms, m.env) : null;
      return {
        query: ranking.parsed, mode: ranking.mode, offset: from, page: Math.floor(from / size), pageSize: size,
        total: list.length, approximate: !exact, more: list.length > from + size || !exact,
        results: shown.map((c, i) => toResult(docs[i], details[i], c, hit)),
      };
    }

    // Phrases are checked in rank order, one request at a time, and at most `limit` candidates
    // per request: a phrase query never loads more document chunks than a plain one. The next
    // request ("More results") goes on where this one stopped.
    function verify(m, ranking, wanted, limit) {
      const step = async () => {
        const need = Math.min(limit, wanted - ranking.verified.length);
        const next = ranking.candidates.slice(ranking.cursor, ranking.cursor + Math.max(0, need));
        const docs = await Promise.all(next.map((c) => Promise.all([doc(m, c.id), detail(m, c.id)])));
        ranking.cursor += next.length;
        next.forEach((c, i) => {
          const text = sequence(docs[i][0].t, m.env) + sequence(docs[i][1].x, m.env);
          if (ranking.parsed.phrases.every((p) => text.indexOf(" " + p.join(" ") + " ") >= 0)) ranking.verified.push(c);
        });
      };
      const done = (ranking.busy || Promise.resolve()).then(step);
      ranking.busy = done.catch(() => {});
      return done;
    }

    return { search: search, meta: meta, facets: () => meta().then((m) => m.facets) };
  }

  /** The words of `text` as " w1 w2 … " (for phrase checks). */
  function sequence(text, env) {
    let out = " ";
    analyze(text, env, (t) => { if (t.kind === "word" || t.kind === "bigram") out += t.term + " "; });
    return out;
  }

  /** The query as a page's slug (a Log4brains id), when it looks like one: one word with a digit, `-` or `_`. */
  function idSlug(query) {
    const q = String(query || "").trim();
    if (!q || /\s/.test(q) || !/[-_0-9]/.test(q)) return null;
    const slug = lower(fold(q)).split(NOT_WORD).filter(Boolean).join("-");
    return slug || null;
  }

  /** Adds lookup helpers to the registered metadata. */
  function prepareMeta(data) {
    const m = Object.assign({}, data);
    m.first = m.first || "";
    m.env = { stop: new Set(m.stop || []), stem: (w) => w };
    m.idWords = new Set(m.idw || []);
    m.facets = Object.assign({ kind: [], status: [], tag: [], year: [] }, m.facets);
    return m;
  }

  /** The file of shard `key`: the key when plain ASCII, else "x" and its UTF-8 bytes in hex. */
  function shardFileId(key) {
    if (/^[a-z0-9-]+$/.test(key)) return key;
    return "x" + Array.from(new TextEncoder().encode(key), (b) => (b < 16 ? "0" : "") + b.toString(16)).join("");
  }

  /** A term's group length, the shortest key its shard can have (src/search/shards.rs). */
  function groupLength(term) {
    const first = Array.from(term)[0] || "";
    return first === "#" || /[0-9]/.test(first) || isCjk(first) ? 1 : 3;
  }

  /** The longest of the shard `keys` (a Set) that starts `term`, or null. */
  function longestKey(keys, term) {
    const chars = Array.from(term);
    const shortest = Math.min(groupLength(term), chars.length);
    for (let n = chars.length; n >= shortest && n > 0; n--) {
      const key = chars.slice(0, n).join("");
      if (keys.has(key)) return key;
    }
    return null;
  }

  /** The file of one filter value, or null when no document has it. */
  function facetFile(m, facet, value) {
    const entry = (m.facets[facet] || []).find((e) => String(e[0]) === value);
    if (!entry) return null;
    return "f/" + facet + "/" + (facet === "tag" ? entry[1] : value);
  }

  /** One edit apart: one letter changed, added or removed, or two side by side swapped. */
  function oneEditApart(a, b) {
    if (a === b || Math.abs(a.length - b.length) > 1) return false;
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    if (a.length === b.length) {
      const swapped = a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
      return swapped || a.slice(i + 1) === b.slice(i + 1);
    }
    return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  /** Whether the start of `raw`, one letter longer or shorter than `term` or as long, is one edit
      from it, and the rest could be a suffix the stemmer removed: the stem of a word typed with
      one letter wrong ("secrity": "secur"). */
  function typoOfStart(raw, term) {
    if (term.length < TYPO_MIN) return false;
    return [-1, 0, 1].some((d) => {
      const tail = raw.length - (term.length + d);
      return tail > 0 && tail <= MAX_SUFFIX && oneEditApart(raw.slice(0, term.length + d), term);
    });
  }

  /** doc → {score, code}: a word's best weighted impact in each document, and where it was found
      (a section, or ≤ -2 for the title: -1 - its number of words; see src/search/document.rs). */
  function tokenScores(found) {
    const best = new Map();
    found.forEach((f) => {
      const p = f.postings;
      for (let i = 1; i + 2 < p.length; i += 3) {
        const score = p[i + 1] * f.weight;
        const old = best.get(p[i]);
        if (!old) best.set(p[i], { score: score, code: p[i + 2], title: p[i + 2] <= -2 ? p[i + 2] : 0 });
        else {
          if (score > old.score) { old.score = score; old.code = p[i + 2]; }
          if (p[i + 2] <= -2) old.title = p[i + 2];
        }
      }
    });
    return best;
  }

  /** Sums the words' scores per document and ranks it in its tier; `all`: only documents every
      required word matched. `words`: how many words the query has; `bonus`: adjacent pairs;
      `named`: documents the query names by id. */
  function combine(perToken, required, all, words, bonus, named) {
    const docs = new Map();
    const entry = (id) => docs.get(id) || docs.set(id, { id: id, score: 0, hits: 0, needed: 0, titled: 0, length: 0, best: -1, heading: -1 }).get(id);
    perToken.forEach((scores, t) => scores.forEach((s, id) => {
      const d = entry(id);
      d.score += s.score;
      d.hits++;
      if (required[t]) d.needed++;
      if (s.title) { d.titled++; d.length = -1 - s.title; }
      if (s.score > d.best) { d.best = s.score; d.heading = s.code >= 0 ? s.code : -1; }
    }));
    named.forEach((id) => entry(id));
    bonus.forEach((s, id) => { if (docs.has(id)) docs.get(id).score += s.score; });
    const need = required.filter(Boolean).length;
    return Array.from(docs.values()).filter((d) => named.has(d.id) || (all ? d.needed === need : d.hits > 0)).map((d) => {
      const inTitle = perToken.length > 0 && d.titled === perToken.length;
      d.tier = named.has(d.id) ? TIER.id : inTitle && d.length === words ? TIER.equal : inTitle ? TIER.title : TIER.text;
      return d;
    });
  }

  /** A result from a document's summary `d` and, when loaded, its details `x`. */
  function toResult(d, x, c, hit) {
    const heading = c.heading >= 0 && d.h ? d.h[c.heading] : null;
    return {
      id: c.id, score: c.score, title: d.t, href: d.u + (heading ? "#" + heading : ""),
      kind: d.k, status: d.s || null, statusLabel: d.sl || null, date: d.d || null, tags: (x && x.g) || [],
      heading: heading && x && x.h ? x.h[c.heading] : null, excerpt: x ? excerpt(x.x || "", hit) : "",
    };
  }

  // ---- Excerpts: the text around the first match, HTML-escaped, matches in <mark>. ----

  const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
  function escapeHtml(text) { return String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]); }

  /** For a word of the text, the [start, end) spans (UTF-16, within the word) to mark: the whole
      word when one of its terms is a match, and each matching bigram of CJK text. */
  function hitter(matched, env) {
    return (word) => {
      const spans = [];
      let at = 0;
      Array.from(word).forEach((c, i, chars) => {
        const next = chars[i + 1];
        if (isCjk(c) && next && isCjk(next) && matched.has(fold(c + next))) spans.push([at, at + c.length + next.length]);
        else if (isCjk(c) && matched.has(fold(c)) && !(next && isCjk(next)) && !(i > 0 && isCjk(chars[i - 1]))) spans.push([at, at + c.length]);
        at += c.length;
      });
      if (spans.length) return spans;
      let hit = false;
      analyze(word, env, (t) => { hit = hit || (t.kind !== "pair" && matched.has(t.term)); });
      return hit ? [[0, word.length]] : [];
    };
  }

  function excerpt(text, hit) {
    const hits = [];
    const re = new RegExp(WORD.source, WORD.flags);
    let found;
    while (hit && (found = re.exec(text))) {
      const at = found.index;
      toSpans(hit(found[0]), found[0].length).forEach((s) => {
        const last = hits[hits.length - 1];
        if (last && last[1] >= at + s[0]) last[1] = Math.max(last[1], at + s[1]);
        else hits.push([at + s[0], at + s[1]]);
      });
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

  /** A hit function's answer as spans: true is the whole word. */
  function toSpans(answer, length) {
    if (answer === true) return [[0, length]];
    return Array.isArray(answer) ? answer : [];
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
  const PAUSE_MS = 400;       // typing has paused: the search page loads its results' excerpts
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
      if (r.excerpt) {
        const text = el("p", { class: "result-excerpt" });
        text.innerHTML = r.excerpt; // built from escaped text and <mark> only
        li.appendChild(text);
      }
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
    // While a query is being typed, results come without excerpts: their text is loaded only
    // once typing pauses, not for every letter on the way.
    const run = (excerpts) => {
      const s = state();
      const mine = ++seq;
      shown = 0;
      writeUrl(s);
      engine.search(s.q, Object.assign({ page: 0, excerpts: excerpts !== false }, s)).then(
        (res) => { if (mine === seq) show(res, s, false); },
        (err) => { if (mine === seq) count.textContent = "Search is not available."; if (window.console) console.error(err); });
    };

    q.value = params.get("q") || "";
    form.addEventListener("submit", (e) => { e.preventDefault(); run(); });
    const typed = debounce(() => run(false), DEBOUNCE_MS);
    const paused = debounce(() => run(true), PAUSE_MS);
    q.addEventListener("input", () => { typed(); paused(); });
    FACETS.forEach((f) => selects[f] && selects[f].addEventListener("change", run));
    more.addEventListener("click", () => {
      const s = state();
      const mine = seq;
      engine.search(s.q, Object.assign({ offset: shown, excerpts: true }, s)).then((res) => {
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
    module.exports = { analyze, terms, fold, lower, parseQuery, createEngine, excerpt, escapeHtml, oneEditApart };
  }
})();
