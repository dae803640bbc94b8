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

  /*
   * Which shards a query needs, from lunr's own parser and the index's search
   * pipeline, exactly as lunr.Index.prototype.query expands clause terms.
   */
  function planQuery(lunr, manifest, pipeline, queryString) {
    var query = new lunr.Query(manifest.fields);
    new lunr.QueryParser(queryString, query).parse();
    var shards = manifest.shards;
    var needed = Object.create(null);
    var exact = Object.create(null);
    var prefixes = [];
    var fullScan = false;
    for (var c = 0; c < query.clauses.length && !fullScan; c++) {
      var clause = query.clauses[c];
      var terms = clause.usePipeline
        ? pipeline.runString(clause.term, { fields: clause.fields })
        : [clause.term];
      for (var t = 0; t < terms.length; t++) {
        var term = terms[t];
        var star = term.indexOf("*");
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
          exact[term] = true;
          var shard = findShard(shards, term);
          if (shard !== -1) {
            needed[shard] = true;
          }
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
    return {
      shards: numbers,
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
  function runQuery(lunr, manifest, pipeline, collected, queryString) {
    var fields = manifest.fields;
    var docCount = manifest.docCount;
    var presence = lunr.Query.presence;
    var query = new lunr.Query(fields);
    new lunr.QueryParser(queryString, query).parse();

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
    var context = { lunr: lunr, fields: fields, processed: processed };
    var results = order.map(function (doc) {
      return new Result(doc, scores[doc], context);
    });
    return results.sort(function (first, second) {
      return second.score - first.score;
    });
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

    function describe(plan) {
      var manifest = state.manifest;
      var total = manifest.shards.length;
      return {
        shards: plan.shards.map(function (n) {
          return "shard-" + pad3(n);
        }),
        fullScan: plan.fullScan,
        negated: plan.negated,
        shardCount: total,
        estimatedBytes: total ? Math.round((manifest.shardBytes * plan.shards.length) / total) : 0,
      };
    }

    /*
     * What a query would load, before loading it:
     * {shards: [file names], fullScan, negated, shardCount, estimatedBytes (uncompressed)}.
     */
    api.plan = function (queryString) {
      return api.ready().then(function () {
        return describe(planQuery(state.lunr, state.manifest, state.pipeline, queryString));
      });
    };

    /*
     * Ranked [{ref, score, matchData}], equal to lunr's index.search() on the whole index.
     * searchOptions.maxShards overrides the instance's limit (e.g. after the reader
     * confirmed a fuzzy search); over the limit the promise rejects with an Error named
     * "SearchTooBroadError" carrying .plan. Query syntax errors reject with lunr's
     * QueryParseError.
     */
    api.search = function (queryString, searchOptions) {
      var limit =
        searchOptions && searchOptions.maxShards !== undefined ? searchOptions.maxShards : maxShards;
      return api.ready().then(function () {
        var plan = planQuery(state.lunr, state.manifest, state.pipeline, queryString);
        if (plan.shards.length > limit) {
          var error = new Error(
            "ArchiveSearch: this query needs " + plan.shards.length + " of " +
              state.manifest.shards.length + " index parts (limit " + limit + ")"
          );
          error.name = "SearchTooBroadError";
          error.plan = describe(plan);
          throw error;
        }
        return Promise.all(plan.shards.map(loadShard)).then(function (payloads) {
          var collected = collectTerms(state.manifest.fields, payloads, plan.wanted);
          return runQuery(state.lunr, state.manifest, state.pipeline, collected, queryString);
        });
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
    module.exports = { create: create, findShard: findShard, shardsWithPrefix: shardsWithPrefix };
  } else {
    var script = global.document && global.document.currentScript;
    global.ArchiveSearch = create({
      root: (script && script.getAttribute("data-search-root")) || "search/",
      siteRoot: script && script.getAttribute("data-site-root"),
      version: script && script.getAttribute("data-search-version"),
    });
  }
})(typeof window !== "undefined" ? window : this);
