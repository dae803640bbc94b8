// Runs queries through the shard loader and, for comparison, on the whole lunr index; prints JSON.
//
// usage: node queries.js <lunr.js> <search dir> <whole-index.json> <queries.json>
// queries.json: {"search": [...], "suggest": [...], "typing": [...]}
// Output: {"search": {"<query>": {"shards": [...], "whole": [...], "requested": [...]}},
//          "suggest": {"<query>": {"query", "words", "requested"}}}
// "shards" are the loader's results, "whole" lunr.js's on the whole index for the same
// lunr query (a quoted phrase's words as required terms, before the phrase is checked);
// each result is {ref, score}, or {"error": "..."} when lunr throws.
"use strict";

const fs = require("fs");
const path = require("path");
const vm = require("vm");

const [lunrPath, searchDir, wholePath, queriesPath] = process.argv.slice(2);
const lunr = require(path.resolve(lunrPath));
const loader = require(path.resolve(__dirname, "../../theme/static/js/search-index.js"));

function summarise(results) {
  return results.map((r) => ({ ref: r.ref, score: r.score }));
}

async function attempt(fn) {
  try {
    return summarise(await fn());
  } catch (error) {
    return { error: String(error.name) + ": " + String(error.message) };
  }
}

async function main() {
  const whole = lunr.Index.load(JSON.parse(fs.readFileSync(wholePath, "utf8")));
  const { search, suggest, typing } = JSON.parse(fs.readFileSync(queriesPath, "utf8"));
  let requested = [];
  let api = null;
  function insertScript(url, onload, onerror) {
    const file = url.split("?")[0];
    requested.push(path.basename(file));
    fs.readFile(file, "utf8", (error, code) => {
      if (error) {
        setImmediate(onerror);
        return;
      }
      vm.runInNewContext(code, { window: { ArchiveSearch: api } }, { filename: file });
      setImmediate(onload);
    });
  }
  function fresh() {
    api = loader.create({ root: searchDir, lunr, insertScript, cacheBust: false, maxShards: Infinity });
    return api;
  }
  await fresh().ready();
  const manifest = api.manifest();
  const output = { search: {}, suggest: {}, typing: {} };
  for (const query of typing || []) {
    output.typing[query] = api.typingQuery(query);
  }
  for (const query of search) {
    requested = [];
    const shards = await attempt(() => api.search(query));
    output.search[query] = {
      shards,
      requested: requested.slice().sort(),
      whole: await attempt(async () => {
        const parsed = loader.parseQuery(lunr, manifest, whole.pipeline, query);
        return whole.query((q) => parsed.query.clauses.forEach((clause) => q.clause(clause)));
      }),
    };
  }
  for (const query of suggest) {
    await fresh().ready(); // cold: count what a suggestion loads
    requested = [];
    const found = await api.suggest(query);
    output.suggest[query] = { query: found.query, words: found.words, requested: requested.slice() };
  }
  process.stdout.write(JSON.stringify(output));
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + "\n");
  process.exit(1);
});
