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

  var NO_METADATA = Object.freeze({});
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
          var overlapping = shardsWithPrefix(shards, term.slice(0, star));
          for (var o = 0; o < overlapping.length; o++) {
            needed[overlapping[o]] = true;
          }
        } else {
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
    return { shards: numbers, negated: query.isNegated(), fullScan: fullScan };
  }

  /*
   * A lunr.Index holding the given shards' terms, postings and the field-vector
   * entries at their _index. For a negated query every field ref is listed, in the
   * whole index's order ("field/ref", document-major, fields in manifest order), because lunr
   * returns all of them in Object.keys order.
   */
  function assembleIndex(lunr, manifest, pipeline, payloads, allFieldRefs) {
    var fields = manifest.fields;
    var vectors = Object.create(null);
    var order = [];
    if (allFieldRefs) {
      for (var d = 0; d < manifest.docCount; d++) {
        for (var f = 0; f < fields.length; f++) {
          var key = fields[f] + "/" + d;
          vectors[key] = [];
          order.push(key);
        }
      }
    }
    var builder = new lunr.TokenSet.Builder();
    var invertedIndex = Object.create(null);
    for (var p = 0; p < payloads.length; p++) {
      var entries = payloads[p].terms;
      for (var e = 0; e < entries.length; e++) {
        var entry = entries[e];
        var term = entry[0];
        var termIndex = entry[1];
        var posting = { _index: termIndex };
        for (var k = 0; k < fields.length; k++) {
          var flat = entry[2 + k];
          var refs = {};
          var doc = 0;
          for (var i = 0; i < flat.length; i += 2) {
            doc += flat[i];
            refs[doc] = NO_METADATA;
            var fieldRef = fields[k] + "/" + doc;
            var elements = vectors[fieldRef];
            if (elements === undefined) {
              elements = vectors[fieldRef] = [];
              order.push(fieldRef);
            }
            elements.push(termIndex, flat[i + 1] / 1000);
          }
          posting[fields[k]] = refs;
        }
        builder.insert(term);
        invertedIndex[term] = posting;
      }
    }
    builder.finish();
    var fieldVectors = {};
    for (var r = 0; r < order.length; r++) {
      fieldVectors[order[r]] = new lunr.Vector(sortedByIndex(vectors[order[r]]));
    }
    return new lunr.Index({
      invertedIndex: invertedIndex,
      fieldVectors: fieldVectors,
      tokenSet: builder.root,
      fields: fields,
      pipeline: pipeline,
    });
  }

  /* Shard entries come in term order; lunr.Vector needs ascending indexes. */
  function sortedByIndex(elements) {
    var sorted = true;
    for (var i = 2; i < elements.length; i += 2) {
      if (elements[i] < elements[i - 2]) {
        sorted = false;
        break;
      }
    }
    if (sorted) {
      return elements;
    }
    var pairs = [];
    for (var j = 0; j < elements.length; j += 2) {
      pairs.push([elements[j], elements[j + 1]]);
    }
    pairs.sort(function (a, b) {
      return a[0] - b[0];
    });
    var result = new Array(elements.length);
    for (var n = 0; n < pairs.length; n++) {
      result[2 * n] = pairs[n][0];
      result[2 * n + 1] = pairs[n][1];
    }
    return result;
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
          var index = assembleIndex(
            state.lunr,
            state.manifest,
            state.pipeline,
            payloads,
            plan.negated
          );
          return index.search(queryString);
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
