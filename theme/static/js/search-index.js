/*
 * Archive search: loads the sharded lunr index written by plugins/lunr_search and
 * answers queries exactly as lunr.js 2.3.9 would on the whole index.
 *
 * Works opened from disk (file://) and over HTTP with the same files: no fetch, no
 * workers, no modules. Data files are plain scripts calling
 * window.ArchiveSearch.receive("<JSON text>"), inserted as <script src> elements.
 *
 * Page usage:
 *   <script src="theme/js/search-index.js" data-search-root="search/"></script>
 *   ArchiveSearch.search("putin").then(function (results) { ... })   // [{ref, score, matchData}]
 *   ArchiveSearch.loadDocs(refs).then(function (docs) { ... })        // [{ref, title, date, url, href, byline, excerpt}]
 *
 * Optional attributes on that script tag: data-site-root (default: search root + "../"),
 * data-search-version (appended as ?v= to manifest.js over HTTP). lunr.js is taken from
 * window.lunr, or loaded from <search root>/lunr.js alongside the manifest.
 *
 * Why loading only some shards gives the same answer: see plugins/lunr_search/sharding.py.
 * Requests one after another: manifest (+ lunr.js), the query's shards, the results'
 * docs chunks. Fuzzy terms (foo~1) and leading wildcards (*foo) can match any term, so
 * they need every shard: over maxShards (default 40) search() refuses them with a
 * SearchTooBroadError unless called with {maxShards: Infinity}; plan(query) tells beforehand.
 */
(function (global) {
  "use strict";

  var MAX_CACHED_SHARDS = 64;
  var MAX_CACHED_DOCS = 256;
  var DEFAULT_MAX_SHARDS = 40;
  var FEW_DOCS = 3; // a word in fewer documents than this may be misspelled

  function pad3(number) {
    var text = String(number);
    while (text.length < 3) {
      text = "0" + text;
    }
    return text;
  }

  function startsWith(text, prefix) {
    return text.lastIndexOf(prefix, 0) === 0;
  }

  function withSlash(url) {
    return url && url.charAt(url.length - 1) !== "/" ? url + "/" : url;
  }

  function domInsertScript(url, onload, onerror) {
    var script = document.createElement("script");
    script.async = true;
    script.src = url;
    script.onload = function () {
      script.parentNode.removeChild(script);
      onload();
    };
    script.onerror = function () {
      script.parentNode.removeChild(script);
      onerror();
    };
    (document.head || document.documentElement).appendChild(script);
  }

  /* Index of the shard whose [first, last] range holds term, or -1. */
  function findShard(shards, term) {
    var low = 0;
    var high = shards.length - 1;
    while (low <= high) {
      var middle = (low + high) >> 1;
      if (term < shards[middle][0]) {
        high = middle - 1;
      } else if (term > shards[middle][1]) {
        low = middle + 1;
      } else {
        return middle;
      }
    }
    return -1;
  }

  /* Indexes of the shards whose range overlaps the terms starting with prefix. */
  function shardsWithPrefix(shards, prefix) {
    var low = 0;
    var high = shards.length;
    while (low < high) {
      var middle = (low + high) >> 1;
      if (shards[middle][1] < prefix) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    var found = [];
    for (var i = low; i < shards.length; i++) {
      var first = shards[i][0];
      if (first > prefix && !startsWith(first, prefix)) {
        break;
      }
      found.push(i);
    }
    return found;
  }

  /* ---- phrases: word pairs with positions (plugins/lunr_search/phrases.py) ---- */

  // A quoted phrase, with an optional + or - and field before it; an open quote runs to the end.
  var PHRASE = /(^|\s)([+\-]?)(?:([^\s"+\-:][^\s":]*):)?"([^"]*)(?:"|$)/g;
  var SHIFT = 16777216; // 2^24: doc * SHIFT + position stays an exact double

  /* {rest: the query without its phrases, phrases: [{presence: "+" | "-" | "", field, text}]} */
  function splitPhrases(queryString) {
    var phrases = [];
    var rest = String(queryString).replace(PHRASE, function (all, space, presence, field, text) {
      phrases.push({ presence: presence, field: field || null, text: text });
      return space + " ";
    });
    return { rest: rest, phrases: phrases };
  }

  var indexPipelines = [];
  // lunr.py's trimmer, which built the index: a word's one run of letters, digits and _
  // ("10%" -> "10"), a word of other shapes left as it is ("&", "russia's"); lunr.js's own
  // trims every non-ASCII letter off the ends ("café" -> "caf").
  var INDEX_TRIM = /^[^\p{L}\p{N}_]*?([\p{L}\p{N}_]+)[^\p{L}\p{N}_]*?$/u;

  function indexTrimmer(token) {
    return token.update(function (text) {
      var match = INDEX_TRIM.exec(text);
      return match ? match[1] : text;
    });
  }

  /* The index pipeline (lunr.py's trimmer, stop words, stemmer), which gave the index its terms. */
  function indexPipeline(lunr) {
    for (var i = 0; i < indexPipelines.length; i++) {
      if (indexPipelines[i].lunr === lunr) {
        return indexPipelines[i].pipeline;
      }
    }
    var pipeline = new lunr.Pipeline();
    pipeline.add(indexTrimmer, lunr.stopWordFilter, lunr.stemmer);
    indexPipelines.push({ lunr: lunr, pipeline: pipeline });
    return pipeline;
  }

  /*
   * A phrase's words and terms, as the index saw them: {words, terms (null: a dropped
   * word), chain: [{key, offset}]}, leading and trailing dropped words left out. The chain
   * is the pairs of consecutive terms, each with the offset of its first word.
   */
  function analysePhrase(lunr, text) {
    var pipeline = indexPipeline(lunr);
    var words = String(text).toLowerCase().split(lunr.tokenizer.separator).filter(Boolean);
    var terms = words.map(function (word) {
      var out = pipeline.run([new lunr.Token(word, {})]);
      return out.length ? out[0].toString() : null;
    });
    while (terms.length && terms[0] === null) {
      terms.shift();
      words.shift();
    }
    while (terms.length && terms[terms.length - 1] === null) {
      terms.pop();
      words.pop();
    }
    var chain = [];
    var previous = -1;
    for (var i = 0; i < terms.length; i++) {
      if (terms[i] === null) {
        continue;
      }
      if (previous !== -1) {
        var gap = i - previous - 1;
        chain.push({ key: terms[previous] + " " + terms[i] + (gap ? " " + gap : ""), offset: previous });
      }
      previous = i;
    }
    return { words: words, terms: terms, chain: chain };
  }

  /*
   * lunr's query for queryString, quoted phrases taken out: each phrase's terms become
   * required clauses in its fields (prohibited ones for -"..." of one word), so matches are
   * scored exactly as lunr scores those words. {query, phrases: [{prohibited, fields, chain}],
   * checks: [{typed, term}] (the words a suggestion may replace)}.
   */
  function parseQuery(lunr, manifest, pipeline, queryString) {
    var presence = lunr.Query.presence;
    var split = splitPhrases(queryString);
    var query = new lunr.Query(manifest.fields);
    new lunr.QueryParser(split.rest, query).parse();
    var checks = [];
    query.clauses.forEach(function (clause) {
      if (clause.presence !== presence.PROHIBITED && !clause.editDistance && clause.usePipeline) {
        var terms = pipeline.runString(clause.term, { fields: clause.fields });
        if (terms.length && terms[0].indexOf("*") === -1) {
          checks.push({ typed: clause.term, term: terms[0] });
        }
      }
    });
    var phrases = [];
    split.phrases.forEach(function (found) {
      if (found.field && manifest.fields.indexOf(found.field) === -1) {
        throw new lunr.QueryParseError(
          "unrecognised field '" + found.field + "', possible fields: " + manifest.fields.join(", "),
          0,
          0
        );
      }
      var fields = found.field ? [found.field] : manifest.fields;
      var phrase = analysePhrase(lunr, found.text);
      var prohibited = found.presence === "-";
      if (!prohibited || !phrase.chain.length) {
        var added = Object.create(null);
        phrase.terms.forEach(function (term, i) {
          // "" (a word of punctuation, "&") is a term lunr.js cannot look up: the pairs hold it
          if (term !== null && term !== "" && !added[term]) {
            added[term] = true;
            query.clause({
              term: term,
              fields: fields.slice(),
              usePipeline: false,
              presence: prohibited ? presence.PROHIBITED : presence.REQUIRED,
            });
            if (!prohibited) {
              checks.push({ typed: phrase.words[i], term: term });
            }
          }
        });
      }
      if (phrase.chain.length) {
        phrases.push({
          prohibited: prohibited,
          fields: fields.map(function (field) {
            return manifest.fields.indexOf(field);
          }),
          chain: phrase.chain,
        });
      }
    });
    return { query: query, phrases: phrases, checks: checks };
  }

  var CRC_TABLE = null;

  /* CRC-32 of a string's UTF-8 bytes, as Python's zlib.crc32(text.encode("utf-8")). */
  function crc32(text) {
    if (!CRC_TABLE) {
      CRC_TABLE = new Int32Array(256);
      for (var n = 0; n < 256; n++) {
        var c = n;
        for (var k = 0; k < 8; k++) {
          c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
        }
        CRC_TABLE[n] = c;
      }
    }
    var crc = -1;
    var bytes = unescape(encodeURIComponent(text));
    for (var i = 0; i < bytes.length; i++) {
      crc = CRC_TABLE[(crc ^ bytes.charCodeAt(i)) & 255] ^ (crc >>> 8);
    }
    return (crc ^ -1) >>> 0;
  }

  function pairFile(key, files) {
    return crc32(key) % files;
  }

  var DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

  /* The numbers of an encoded string: 0-V end a number, W-_ are its leading digits. */
  function decodeNumbers(text) {
    var numbers = [];
    var value = 0;
    for (var i = 0; i < text.length; i++) {
      var digit = DIGITS.indexOf(text.charAt(i));
      if (digit < 32) {
        numbers.push(value * 32 + digit);
        value = 0;
      } else {
        value = value * 32 + digit - 32;
      }
    }
    return numbers;
  }

  /* Occurrences of one (pair, field) string as doc * SHIFT + position, ascending. */
  function occurrences(text) {
    var numbers = decodeNumbers(text || "");
    var out = [];
    var doc = 0;
    var position = 0;
    for (var i = 0; i < numbers.length; i += 2) {
      if (numbers[i] || !out.length) {
        doc += numbers[i];
        position = numbers[i + 1];
      } else {
        position += numbers[i + 1] + 1;
      }
      out.push(doc * SHIFT + position);
    }
    return out;
  }

  /* Mask of the documents where a phrase's chain of pairs stands, in any of its fields. */
  function phraseDocs(phrase, pairs, docCount) {
    var mask = new Uint8Array(docCount);
    phrase.fields.forEach(function (k) {
      var lists = phrase.chain.map(function (link) {
        return occurrences(pairs[link.key] ? pairs[link.key][k] : "");
      });
      var later = lists.slice(1).map(function (list) {
        var set = new Set();
        list.forEach(function (code) {
          set.add(code);
        });
        return set;
      });
      lists[0].forEach(function (code) {
        for (var i = 0; i < later.length; i++) {
          if (!later[i].has(code + phrase.chain[i + 1].offset)) {
            return;
          }
        }
        mask[Math.floor(code / SHIFT)] = 1;
      });
    });
    return mask;
  }

  /* ---- term lists: fuzzy terms and suggestions (plugins/lunr_search/suggestions.py) ---- */

  function keyBefore(a, aLength, b, bLength) {
    return a < b || (a === b && aLength < bLength);
  }

  /* Index of the terms file holding key (char, length): the last whose first key is <= it. */
  function termFileOf(firsts, char, length) {
    var low = 0;
    var high = firsts.length - 1;
    var found = 0;
    while (low <= high) {
      var middle = (low + high) >> 1;
      if (keyBefore(char, length, firsts[middle][0], firsts[middle][1])) {
        high = middle - 1;
      } else {
        found = middle;
        low = middle + 1;
      }
    }
    return found;
  }

  /* Term files listing every term of length lo..hi sharing the first or second character of term. */
  function termFilesFor(manifest, term, lo, hi) {
    var firsts = manifest.termFiles || [];
    var numbers = [];
    if (!firsts.length) {
      return numbers;
    }
    termChars(term).forEach(function (char) {
      var last = termFileOf(firsts, char, hi);
      for (var n = termFileOf(firsts, char, Math.max(lo, 1)); n <= last; n++) {
        if (numbers.indexOf(n) === -1) {
          numbers.push(n);
        }
      }
    });
    return numbers.sort(function (a, b) {
      return a - b;
    });
  }

  function termChars(term) {
    var chars = [term.charAt(0)];
    if (term.length > 1 && term.charAt(1) !== chars[0]) {
      chars.push(term.charAt(1));
    }
    return chars;
  }

  /* [{term, docs, word}] of the loaded term files under term's keys for lengths lo..hi. */
  function termsNear(payloads, term, lo, hi) {
    var chars = termChars(term);
    var seen = Object.create(null);
    var out = [];
    payloads.forEach(function (payload) {
      payload.keys.forEach(function (key) {
        if (chars.indexOf(key[0]) === -1 || key[1] < lo || key[1] > hi) {
          return;
        }
        key[2].forEach(function (entry) {
          if (!seen[entry[0]]) {
            seen[entry[0]] = true;
            out.push({ term: entry[0], docs: entry[1], word: entry[2] || entry[0] });
          }
        });
      });
    });
    return out;
  }

  /* Edit distance with swaps of neighbours (optimal string alignment), or limit + 1 past limit. */
  function editDistance(a, b, limit) {
    if (Math.abs(a.length - b.length) > limit) {
      return limit + 1;
    }
    var before = null;
    var previous = [];
    for (var j = 0; j <= b.length; j++) {
      previous.push(j);
    }
    for (var i = 1; i <= a.length; i++) {
      var current = [i];
      var best = i;
      for (var k = 1; k <= b.length; k++) {
        var cost = a.charAt(i - 1) === b.charAt(k - 1) ? 0 : 1;
        var value = Math.min(previous[k] + 1, current[k - 1] + 1, previous[k - 1] + cost);
        if (before && i > 1 && k > 1 && a.charAt(i - 1) === b.charAt(k - 2) &&
            a.charAt(i - 2) === b.charAt(k - 1)) {
          value = Math.min(value, before[k - 2] + 1);
        }
        current.push(value);
        best = Math.min(best, value);
      }
      if (best > limit) {
        return limit + 1;
      }
      before = previous;
      previous = current;
    }
    return Math.min(previous[b.length], limit + 1);
  }

  /* Length of the longest common subsequence of a and b. */
  function commonLength(a, b) {
    var previous = new Array(b.length + 1).fill(0);
    for (var i = 1; i <= a.length; i++) {
      var current = [0];
      for (var j = 1; j <= b.length; j++) {
        current.push(
          a.charAt(i - 1) === b.charAt(j - 1)
            ? previous[j - 1] + 1
            : Math.max(previous[j], current[j - 1])
        );
      }
      previous = current;
    }
    return previous[b.length];
  }

  /*
   * The indexed terms nearest to a typed word (at most maxDistance edits from the word to a
   * term's spelling, or from the word's term to the term), nearest first: fewest edits, then
   * most letters in common, in order; then those in more documents. [{term, word, docs,
   * distance}]
   */
  function nearestTerms(candidates, typed, term, maxDistance) {
    var found = [];
    candidates.forEach(function (candidate) {
      if (candidate.term === term) {
        return;
      }
      var distance = Math.min(
        editDistance(typed, candidate.word, maxDistance),
        editDistance(term, candidate.term, maxDistance)
      );
      if (distance <= maxDistance) {
        found.push({
          term: candidate.term,
          word: candidate.word,
          docs: candidate.docs,
          distance: distance,
          common: commonLength(typed, candidate.word),
        });
      }
    });
    return found.sort(function (a, b) {
      return (
        a.distance - b.distance ||
        b.common - a.common ||
        b.docs - a.docs ||
        (a.term < b.term ? -1 : a.term > b.term ? 1 : 0)
      );
    });
  }

  /* The first whole occurrence of word (any case) in text replaced by replacement. */
  function replaceWord(text, word, replacement) {
    var escaped = word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    var pattern = new RegExp("(^|[\\s\"+\\-:])" + escaped + "(?=$|[\\s\"~^*-])", "i");
    return text.replace(pattern, function (all, before) {
      return before + replacement;
    });
  }

  /*
   * Which files a query needs, from lunr's own parser and the index's search pipeline,
   * exactly as lunr.Index.prototype.query expands clause terms: shards, the word-pair files
   * of its phrases, and, for a term~1, the term files listing every term one edit away
   * (fuzzy: term -> its matching terms, once those files are in).
   */
  function planQuery(lunr, manifest, pipeline, queryString, fuzzy) {
    var parsed = parseQuery(lunr, manifest, pipeline, queryString);
    var query = parsed.query;
    var shards = manifest.shards;
    var needed = Object.create(null);
    var exact = Object.create(null);
    var prefixes = [];
    var termFiles = [];
    var fullScan = false;
    function need(term) {
      exact[term] = true;
      var shard = findShard(shards, term);
      if (shard !== -1) {
        needed[shard] = true;
      }
    }
    for (var c = 0; c < query.clauses.length && !fullScan; c++) {
      var clause = query.clauses[c];
      var terms = clause.usePipeline
        ? pipeline.runString(clause.term, { fields: clause.fields })
        : [clause.term];
      for (var t = 0; t < terms.length; t++) {
        var term = terms[t];
        var star = term.indexOf("*");
        if (clause.editDistance === 1 && star === -1 && term.length >= 2 && manifest.termFiles) {
          if (fuzzy && fuzzy[term]) {
            fuzzy[term].forEach(need);
          } else {
            termFilesFor(manifest, term, term.length - 1, term.length + 1).forEach(function (n) {
              if (termFiles.indexOf(n) === -1) {
                termFiles.push(n);
              }
            });
          }
          continue;
        }
        if (clause.editDistance > 0 || star === 0) {
          fullScan = true;
          break;
        }
        if (star > 0) {
          prefixes.push(term.slice(0, star));
          var overlapping = shardsWithPrefix(shards, term.slice(0, star));
          for (var o = 0; o < overlapping.length; o++) {
            needed[overlapping[o]] = true;
          }
        } else {
          need(term);
        }
      }
    }
    var numbers = [];
    if (fullScan) {
      for (var n = 0; n < shards.length; n++) {
        numbers.push(n);
      }
    } else {
      numbers = Object.keys(needed)
        .map(Number)
        .sort(function (a, b) {
          return a - b;
        });
    }
    var pairFiles = [];
    parsed.phrases.forEach(function (phrase) {
      phrase.chain.forEach(function (link) {
        var file = manifest.pairFiles ? pairFile(link.key, manifest.pairFiles) : -1;
        if (file !== -1 && pairFiles.indexOf(file) === -1) {
          pairFiles.push(file);
        }
      });
    });
    return {
      shards: numbers,
      pairFiles: pairFiles,
      termFiles: fullScan ? [] : termFiles,
      phrases: parsed.phrases,
      negated: query.isNegated(),
      fullScan: fullScan,
      // Terms the query can match (null: any): only their postings are decoded and scored.
      wanted: fullScan
        ? null
        : function (term) {
            if (exact[term] === true) {
              return true;
            }
            for (var i = 0; i < prefixes.length; i++) {
              if (startsWith(term, prefixes[i])) {
                return true;
              }
            }
            return false;
          },
    };
  }

  /*
   * The postings of the terms the query can match (wanted; null: every term) from the
   * loaded shards, decoded once: {terms (in order), byTerm, byIndex}, each record
   * {term, index, docs: [Int32Array per field], weights: [Float64Array per field]}.
   */
  function collectTerms(fields, payloads, wanted) {
    var collected = { terms: [], byTerm: Object.create(null), byIndex: Object.create(null) };
    for (var p = 0; p < payloads.length; p++) {
      var entries = payloads[p].terms;
      for (var e = 0; e < entries.length; e++) {
        var entry = entries[e];
        var term = entry[0];
        if (wanted && !wanted(term)) {
          continue;
        }
        var record = { term: term, index: entry[1], docs: [], weights: [] };
        for (var k = 0; k < fields.length; k++) {
          var flat = entry[2 + k];
          var docs = new Int32Array(flat.length / 2);
          var weights = new Float64Array(flat.length / 2);
          var doc = 0;
          for (var i = 0; i < flat.length; i += 2) {
            doc += flat[i];
            docs[i / 2] = doc;
            weights[i / 2] = flat[i + 1] / 1000;
          }
          record.docs.push(docs);
          record.weights.push(weights);
        }
        collected.terms.push(term);
        collected.byTerm[term] = record;
        collected.byIndex[record.index] = record;
      }
    }
    return collected;
  }

  /* Document sets as lunr.Set behaves: COMPLETE, EMPTY or a mask over refs 0..N-1. */
  var COMPLETE = { complete: true };
  var EMPTY = { empty: true };

  function addDocs(set, docs, docCount) {
    if (set === COMPLETE) {
      return set;
    }
    var mask = set === EMPTY || set === undefined ? new Uint8Array(docCount) : set;
    for (var i = 0; i < docs.length; i++) {
      mask[docs[i]] = 1;
    }
    return mask;
  }

  function intersect(a, b) {
    if (a === COMPLETE || a === undefined) {
      return b;
    }
    if (b === COMPLETE || b === undefined) {
      return a;
    }
    if (a === EMPTY || b === EMPTY) {
      return EMPTY;
    }
    var mask = new Uint8Array(a.length);
    for (var i = 0; i < a.length; i++) {
      mask[i] = a[i] & b[i];
    }
    return mask;
  }

  function union(a, b) {
    if (a === COMPLETE || b === COMPLETE) {
      return COMPLETE;
    }
    if (a === EMPTY || a === undefined) {
      return b;
    }
    if (b === EMPTY || b === undefined) {
      return a;
    }
    var mask = new Uint8Array(a.length);
    for (var i = 0; i < a.length; i++) {
      mask[i] = a[i] | b[i];
    }
    return mask;
  }

  function contains(set, doc) {
    return set === COMPLETE || (set !== EMPTY && set[doc] === 1);
  }

  function hasDoc(docs, doc) {
    var low = 0;
    var high = docs.length - 1;
    while (low <= high) {
      var middle = (low + high) >> 1;
      if (docs[middle] < doc) {
        low = middle + 1;
      } else if (docs[middle] > doc) {
        high = middle - 1;
      } else {
        return true;
      }
    }
    return false;
  }

  /*
   * A result as lunr returns it, {ref, score, matchData}; matchData (the terms and fields
   * that matched) is built when first read: a page shows ten results of thousands.
   */
  function Result(doc, score, context) {
    this.ref = String(doc);
    this.score = score;
    this._doc = doc;
    this._context = context;
    this._matchData = null;
  }

  Object.defineProperty(Result.prototype, "matchData", {
    get: function () {
      if (!this._matchData) {
        var context = this._context;
        var matchData = new context.lunr.MatchData();
        var processed = context.processed;
        for (var p = 0; p < processed.length; p += 2) {
          var record = processed[p];
          var k = processed[p + 1];
          if (hasDoc(record.docs[k], this._doc)) {
            var terms = matchData.metadata;
            terms[record.term] = terms[record.term] || Object.create(null);
            terms[record.term][context.fields[k]] = Object.create(null);
          }
        }
        this._matchData = matchData;
      }
      return this._matchData;
    },
  });

  /*
   * lunr.Index.prototype.search of lunr.js 2.3.9 on the whole index, step for step (same
   * parser, pipeline, token-set expansion, required and prohibited sets, query vectors,
   * order of matching field refs, score sums and sort), over the collected postings in
   * typed arrays instead of an assembled lunr.Index: several times faster on a query
   * matching most of the archive. Field vectors are not needed: a score only reads their
   * entries at the matched terms' _index, which are the postings' weights.
   */
  function runQuery(lunr, manifest, pipeline, collected, queryString, pairs) {
    var fields = manifest.fields;
    var docCount = manifest.docCount;
    var presence = lunr.Query.presence;
    var parsed = parseQuery(lunr, manifest, pipeline, queryString);
    var query = parsed.query;

    var builder = new lunr.TokenSet.Builder();
    for (var t = 0; t < collected.terms.length; t++) {
      builder.insert(collected.terms[t]);
    }
    builder.finish();
    var tokenSet = builder.root;

    var fieldNumber = Object.create(null);
    var queryVectors = [];
    var seen = [];
    for (var f = 0; f < fields.length; f++) {
      fieldNumber[fields[f]] = f;
      queryVectors.push(new lunr.Vector());
      seen.push(null);
    }
    var refField = [];
    var refDoc = [];
    var processed = [];
    var termFieldDone = Object.create(null);
    var required = [];
    var prohibited = [];
    var missing = 0; // query words whose term is in no document
    var add = function (a, b) {
      return a + b;
    };

    for (var c = 0; c < query.clauses.length; c++) {
      var clause = query.clauses[c];
      var terms = clause.usePipeline
        ? pipeline.runString(clause.term, { fields: clause.fields })
        : [clause.term];
      var clauseMatches = EMPTY;
      for (var m = 0; m < terms.length; m++) {
        clause.term = terms[m];
        var expanded = tokenSet.intersect(lunr.TokenSet.fromClause(clause)).toArray();
        if (expanded.length === 0 && clause.presence !== presence.PROHIBITED) {
          missing++;
        }
        if (expanded.length === 0 && clause.presence === presence.REQUIRED) {
          for (var r = 0; r < clause.fields.length; r++) {
            required[fieldNumber[clause.fields[r]]] = EMPTY;
          }
          break;
        }
        for (var x = 0; x < expanded.length; x++) {
          var record = collected.byTerm[expanded[x]];
          for (var cf = 0; cf < clause.fields.length; cf++) {
            var k = fieldNumber[clause.fields[cf]];
            var docs = record.docs[k];
            if (clause.presence === presence.REQUIRED) {
              clauseMatches = addDocs(clauseMatches, docs, docCount);
              if (required[k] === undefined) {
                required[k] = COMPLETE;
              }
            }
            if (clause.presence === presence.PROHIBITED) {
              prohibited[k] = addDocs(prohibited[k], docs, docCount);
              continue;
            }
            queryVectors[k].upsert(record.index, clause.boost, add);
            var termField = record.term + "/" + k;
            if (termFieldDone[termField]) {
              continue;
            }
            var fieldSeen = seen[k] || (seen[k] = new Uint8Array(docCount));
            for (var i = 0; i < docs.length; i++) {
              if (!fieldSeen[docs[i]]) {
                fieldSeen[docs[i]] = 1;
                refField.push(k);
                refDoc.push(docs[i]);
              }
            }
            processed.push(record, k);
            termFieldDone[termField] = true;
          }
        }
      }
      if (clause.presence === presence.REQUIRED) {
        for (var q = 0; q < clause.fields.length; q++) {
          var n = fieldNumber[clause.fields[q]];
          required[n] = intersect(required[n], clauseMatches);
        }
      }
    }

    var allRequired = COMPLETE;
    var allProhibited = EMPTY;
    for (var a = 0; a < fields.length; a++) {
      if (required[a]) {
        allRequired = intersect(allRequired, required[a]);
      }
      if (prohibited[a]) {
        allProhibited = union(allProhibited, prohibited[a]);
      }
    }

    if (query.isNegated()) {
      // every field ref, in the whole index's order (document-major, fields in order)
      refField = [];
      refDoc = [];
      for (var d = 0; d < docCount; d++) {
        for (var g = 0; g < fields.length; g++) {
          refField.push(g);
          refDoc.push(d);
        }
      }
    }

    // queryVector . fieldVector summed in ascending _index order, as lunr.Vector.dot does
    var dots = [];
    var magnitudes = [];
    for (var v = 0; v < fields.length; v++) {
      var elements = queryVectors[v].elements;
      magnitudes.push(queryVectors[v].magnitude());
      dots.push(null);
      if (!elements.length) {
        continue;
      }
      var dot = (dots[v] = new Float64Array(docCount));
      for (var el = 0; el < elements.length; el += 2) {
        var posting = collected.byIndex[elements[el]];
        var value = elements[el + 1];
        var postingDocs = posting.docs[v];
        var weights = posting.weights[v];
        for (var w = 0; w < postingDocs.length; w++) {
          dot[postingDocs[w]] += value * weights[w];
        }
      }
    }

    var scores = new Float64Array(docCount);
    var started = new Uint8Array(docCount);
    var order = [];
    for (var s = 0; s < refDoc.length; s++) {
      var docRef = refDoc[s];
      if (!contains(allRequired, docRef)) {
        continue;
      }
      if (allProhibited !== EMPTY && contains(allProhibited, docRef)) {
        continue;
      }
      var field = refField[s];
      var score = (dots[field] ? dots[field][docRef] : 0) / magnitudes[field] || 0;
      if (started[docRef]) {
        scores[docRef] += score;
      } else {
        started[docRef] = 1;
        scores[docRef] = score;
        order.push(docRef);
      }
    }
    // quoted phrases: keep the documents where each stands (drop those where a -"..." does)
    parsed.phrases.forEach(function (phrase) {
      var where = phraseDocs(phrase, pairs || {}, docCount);
      order = order.filter(function (doc) {
        return phrase.prohibited ? !where[doc] : where[doc] === 1;
      });
    });
    var context = { lunr: lunr, fields: fields, processed: processed };
    var results = order.map(function (doc) {
      return new Result(doc, scores[doc], context);
    });
    results.sort(function (first, second) {
      return second.score - first.score;
    });
    results.missing = missing;
    return results;
  }

  /*
   * options: root (URL of the search folder), siteRoot, version, lunr,
   * insertScript(url, onload, onerror) (tests inject one), cacheBust (add ?v=),
   * maxShards (a query needing more is refused with a SearchTooBroadError;
   * default 40, about 400 KB gzip; Infinity allows every query).
   */
  function create(options) {
    options = options || {};
    var root = withSlash(options.root || "search/");
    var onDisk = Boolean(global.location && global.location.protocol === "file:");
    var api = {};
    var insertScript = options.insertScript || domInsertScript;
    var cacheBust = options.cacheBust !== undefined ? options.cacheBust : !onDisk;
    var maxShards = options.maxShards !== undefined ? options.maxShards : DEFAULT_MAX_SHARDS;
    var pending = Object.create(null);
    var cache = Object.create(null);
    var cachedShards = [];
    var cachedDocs = [];
    var lunrPromise = null;
    var readyPromise = null;
    var state = { manifest: null, pipeline: null };

    api.root = root;
    api.siteRoot = withSlash(options.siteRoot || root + "../");
    api.create = create;

    function scriptUrl(file, version) {
      return root + file + ".js" + (cacheBust && version ? "?v=" + encodeURIComponent(version) : "");
    }

    /* Called by every data file: route the payload to whoever asked for it. */
    api.receive = function (jsonText) {
      var payload = JSON.parse(jsonText);
      var waiter = pending[payload.file];
      if (waiter) {
        delete pending[payload.file];
        waiter.resolve(payload);
      }
    };

    function load(file, version) {
      if (cache[file]) {
        return cache[file];
      }
      var url = scriptUrl(file, version);
      var promise = new Promise(function (resolve, reject) {
        pending[file] = { resolve: resolve, reject: reject };
        function fail(reason) {
          if (pending[file]) {
            delete pending[file];
            delete cache[file];
            reject(new Error("ArchiveSearch: " + reason + " " + url));
          }
        }
        insertScript(
          url,
          function () {
            fail("no data in");
          },
          function () {
            fail("could not load");
          }
        );
      });
      cache[file] = promise;
      return promise;
    }

    function remember(list, file, limit) {
      list.push(file);
      while (list.length > limit) {
        delete cache[list.shift()];
      }
    }

    function loadShard(number) {
      var file = "shard-" + pad3(number);
      if (!cache[file]) {
        remember(cachedShards, file, MAX_CACHED_SHARDS);
      }
      return load(file, state.manifest.v);
    }

    function loadPairFile(number) {
      var file = "pair-" + pad3(number);
      if (!cache[file]) {
        remember(cachedShards, file, MAX_CACHED_SHARDS);
      }
      return load(file, state.manifest.v);
    }

    function loadTermFile(number) {
      var file = "terms-" + pad3(number);
      if (!cache[file]) {
        remember(cachedShards, file, MAX_CACHED_SHARDS);
      }
      return load(file, state.manifest.v);
    }

    function getLunr() {
      if (!lunrPromise) {
        var existing = options.lunr || global.lunr;
        if (existing) {
          lunrPromise = Promise.resolve(existing);
        } else {
          lunrPromise = new Promise(function (resolve, reject) {
            insertScript(
              root + "lunr.js",
              function () {
                if (global.lunr) {
                  resolve(global.lunr);
                } else {
                  reject(new Error("ArchiveSearch: lunr.js defined no lunr"));
                }
              },
              function () {
                lunrPromise = null;
                reject(new Error("ArchiveSearch: could not load " + root + "lunr.js"));
              }
            );
          });
        }
      }
      return lunrPromise;
    }

    /* Loads lunr.js and the manifest (in parallel); call early to save time. */
    api.ready = function () {
      if (!readyPromise) {
        readyPromise = Promise.all([getLunr(), load("manifest", options.version)]).then(
          function (loaded) {
            state.lunr = loaded[0];
            state.manifest = loaded[1];
            state.pipeline = loaded[0].Pipeline.load(loaded[1].pipeline);
            return api;
          },
          function (error) {
            readyPromise = null;
            throw error;
          }
        );
      }
      return readyPromise;
    };

    /* The loaded manifest (null before ready()): docCount, facets, ... (see plugins/lunr_search). */
    api.manifest = function () {
      return state.manifest;
    };

    /* planQuery, with a term~1's matching terms found in the term files first. */
    function fullPlan(queryString) {
      var lunr = state.lunr;
      var manifest = state.manifest;
      var plan = planQuery(lunr, manifest, state.pipeline, queryString);
      if (!plan.termFiles.length) {
        return Promise.resolve(plan);
      }
      return Promise.all(plan.termFiles.map(loadTermFile)).then(function (payloads) {
        var fuzzy = Object.create(null);
        parseQuery(lunr, manifest, state.pipeline, queryString).query.clauses.forEach(
          function (clause) {
            if (clause.editDistance !== 1) {
              return;
            }
            var terms = clause.usePipeline
              ? state.pipeline.runString(clause.term, { fields: clause.fields })
              : [clause.term];
            terms.forEach(function (term) {
              var near = termsNear(payloads, term, term.length - 1, term.length + 1)
                .map(function (entry) {
                  return entry.term;
                })
                .sort();
              fuzzy[term] = lunr.TokenSet.fromArray(near)
                .intersect(lunr.TokenSet.fromFuzzyString(term, 1))
                .toArray();
            });
          }
        );
        return planQuery(lunr, manifest, state.pipeline, queryString, fuzzy);
      });
    }

    function describe(plan) {
      var manifest = state.manifest;
      var total = manifest.shards.length;
      return {
        shards: plan.shards.map(function (n) {
          return "shard-" + pad3(n);
        }),
        pairs: plan.pairFiles.map(function (n) {
          return "pair-" + pad3(n);
        }),
        fullScan: plan.fullScan,
        negated: plan.negated,
        shardCount: total,
        estimatedBytes: total ? Math.round((manifest.shardBytes * plan.shards.length) / total) : 0,
      };
    }

    /*
     * What a query would load, before loading it (a term~1 loads its term files first):
     * {shards: [file names], pairs: [file names], fullScan, negated, shardCount,
     * estimatedBytes (of the shards, uncompressed)}.
     */
    api.plan = function (queryString) {
      return api.ready().then(function () {
        return fullPlan(queryString).then(describe);
      });
    };

    /*
     * Ranked [{ref, score, matchData}], equal to lunr's index.search() on the whole index;
     * .missing on the array counts the query's words whose term is in no document.
     * searchOptions.maxShards overrides the instance's limit (e.g. after the reader
     * confirmed a fuzzy search); over the limit the promise rejects with an Error named
     * "SearchTooBroadError" carrying .plan. Query syntax errors reject with lunr's
     * QueryParseError.
     */
    api.search = function (queryString, searchOptions) {
      var limit =
        searchOptions && searchOptions.maxShards !== undefined ? searchOptions.maxShards : maxShards;
      return api.ready().then(function () {
        var lunr = state.lunr;
        var manifest = state.manifest;
        return fullPlan(queryString).then(function (plan) {
          if (plan.shards.length > limit) {
            var error = new Error(
              "ArchiveSearch: this query needs " + plan.shards.length + " of " +
                manifest.shards.length + " index parts (limit " + limit + ")"
            );
            error.name = "SearchTooBroadError";
            error.plan = describe(plan);
            throw error;
          }
          return Promise.all([
            Promise.all(plan.shards.map(loadShard)),
            Promise.all(plan.pairFiles.map(loadPairFile)),
          ]).then(function (loaded) {
            var collected = collectTerms(manifest.fields, loaded[0], plan.wanted);
            var pairs = Object.create(null);
            loaded[1].forEach(function (payload) {
              payload.pairs.forEach(function (entry) {
                pairs[entry[0]] = entry.slice(1);
              });
            });
            return runQuery(lunr, manifest, state.pipeline, collected, queryString, pairs);
          });
        });
      });
    };

    /*
     * Did you mean: for each word of the query (not excluded, no wildcard or ~) whose term
     * is in fewer than FEW_DOCS documents, the nearest indexed term (one edit for words of up
     * to four letters, else two) in more documents (ten times as many, if it has some):
     * {query: the query with those words replaced (null: none), words: [{typed, word, term,
     * docs, distance}]}. Loads only the term files of the words' first two characters.
     */
    api.suggest = function (queryString) {
      return api.ready().then(function () {
        var manifest = state.manifest;
        var parsed = parseQuery(state.lunr, manifest, state.pipeline, queryString);
        var checks = parsed.checks.filter(function (check) {
          return check.term.length >= 3 && check.typed.length >= 3;
        });
        return Promise.all(
          checks.map(function (check) {
            var term = check.term;
            var typed = check.typed.replace(/^\W+/, "").replace(/\W+$/, "");
            var reach = typed.length <= 3 ? 1 : 2;
            // terms as long as the word's term, or up to three letters shorter (a stem is
            // shorter than its spelling), give or take reach
            var lo = term.length - reach - 3;
            var hi = Math.max(term.length, typed.length) + reach;
            var files = termFilesFor(manifest, term, lo, hi);
            return Promise.all(files.map(loadTermFile)).then(function (payloads) {
              var candidates = termsNear(payloads, term, lo, hi);
              var own = 0;
              candidates.forEach(function (candidate) {
                if (candidate.term === term) {
                  own = candidate.docs;
                }
              });
              if (own >= FEW_DOCS) {
                return null;
              }
              var better = nearestTerms(candidates, typed, term, reach).filter(function (near) {
                return near.docs > 0 && near.docs >= own * 10;
              });
              return better.length
                ? {
                    typed: check.typed,
                    word: better[0].word,
                    term: better[0].term,
                    docs: better[0].docs,
                    distance: better[0].distance,
                    others: better.slice(1, 4),
                  }
                : null;
            });
          })
        ).then(function (found) {
          var words = found.filter(Boolean);
          var corrected = String(queryString);
          words.forEach(function (word) {
            corrected = replaceWord(corrected, word.typed, word.word);
          });
          return { query: words.length && corrected !== queryString ? corrected : null, words: words };
        });
      });
    };

    /*
     * What to search while queryString is being typed (null: queryString itself): a phrase
     * still open ("foreign mini) as its words, and the last word, if it is a plain word of
     * three or more letters, as a prefix of its term, so "pashin" finds Pashinyan and
     * "armenians" still finds Armenians. Pagefind does the same until a space or submit.
     * Needs ready() (null before).
     */
    api.typingQuery = function (queryString) {
      var text = String(queryString);
      if (!state.pipeline) {
        return null;
      }
      if ((text.match(/"/g) || []).length % 2) {
        // an open phrase: its words for now (each keystroke would need other word pairs)
        text = text.replace(/(^|\s)[+\-]?(?:[^\s"+\-:][^\s":]*:)?"([^"]*)$/, "$1$2");
        text = text.replace(/"/g, " ");
      }
      var last = /(^|\s)([+\-]?(?:[^\s"~^*:+\-][^\s"~^*:]*:)?)([^\s"~^*:+\-][^\s"~^*:]*)$/.exec(text);
      var word = last ? last[3].toLowerCase().replace(/^\W+/, "").replace(/\W+$/, "") : "";
      var terms = word.length >= 3 ? state.pipeline.runString(word) : [];
      if (terms.length && terms[0]) {
        text = text.slice(0, last.index) + last[1] + last[2] + terms[0] + "*";
      }
      return text !== String(queryString) ? text : null;
    };

    /*
     * The phrases a query asks for (not those it excludes): [{text (as typed), terms (its
     * index terms)}]; terms are [] before ready().
     */
    api.phrases = function (queryString) {
      return splitPhrases(queryString)
        .phrases.filter(function (phrase) {
          return phrase.presence !== "-" && phrase.text.trim();
        })
        .map(function (phrase) {
          var terms = state.lunr ? analysePhrase(state.lunr, phrase.text).terms : [];
          return {
            text: phrase.text.trim(),
            terms: terms.filter(function (term) {
              return term !== null;
            }),
          };
        });
    };

    /* Display metadata for refs, in the same order; loads only their docs chunks. */
    api.loadDocs = function (refs) {
      return api.ready().then(function () {
        var manifest = state.manifest;
        var perChunk = manifest.docsPerChunk;
        var chunks = [];
        var seen = Object.create(null);
        refs.forEach(function (ref) {
          var chunk = Math.floor(Number(ref) / perChunk);
          if (!seen[chunk]) {
            seen[chunk] = true;
            chunks.push(chunk);
          }
        });
        return Promise.all(
          chunks.map(function (chunk) {
            var file = "docs-" + pad3(chunk);
            if (!cache[file]) {
              remember(cachedDocs, file, MAX_CACHED_DOCS);
            }
            return load(file, manifest.v);
          })
        ).then(function (payloads) {
          var byChunk = Object.create(null);
          payloads.forEach(function (payload, i) {
            byChunk[chunks[i]] = payload;
          });
          return refs.map(function (ref) {
            var number = Number(ref);
            var payload = byChunk[Math.floor(number / perChunk)];
            var row = payload.docs[number - payload.first];
            var doc = { ref: String(ref) };
            manifest.docColumns.forEach(function (column, i) {
              doc[column] = row[i];
            });
            doc.href = api.siteRoot + doc.url;
            return doc;
          });
        });
      });
    };

    return api;
  }

  if (typeof module === "object" && module.exports) {
    module.exports = {
      create: create,
      findShard: findShard,
      shardsWithPrefix: shardsWithPrefix,
      parseQuery: parseQuery,
      editDistance: editDistance,
      crc32: crc32,
    };
  } else {
    var script = global.document && global.document.currentScript;
    global.ArchiveSearch = create({
      root: (script && script.getAttribute("data-search-root")) || "search/",
      siteRoot: script && script.getAttribute("data-site-root"),
      version: script && script.getAttribute("data-search-version"),
    });
  }
})(typeof window !== "undefined" ? window : this);
